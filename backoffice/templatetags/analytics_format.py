"""Formatting of the analytics screen's cells in the staff member's language."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import date_format, number_format

register = template.Library()


@register.simple_tag
def analytics_cell(value, kind: str, currency: str = "") -> str:
    if value is None or value == "":
        return "—"
    if kind == "rate":
        return f"{number_format(Decimal(value) * 100, 1)}\u00a0%"
    if kind == "money":
        return f"{number_format(Decimal(value), 2, force_grouping=True)}\u00a0{currency}".strip()
    if kind == "days":
        return number_format(Decimal(value), 1)
    if kind == "int":
        return number_format(value, 0, force_grouping=True)
    if kind == "date":
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)
