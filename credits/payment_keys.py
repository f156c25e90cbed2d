"""Payment provider keys as people see them again: masked, with their mode."""

from __future__ import annotations

import re
from collections.abc import Iterable

from credits.models import PaymentProviderAccount
from credits.statuses import RefundProvider

KEY_PATTERNS = {
    # Secret or restricted keys; publishable keys (pk_) cannot refund.
    RefundProvider.STRIPE: re.compile(r"^(?P<prefix>(?:sk|rk)_(?:test|live)_)[A-Za-z0-9]{10,}$"),
    # Mollie API keys of a website profile; organisation access tokens are not enough.
    RefundProvider.MOLLIE: re.compile(r"^(?P<prefix>(?:test|live)_)\w{10,}$"),
}
KEY_EXAMPLES = {RefundProvider.STRIPE: "sk_live_…", RefundProvider.MOLLIE: "live_…"}


def mask_key(api_key: str) -> str:
    """``sk_test_…4242``: the key's kind and mode, and its last four characters when the
    key is long enough that they give nothing away."""
    if not api_key:
        return ""
    for pattern in KEY_PATTERNS.values():
        match = pattern.match(api_key)
        if match:
            prefix, rest = match["prefix"], api_key[len(match["prefix"]) :]
            return f"{prefix}…{rest[-4:]}" if len(rest) >= 16 else f"{prefix}…"
    return "…"


def key_mode(api_key: str) -> str:
    """``live`` or ``test``, read from the key's prefix ("" for no key)."""
    for pattern in KEY_PATTERNS.values():
        match = pattern.match(api_key or "")
        if match:
            return "live" if "live" in match["prefix"] else "test"
    return ""


def default_provider_of(accounts: Iterable[PaymentProviderAccount]) -> str:
    return next(
        (account.provider for account in accounts if account.is_default), RefundProvider.MANUAL
    )
