"""``{{ amount|money:currency }}``: an amount in the page's language (3,50 EUR in Dutch)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from returns_platform.money import quantize

register = template.Library()


@register.filter
def money(value, currency: str = "") -> str:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return ""
    if currency:
        amount = quantize(amount, currency)
    places = max(-amount.as_tuple().exponent, 0)
    text = number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{text} {currency}".strip()
