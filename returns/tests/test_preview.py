"""Refund preview: properties and exact examples (rounding per line, then summed)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from returns.preview import PreviewLine, refund_preview, returns_every_unit
from returns_platform.errors import DomainError
from returns_platform.money import quantize


def preview(lines, **overrides):
    values = {
        "currency": "EUR",
        "case_type": "return",
        "resolution": "refund",
        "return_cost": Decimal("4.95"),
        "is_free_return": False,
        "store_credit_bonus_percent": Decimal("0"),
        "delivery_cost": Decimal("4.95"),
        "full_withdrawal": False,
    }
    values.update(overrides)
    return refund_preview(lines=lines, **values)


def line(price, quantity=1, pk=1, currency="EUR"):
    return PreviewLine(pk, f"Item {pk}", Decimal(price), quantity, currency)


prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("9999.999"), places=3)


@given(
    items=st.lists(st.tuples(prices, st.integers(min_value=1, max_value=20)), max_size=6),
    cost=st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2),
    free=st.booleans(),
    resolution=st.sampled_from(["refund", "store_credit", "exchange"]),
    bonus=st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2),
    full=st.booleans(),
)
def test_total_is_never_negative_and_adds_up(items, cost, free, resolution, bonus, full):
    lines = [line(price, quantity, pk) for pk, (price, quantity) in enumerate(items, start=1)]
    result = preview(
        lines,
        return_cost=cost,
        is_free_return=free,
        resolution=resolution,
        store_credit_bonus_percent=bonus,
        full_withdrawal=full,
    )
    subtotal = sum((quantize(p * q, "EUR") for p, q in items), Decimal("0"))
    assert Decimal(result["subtotal"]) == subtotal
    assert sum(Decimal(item["amount"]) for item in result["lines"]) == subtotal
    assert Decimal(result["total"]) >= 0
    assert Decimal(result["return_cost"]) <= subtotal
    assert Decimal(result["total"]) == (
        subtotal
        - Decimal(result["return_cost"])
        + Decimal(result["store_credit_bonus"])
        + Decimal(result["delivery_cost_refund"])
    )
    if free:
        assert result["return_cost"] == "0.00"
    if resolution != "store_credit":
        assert result["store_credit_bonus"] == "0.00"
    for key in ("subtotal", "return_cost", "store_credit_bonus", "delivery_cost_refund", "total"):
        assert Decimal(result[key]).as_tuple().exponent == -2


def test_partial_quantity_minus_return_cost():
    result = preview([line("19.95", 1)])
    assert result["lines"] == [
        {
            "order_line": 1,
            "description": "Item 1",
            "quantity": 1,
            "unit_price": "19.95",
            "amount": "19.95",
        }
    ]
    assert (result["subtotal"], result["return_cost"], result["total"]) == (
        "19.95",
        "4.95",
        "15.00",
    )
    assert result["delivery_cost_refund"] == "0.00"


def test_free_return_keeps_the_whole_amount():
    result = preview([line("19.95", 2)], is_free_return=True)
    assert (result["return_cost"], result["total"]) == ("0.00", "39.90")


def test_store_credit_bonus_is_a_percentage_of_the_subtotal_rounded_half_up():
    result = preview(
        [line("19.95", 1)], resolution="store_credit", store_credit_bonus_percent=Decimal("10")
    )
    # 10 % of 19.95 = 1.995 -> 2.00 (half up)
    assert result["store_credit_bonus"] == "2.00"
    assert result["total"] == "17.00"


def test_rounding_per_line_then_summing():
    # 3 x 0.335 = 1.005 -> 1.01 per line; two such lines 2.02 (not round(2.010) = 2.01).
    result = preview([line("0.335", 3, 1), line("0.335", 3, 2)], is_free_return=True)
    assert [item["amount"] for item in result["lines"]] == ["1.01", "1.01"]
    assert result["subtotal"] == "2.02"


def test_full_withdrawal_refunds_the_delivery_cost_for_a_return_only():
    result = preview([line("19.95", 2), line("69.95", 1, 2)], full_withdrawal=True)
    assert result["delivery_cost_refund"] == "4.95"
    assert result["total"] == "109.85"  # 39.90 + 69.95 - 4.95 + 4.95
    complaint = preview([line("19.95", 2)], full_withdrawal=True, case_type="complaint")
    assert complaint["delivery_cost_refund"] == "0.00"


def test_return_cost_is_capped_at_the_subtotal_and_zero_price_lines_are_fine():
    result = preview([line("0.00", 3)], return_cost=Decimal("4.95"))
    assert (result["subtotal"], result["return_cost"], result["total"]) == ("0.00", "0.00", "0.00")
    cheap = preview([line("2.50", 1)], return_cost=Decimal("4.95"))
    assert (cheap["return_cost"], cheap["total"]) == ("2.50", "0.00")


def test_currency_minor_units():
    result = preview(
        [line("1000.5", 1, currency="JPY")],
        currency="JPY",
        return_cost=Decimal("0"),
        delivery_cost=Decimal("0"),
    )
    assert result["total"] == "1001"


def test_several_currencies_are_refused():
    with pytest.raises(DomainError) as error:
        preview([line("10.00", 1), line("10.00", 1, 2, currency="SEK")])
    assert error.value.code == "currency_mismatch"


def test_returns_every_unit_counts_earlier_requests():
    ordered = {1: 2, 2: 1}
    assert returns_every_unit(ordered=ordered, already_returned={}, requested={1: 2, 2: 1})
    assert returns_every_unit(ordered=ordered, already_returned={1: 1}, requested={1: 1, 2: 1})
    assert not returns_every_unit(ordered=ordered, already_returned={}, requested={1: 2})
    assert not returns_every_unit(ordered=ordered, already_returned={1: 1}, requested={2: 1})
