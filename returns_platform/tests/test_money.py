from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from returns_platform.money import CURRENCY_CODES, Money, amount_text, quantize


def test_rounding_is_half_up_to_the_minor_unit():
    assert quantize(Decimal("2.345"), "EUR") == Decimal("2.35")
    assert quantize(Decimal("2.344"), "EUR") == Decimal("2.34")
    assert quantize(Decimal("1234.5"), "JPY") == Decimal("1235")
    assert quantize(Decimal("1.2345"), "KWD") == Decimal("1.235")


def test_currencies_do_not_mix_and_floats_are_refused():
    with pytest.raises(ValueError, match="EUR and SEK"):
        Money(Decimal("1"), "EUR") + Money(Decimal("1"), "SEK")
    with pytest.raises(TypeError):
        Money(1.5, "EUR")
    assert str(Money(Decimal("19.95"), "EUR") * 3) == "59.85 EUR"


def test_iso_codes():
    assert {"EUR", "SEK", "PLN", "DKK", "GBP", "CHF"} <= CURRENCY_CODES
    assert "XXX" not in CURRENCY_CODES and "EURO" not in CURRENCY_CODES


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False))
def test_quantize_is_idempotent_and_within_half_a_cent(amount):
    rounded = quantize(amount, "EUR")
    assert quantize(rounded, "EUR") == rounded
    assert abs(rounded - amount) <= Decimal("0.005")


def test_amount_text_writes_the_currency_minor_units():
    assert amount_text(Decimal("12.5"), "EUR") == "12.50"
    assert amount_text(Decimal("1200.00"), "JPY") == "1200"
    assert amount_text(Decimal("1.25"), "BHD") == "1.250"
    assert amount_text(Decimal("1.2345"), "KWD") == "1.235"  # half up
    assert amount_text(Decimal("2.345"), "EUR") == "2.35"
    assert amount_text(Decimal("-0.5"), "JPY") == "-1"
    assert amount_text(Decimal("1E+3"), "OMR") == "1000.000"  # never an exponent
    assert amount_text(None, "EUR") is None
    assert amount_text(19.95, "EUR") == "19.95"  # a SQLite cursor's float, read as its text
    assert amount_text("7", "SEK") == "7.00"
