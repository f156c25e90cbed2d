"""Formatting of the analytics screen's cells in the staff member's language."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import date_format, number_format

register = template.Library()


def _rounded(value, places: int) -> str:
    """The number with ``places`` decimals, rounded half up (Django's number_format cuts)."""
    exponent = Decimal(1).scaleb(-places)
    return number_format(
        Decimal(value).quantize(exponent, rounding=ROUND_HALF_UP), places, force_grouping=True
    )


@register.simple_tag
def analytics_cell(value, kind: str, currency: str = "") -> str:
    if value is None or value == "":
        return "—"
    if kind == "rate":
        return f"{_rounded(Decimal(value) * 100, 1)}\u00a0%"
    if kind == "money":
        return f"{_rounded(value, 2)}\u00a0{currency}".strip()
    if kind == "days":
        return _rounded(value, 1)
    if kind == "int":
        return number_format(value, 0, force_grouping=True)
    if kind == "date":
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)
