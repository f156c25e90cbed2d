"""Payment set-up: the shop's provider accounts and its refund settings.

Keys are write-only: they are stored encrypted (``EncryptedTextField``), shown again only
masked (``sk_test_…4242``) and never written to the audit log. "Test connection" calls
the provider outside any transaction and records only whether the key worked.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from credits.models import PaymentProviderAccount, Refund
from credits.payment_keys import KEY_EXAMPLES, KEY_PATTERNS, default_provider_of
from credits.providers import ConnectionCheck, ProviderError, provider_for
from credits.settings import credit_settings_get
from credits.statuses import RefundProvider, RefundStatus
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.errors import ConflictError, DomainError
from returns_platform.money import CURRENCY_CODES, quantize

# Provider accounts that carry a key (manual payouts need none).
KEYED_PROVIDERS = (RefundProvider.STRIPE.value, RefundProvider.MOLLIE.value)
MAX_BONUS_PERCENT = Decimal("100")
MAX_VALIDITY_DAYS = 3650


def provider_label(provider: str) -> str:
    return str(RefundProvider(provider).label)


def require_valid_key(*, provider: str, api_key: str, field: str) -> str:
    api_key = api_key.strip()
    if not api_key:
        raise DomainError(
            code="api_key_required", field=field, params={"provider": provider_label(provider)}
        )
    if not KEY_PATTERNS[provider].match(api_key):
        raise DomainError(
            code="invalid_api_key",
            field=field,
            params={"provider": provider_label(provider), "example": KEY_EXAMPLES[provider]},
        )
    return api_key


def _four_eyes_thresholds(value) -> dict[str, str]:
    """``{"EUR": "250.00"}`` normalised; anything else is refused naming the field."""
    if not isinstance(value, dict):
        raise DomainError(
            code="invalid_four_eyes_threshold",
            field="four_eyes_above",
            params={"currency": "?", "value": value},
        )
    thresholds = {}
    for currency, limit in value.items():
        code = str(currency).upper()
        try:
            amount = None if isinstance(limit, float) else Decimal(str(limit))
        except InvalidOperation:
            amount = None
        if (
            amount is None
            or not amount.is_finite()
            or amount < 0
            or code not in CURRENCY_CODES
            or quantize(amount, code) != amount
        ):
            raise DomainError(
                code="invalid_four_eyes_threshold",
                field=f"four_eyes_above.{currency}",
                params={"currency": currency, "value": limit},
            )
        thresholds[code] = str(quantize(amount, code))
    return thresholds


def _require_credit_settings(changes: dict) -> None:
    bonus = changes.get("voucher_bonus_percent")
    if bonus is not None and not (
        isinstance(bonus, Decimal)
        and bonus.is_finite()
        and Decimal("0") <= bonus <= MAX_BONUS_PERCENT
        and bonus == bonus.quantize(Decimal("0.01"))
    ):
        raise DomainError(code="invalid_bonus_percent", field="voucher_bonus_percent")
    days = changes.get("voucher_validity_days")
    if days is not None and not (isinstance(days, int) and 0 <= days <= MAX_VALIDITY_DAYS):
        raise DomainError(
            code="invalid_validity_days",
            field="voucher_validity_days",
            params={"limit": MAX_VALIDITY_DAYS},
        )


def _remove_account(account: PaymentProviderAccount, *, field: str) -> None:
    unpaid = Refund.objects.filter(
        provider=account.provider, status__in=[RefundStatus.PENDING, RefundStatus.PROCESSING]
    )
    if unpaid.exists():
        raise ConflictError(
            code="provider_in_use",
            field=field,
            params={"provider": provider_label(account.provider)},
        )
    account.delete()


@transaction.atomic
def payment_settings_update(
    *,
    actor: Actor,
    accounts: list[dict] | None = None,
    default_provider: str | None = None,
    credit_settings: dict | None = None,
) -> None:
    """Change what is named and keep the rest.

    ``accounts``: ``{"provider", "api_key"}`` sets (or replaces) that provider's key, an
    empty key keeps the stored one, ``{"provider", "remove": True}`` removes the account.
    ``default_provider``: the provider refunds use when none is named (``manual`` or one
    with an account). ``credit_settings``: four-eyes booking, voucher bonus and validity.
    Everything is checked before anything is kept: one refusal changes nothing.
    """
    credit_settings = {k: v for k, v in (credit_settings or {}).items() if v is not None}
    _require_credit_settings(credit_settings)
    if "four_eyes_above" in credit_settings:
        thresholds = _four_eyes_thresholds(credit_settings["four_eyes_above"])
        credit_settings["four_eyes_above"] = thresholds
    stored = {
        account.provider: account
        for account in PaymentProviderAccount.objects.select_for_update().order_by("provider")
    }
    keys_changed, removed = [], []
    for index, change in enumerate(accounts or []):
        provider = change["provider"]
        field = f"accounts[{index}].api_key"
        account = stored.get(provider)
        if change.get("remove"):
            if account is not None:
                _remove_account(account, field=f"accounts[{index}].remove")
                del stored[provider]
                removed.append(provider)
            continue
        api_key = (change.get("api_key") or "").strip()
        if not api_key and account is not None:
            continue  # write-only: empty keeps the stored key
        api_key = require_valid_key(provider=provider, api_key=api_key, field=field)
        account = account or PaymentProviderAccount(provider=provider)
        account.api_key = api_key
        account.checked_at = account.check_ok = None
        account.save()
        stored[provider] = account
        keys_changed.append(provider)
    if default_provider is not None:
        if default_provider != RefundProvider.MANUAL and default_provider not in stored:
            raise DomainError(
                code="provider_not_configured",
                field="default_provider",
                params={"provider": provider_label(default_provider)},
            )
        for provider, account in stored.items():
            if account.is_default != (provider == default_provider):
                account.is_default = provider == default_provider
                account.save(update_fields=["is_default", "updated_at"])
    settings = credit_settings_get()
    for name, value in credit_settings.items():
        setattr(settings, name, value)
    if credit_settings:
        settings.save(update_fields=list(credit_settings))
    events.record(
        "payment_settings.updated",
        actor=actor,
        subject_id="payments",
        data={
            "default_provider": default_provider_of(stored.values()),
            "keys_changed": keys_changed,  # which providers, never the keys
            "accounts_removed": removed,
            **{
                name: value if isinstance(value, dict) else str(value)
                for name, value in credit_settings.items()
            },
        },
    )


def payment_connection_test(*, provider: str, api_key: str = "") -> ConnectionCheck:
    """Ask the provider whether a key works: the one given (not stored), else the stored
    one, whose result is kept on the account. Not atomic: the call may take seconds."""
    if provider == RefundProvider.MANUAL:
        return provider_for(provider).check()
    account = None
    if api_key.strip():
        api_key = require_valid_key(provider=provider, api_key=api_key, field="api_key")
    else:
        account = PaymentProviderAccount.objects.filter(provider=provider).first()
        if account is None:
            raise DomainError(
                code="provider_not_configured",
                field="provider",
                params={"provider": provider_label(provider)},
            )
        api_key = account.api_key
    try:
        result = provider_for(provider, api_key).check()
    except ProviderError as error:
        _remember_check(account, ok=False)
        detail = str(error)
        if error.retryable:
            raise DomainError(
                code="provider_unavailable",
                status=502,
                field="provider",
                params={"provider": provider_label(provider), "detail": detail},
            ) from error
        raise DomainError(
            code="provider_refused_key",
            field="api_key",
            params={"provider": provider_label(provider), "detail": detail},
        ) from error
    _remember_check(account, ok=True)
    return result


def _remember_check(account: PaymentProviderAccount | None, *, ok: bool) -> None:
    if account is not None:
        PaymentProviderAccount.objects.filter(pk=account.pk).update(
            checked_at=timezone.now(), check_ok=ok
        )
