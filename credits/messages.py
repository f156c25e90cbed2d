"""Service messages in the language of the screen that shows them.

The services raise ``DomainError``s with English messages built from module constants
(``"The voucher's balance is {balance} {currency}."``); the API answers with them as
they are. The back-office screens show them in the staff member's language: the
constant is the catalogue's msgid (marked with ``gettext_noop`` where it is defined),
and the values are read back out of the English message by matching it against the
constant, so the services need not know about languages.
"""

from __future__ import annotations

import functools
import re
import string

from django.utils.translation import gettext

from credits import selectors
from credits.services import (
    common,
    credit_notes,
    payment_settings,
    refunds,
    resolution,
    vouchers,
)
from returns_platform.errors import DomainError

TEMPLATES: tuple[str, ...] = (
    common.INVALID_AMOUNT,
    common.INVALID_PRECISION,
    common.UNKNOWN_CURRENCY,
    common.CURRENCY_MISMATCH,
    credit_notes.AMOUNT_OR_LINES,
    credit_notes.UNKNOWN_ORDER_LINE,
    credit_notes.QUANTITY_EXCEEDS,
    credit_notes.INVALID_IBAN,
    credit_notes.HOLDER_REQUIRED,
    credit_notes.GIFT_CARD_REQUIRED,
    credit_notes.CREDIT_NOTE_BOOKED,
    credit_notes.ALREADY_BOOKED,
    credit_notes.FOUR_EYES,
    credit_notes.DESCRIPTION_REQUIRED,
    refunds.REFUND_EXCEEDS_ORDER,
    refunds.PROVIDER_NOT_CONFIGURED,
    refunds.PAYMENT_REFERENCE_REQUIRED,
    refunds.NOT_MANUAL,
    refunds.NOT_PENDING,
    resolution.NOT_RESOLVABLE,
    resolution.RESOLVED_WITHOUT_RESOLUTION,
    vouchers.INSUFFICIENT_BALANCE,
    vouchers.VOUCHER_EXPIRED,
    vouchers.VOUCHER_NOT_YET_VALID,
    vouchers.VOUCHER_VOID,
    vouchers.VOUCHER_NOT_ACTIVE,
    vouchers.INVALID_VALIDITY,
    vouchers.INVALID_BONUS,
    vouchers.OVER_API_LIMIT,
    vouchers.UNKNOWN_ENTRY,
    vouchers.ALREADY_REVERSED,
    vouchers.KEY_REUSED,
    selectors.UNKNOWN_VOUCHER,
    selectors.INVALID_CODE_FORMAT,
    selectors.INVALID_CODE_CHECKSUM,
    selectors.UNKNOWN_CREDIT_NOTE,
    selectors.NOT_RESOLVED,
    payment_settings.INVALID_API_KEY,
    payment_settings.API_KEY_REQUIRED,
    payment_settings.PROVIDER_IN_USE,
    payment_settings.INVALID_BONUS,
    payment_settings.INVALID_VALIDITY,
    payment_settings.INVALID_FOUR_EYES,
    payment_settings.PROVIDER_REFUSED_KEY,
    payment_settings.PROVIDER_UNAVAILABLE,
)


@functools.cache
def _patterns() -> list[tuple[re.Pattern, str, tuple[str, ...]]]:
    """One anchored pattern per template; ``{name!r}`` fields match the repr'd value."""
    compiled = []
    for template in TEMPLATES:
        regex, names = "", []
        for literal, name, _spec, conversion in string.Formatter().parse(template):
            regex += re.escape(literal)
            if name is None:
                continue
            if name in names:  # the same value twice: match it again, capture it once
                regex += f"(?P={name})"
                continue
            names.append(name)
            regex += f"(?P<{name}>'.*?'|\".*?\")" if conversion == "r" else f"(?P<{name}>.+?)"
        compiled.append((re.compile(regex + r"\Z", re.DOTALL), template, tuple(names)))
    return compiled


def _unrepr(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] in "'\"" else value


def translated(message: str) -> str:
    """``message`` (a service's English text) in the active language, values kept."""
    for pattern, template, names in _patterns():
        match = pattern.match(message)
        if match is None:
            continue
        translation = gettext(template)
        if not names:
            return translation
        # The translated template re-applies the conversions (``!r``) itself.
        values = {name: _unrepr(match.group(name)) for name in names}
        try:
            return translation.format(**values)
        except (KeyError, IndexError, ValueError):
            return message
    return message


def error_text(error: DomainError) -> str:
    """What a screen shows for a service's refusal."""
    return translated(error.message)
