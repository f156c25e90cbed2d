"""``{% load money %}``: amounts in the page's language through ``format_money``.

``{{ amount|money:currency }}`` writes "1.234,56 EUR" in Dutch, "1,234.56 EUR" in
English, with the currency's minor units (JPY none, KWD three);
``{{ amount|amount:currency }}`` writes the number only, for a column whose heading
names the currency. The back office's and the portal's libraries register the same
filter, so every template has one way to write money.
"""

from __future__ import annotations

from django import template

from returns_platform.money import format_amount, format_money

register = template.Library()


@register.filter
def money(value, currency: str = "") -> str:
    return format_money(value, currency)


@register.filter
def amount(value, currency: str = "") -> str:
    return format_amount(value, currency)
