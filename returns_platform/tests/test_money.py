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


# Currencies with 0, 2 and 3 minor units, and a code without an entry (2).
_CURRENCIES = st.sampled_from(["EUR", "SEK", "JPY", "ISK", "BHD", "KWD", "ZZZ"])


def _general(value, currency: str) -> str:
    """``amount_text`` the general way: a ``Decimal``, rounded half up, written."""
    return amount_text(Decimal(str(value).strip()), currency)


@given(
    st.decimals(min_value=-(10**12) + 1, max_value=10**12 - 1, places=3, allow_nan=False),
    _CURRENCIES,
)
def test_an_amount_column_text_is_written_as_its_decimal(amount, currency):
    # An amount column (three places) as PostgreSQL writes it: the hot read paths hand
    # amount_text that text, which it cuts short instead of building a Decimal.
    text = format(amount.quantize(Decimal("0.001")), "f")
    assert amount_text(text, currency) == _general(text, currency)


@given(st.text(alphabet="0123456789.-+ eE\u0663\u00b2", max_size=14), _CURRENCIES)
def test_any_other_text_takes_the_general_way(text, currency):
    try:
        expected = _general(text, currency)
    except ArithmeticError as error:
        with pytest.raises(type(error)):
            amount_text(text, currency)
    else:
        assert amount_text(text, currency) == expected


def test_amount_text_cuts_a_column_text_only_when_nothing_is_rounded():
    assert amount_text("19.950", "EUR") == "19.95"
    assert amount_text("19.955", "EUR") == "19.96"  # rounded, the general way
    assert amount_text("1200.000", "JPY") == "1200"
    assert amount_text("1200.500", "JPY") == "1201"
    assert amount_text("1.255", "BHD") == "1.255"
    assert amount_text("-0.000", "JPY") == "-0"  # as the Decimal writes it
    assert amount_text("007.500", "EUR") == "7.50"  # not a column's text: general way
    assert amount_text("\u0663.500", "EUR") == "3.50"  # a digit that is not ASCII: general way


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_text_postgresql_writes_for_an_amount_column():
    from django.db import connection

    values = ["0", "0.005", "-1.5", "19.95", "1200", "1.255", "99999999999.999", "-0.001"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT v::numeric(15, 3)::text FROM unnest(%s::text[]) v", [values])
        texts = [row[0] for row in cursor.fetchall()]
    assert texts[:3] == ["0.000", "0.005", "-1.500"]
    for value, text in zip(values, texts, strict=True):
        for currency in ("EUR", "JPY", "BHD"):
            assert amount_text(text, currency) == amount_text(Decimal(value), currency)
