"""``format_money``: minor units of the currency, separators of the language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from returns_platform.money import format_amount, format_money

NBSP = "\u00a0"

# (language, currency) -> 1234567.891 written out: JPY has no minor unit, KWD three,
# EUR two; en groups with a comma, nl and de with a dot, pl and sv with a no-break space.
EXPECTED = {
    ("en", "JPY"): "1,234,568 JPY",
    ("en", "KWD"): "1,234,567.891 KWD",
    ("en", "EUR"): "1,234,567.89 EUR",
    ("nl", "JPY"): "1.234.568 JPY",
    ("nl", "KWD"): "1.234.567,891 KWD",
    ("nl", "EUR"): "1.234.567,89 EUR",
    ("de", "JPY"): "1.234.568 JPY",
    ("de", "KWD"): "1.234.567,891 KWD",
    ("de", "EUR"): "1.234.567,89 EUR",
    ("pl", "JPY"): f"1{NBSP}234{NBSP}568 JPY",
    ("pl", "KWD"): f"1{NBSP}234{NBSP}567,891 KWD",
    ("pl", "EUR"): f"1{NBSP}234{NBSP}567,89 EUR",
    ("sv", "JPY"): f"1{NBSP}234{NBSP}568 JPY",
    ("sv", "KWD"): f"1{NBSP}234{NBSP}567,891 KWD",
    ("sv", "EUR"): f"1{NBSP}234{NBSP}567,89 EUR",
}


@pytest.mark.parametrize(("language", "currency"), sorted(EXPECTED))
def test_an_amount_has_the_currencys_minor_units_and_the_languages_separators(language, currency):
    assert (
        format_money(Decimal("1234567.891"), currency, language) == EXPECTED[(language, currency)]
    )


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        ("0.5", "JPY", "en", "1"),  # half up, as amounts are rounded everywhere
        ("2.0005", "KWD", "de", "2,001"),
        ("12", "BHD", "nl", "12,000"),
        ("999.999", "EUR", "en", "1,000.00"),
        ("-1234.5", "EUR", "nl", "-1.234,50"),
        ("7", "OMR", "pl", "7,000"),
        ("1234", "", "de", "1.234"),  # without a currency the amount keeps its decimals
        ("1234.5", "", "en", "1,234.5"),
    ],
)
def test_rounding_signs_and_amounts_without_a_currency(amount, currency, language, expected):
    assert format_amount(amount, currency, language) == expected


def test_nothing_and_non_numbers():
    assert format_money(None, "EUR", "en") == ""
    assert format_money("", "EUR", "nl") == ""
    assert format_money("n/a", "EUR", "en") == "n/a EUR"


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("en", "EUR", "€1,234.50"),
        ("nl", "EUR", "€ 1.234,50"),
        ("de", "EUR", "1.234,50 €"),
        ("pl", "PLN", f"1{NBSP}234,50 zł"),
        ("sv", "SEK", f"1{NBSP}234,50 kr"),
        ("en", "SEK", "1,234.50 kr"),
        ("en", "JPY", "1,235 JPY"),  # no symbol known: the code
        ("de", "KWD", "1.234,500 KWD"),
        ("en", "GBP", "-£0.50"),
    ],
)
def test_mails_write_the_symbol_where_each_language_puts_it(language, currency, expected):
    amount = "-0.5" if currency == "GBP" else "1234.5"
    assert format_money(amount, currency, language, symbol=True) == expected


def test_the_active_language_is_the_default():
    with translation.override("de"):
        assert format_money("1234.5", "EUR") == "1.234,50 EUR"
    with translation.override("en"):
        assert format_money("1234.5", "EUR") == "1,234.50 EUR"


@pytest.mark.parametrize("library", ["money", "backoffice", "portal_money"])
@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [("en", "JPY", "1,235 JPY"), ("nl", "KWD", "1.234,500 KWD"), ("de", "EUR", "1.234,50 EUR")],
)
def test_every_template_library_writes_money_the_same_way(library, language, currency, expected):
    """The back office's filter used to print two decimals whatever the currency."""
    template = Template("{% load " + library + " %}{{ value|money:currency }}")
    with translation.override(language):
        rendered = template.render(Context({"value": Decimal("1234.5"), "currency": currency}))
    assert rendered == expected


def test_the_amount_filter_writes_the_number_only():
    template = Template("{% load money %}{{ value|amount:'KWD' }}")
    with translation.override("sv"):
        assert template.render(Context({"value": Decimal("3.5")})) == "3,500"
