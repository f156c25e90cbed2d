"""Tax rates are written as DRF's two-place ``DecimalField`` writes them, from a
``Decimal`` or from the column's text (the order page reads the text)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import serializers

from orders.documents import rate_text

FIELD = serializers.DecimalField(max_digits=5, decimal_places=2)


@given(st.decimals(min_value=-999, max_value=999, places=2, allow_nan=False))
def test_the_column_text_is_written_as_the_field_writes_the_value(rate):
    text = format(rate.quantize(Decimal("0.01")), "f")  # as PostgreSQL writes numeric(5, 2)
    assert rate_text(text) == FIELD.to_representation(rate) == rate_text(rate)


@given(st.text(alphabet="0123456789.- e\u0663", max_size=9))
def test_any_other_text_takes_the_general_way(text):
    try:
        expected = format(Decimal(text.strip()).quantize(Decimal("0.01")), "f")
    except ArithmeticError as error:
        with pytest.raises(type(error)):
            rate_text(text)
    else:
        assert rate_text(text) == expected


def test_examples():
    assert rate_text("21.00") == "21.00"
    assert rate_text("021.00") == "21.00"
    assert rate_text("21.5") == "21.50"
    assert rate_text(None) is None
