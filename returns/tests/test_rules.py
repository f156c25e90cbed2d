"""Return rules: properties over generated input, and exact examples."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from returns import rules
from returns.models import ReturnPolicy, default_methods, default_resolutions

POLICY = ReturnPolicy(
    methods={**default_methods(), "drop_off": {"default": "4.95", "BE": "5.95"}},
    resolutions=default_resolutions(),
    non_returnable_skus=["GIFT-25"],
    non_returnable_categories=["underwear"],
).snapshot()
DELIVERED = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


def make_order(delivered_at=DELIVERED, shipped_at=None):
    return SimpleNamespace(delivered_at=delivered_at, shipped_at=shipped_at)


def make_line(pk=1, quantity=2, sku="TSHIRT-M", category="shirts", returnable=True):
    return SimpleNamespace(
        pk=pk, quantity=quantity, sku=sku, category=category, returnable=returnable
    )


def judge(lines, *, already=None, case_type="return", country="NL", today=None, **overrides):
    return rules.evaluate(
        order=overrides.pop("order", make_order()),
        lines=lines,
        case_type=case_type,
        policy=overrides.pop("policy", POLICY),
        already_returned=already or {},
        country=country,
        method=overrides.pop("method", "drop_off"),
        resolution=overrides.pop("resolution", "refund"),
        today=today or date(2026, 11, 10),
    )


def by_rule(verdicts, rule, line=None):
    return next(v for v in verdicts if v.rule == rule and v.line == line)


# --- properties ---------------------------------------------------------------------


@given(
    ordered=st.integers(min_value=1, max_value=50),
    held=st.integers(min_value=0, max_value=60),
    quantity=st.integers(min_value=1, max_value=60),
)
def test_quantity_is_blocked_exactly_when_more_than_left(ordered, held, quantity):
    line = make_line(quantity=ordered)
    verdicts = judge([rules.RequestedLine(line, quantity)], already={line.pk: held})
    left = max(ordered - held, 0)
    blocked = by_rule(verdicts, rules.RULE_QUANTITY, 0).outcome == rules.BLOCKED
    assert blocked == (quantity > left)


@given(
    offset=st.integers(min_value=-30, max_value=800),
    case=st.sampled_from(["return", "complaint", "missing_item"]),
)
def test_window_boundary_is_exact_to_the_day(offset, case):
    days = POLICY["window_days"][case]
    today = DELIVERED.date() + timedelta(days=days + offset)
    verdict = rules.check_window(order=make_order(), case_type=case, policy=POLICY, today=today)
    assert (verdict.outcome == rules.OK) == (offset <= 0)
    assert verdict.outcome in (rules.OK, rules.REVIEW)


@given(
    lines=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=5),
            st.integers(min_value=0, max_value=6),
            st.booleans(),
            st.sampled_from(["shirts", "underwear", ""]),
        ),
        min_size=0,
        max_size=8,
    ),
    case=st.sampled_from(["return", "complaint", "missing_item"]),
)
def test_verdicts_cover_every_line_with_every_line_rule(lines, case):
    requested = [
        rules.RequestedLine(
            make_line(pk=index + 1, quantity=ordered, returnable=returnable, category=category),
            quantity,
        )
        for index, (ordered, quantity, returnable, category) in enumerate(lines)
    ]
    verdicts = judge(requested, case_type=case)
    for index in range(len(requested)):
        assert {v.rule for v in verdicts if v.line == index} == {
            rules.RULE_RETURNABLE,
            rules.RULE_QUANTITY,
        }
    assert {v.line for v in verdicts} - {None} == set(range(len(requested)))
    assert {v.rule for v in verdicts if v.line is None} == {
        rules.RULE_WINDOW,
        rules.RULE_COUNTRY,
        rules.RULE_METHOD,
        rules.RULE_RESOLUTION,
    }
    assert all(v.outcome in (rules.OK, rules.BLOCKED, rules.REVIEW) for v in verdicts)
    assert all(v.reason for v in verdicts)


@given(
    country=st.sampled_from(["NL", "BE", "DE", "US", "CH"]),
    allowed=st.lists(st.sampled_from(["NL", "BE", "DE", "US", "CH"]), max_size=3),
    blocked=st.lists(st.sampled_from(["NL", "BE", "DE", "US", "CH"]), max_size=3),
)
def test_country_rule(country, allowed, blocked):
    policy = {**POLICY, "allowed_countries": allowed, "blocked_countries": blocked}
    verdict = rules.check_country(country=country, policy=policy)
    accepted = country not in blocked and (not allowed or country in allowed)
    assert (verdict.outcome == rules.OK) == accepted


# --- examples -------------------------------------------------------------------------


def test_window_falls_back_to_ship_date_and_asks_review_without_dates():
    shipped_only = make_order(delivered_at=None, shipped_at=DELIVERED)
    on_last_day = DELIVERED.date() + timedelta(days=14)
    verdict = rules.check_window(
        order=shipped_only, case_type="return", policy=POLICY, today=on_last_day
    )
    assert verdict.outcome == rules.OK
    assert "2026-11-17" in verdict.reason
    verdict = rules.check_window(
        order=shipped_only, case_type="return", policy=POLICY, today=on_last_day + timedelta(1)
    )
    assert verdict.outcome == rules.REVIEW
    no_dates = make_order(delivered_at=None, shipped_at=None)
    verdict = rules.check_window(
        order=no_dates, case_type="return", policy=POLICY, today=on_last_day
    )
    assert verdict.outcome == rules.REVIEW
    assert verdict.reason == str(rules.NO_DELIVERY_DATE)


def test_complaint_window_is_two_years():
    today = DELIVERED.date() + timedelta(days=730)
    assert (
        rules.check_window(
            order=make_order(), case_type="complaint", policy=POLICY, today=today
        ).outcome
        == rules.OK
    )
    assert (
        rules.check_window(
            order=make_order(), case_type="return", policy=POLICY, today=today
        ).outcome
        == rules.REVIEW
    )


def test_non_returnable_flag_sku_and_category_block_a_withdrawal_only():
    lines = [
        rules.RequestedLine(make_line(pk=1, returnable=False), 1),
        rules.RequestedLine(make_line(pk=2, sku="GIFT-25"), 1),
        rules.RequestedLine(make_line(pk=3, category="underwear"), 1),
        rules.RequestedLine(make_line(pk=4), 1),
    ]
    verdicts = judge(lines)
    outcomes = [by_rule(verdicts, rules.RULE_RETURNABLE, i).outcome for i in range(4)]
    assert outcomes == [rules.BLOCKED, rules.BLOCKED, rules.BLOCKED, rules.OK]
    assert by_rule(verdicts, rules.RULE_RETURNABLE, 1).reason == (
        "Line 2: GIFT-25 is on the shop's list of non-returnable items."
    )
    complaint = judge(lines, case_type="complaint")
    assert all(by_rule(complaint, rules.RULE_RETURNABLE, i).outcome == rules.OK for i in range(4))


def test_quantity_left_counts_what_other_requests_hold():
    line = make_line(quantity=3)
    verdicts = judge([rules.RequestedLine(line, 2)], already={1: 2})
    verdict = by_rule(verdicts, rules.RULE_QUANTITY, 0)
    assert verdict.outcome == rules.BLOCKED
    assert verdict.reason == "Line 1: 2 requested but only 1 left to return."
    zero = judge([rules.RequestedLine(line, 0)])
    assert by_rule(zero, rules.RULE_QUANTITY, 0).outcome == rules.BLOCKED


def test_method_cost_per_country_with_default():
    assert rules.method_cost(POLICY, "drop_off", "BE") == Decimal("5.95")
    assert rules.method_cost(POLICY, "drop_off", "NL") == Decimal("4.95")
    assert rules.method_cost(POLICY, "in_store", "DE") == Decimal("0.00")
    only_nl = {**POLICY, "methods": {"pickup": {"NL": "7.95"}}}
    assert rules.method_cost(only_nl, "pickup", "BE") is None
    assert rules.method_cost(only_nl, "drop_off", "NL") is None
    verdict = rules.check_method(method="pickup", country="BE", policy=only_nl)
    assert verdict.outcome == rules.BLOCKED


def test_resolution_must_be_offered():
    policy = {**POLICY, "resolutions": ["refund"]}
    assert rules.check_resolution(resolution="refund", policy=policy).outcome == rules.OK
    assert rules.check_resolution(resolution="exchange", policy=policy).outcome == rules.BLOCKED


def test_overall_outcome():
    ok = rules.Verdict("x", rules.OK, "fine")
    review = rules.Verdict("y", rules.REVIEW, "look")
    blocked = rules.Verdict("z", rules.BLOCKED, "no")
    assert rules.overall([ok]) == rules.OK
    assert rules.overall([ok, review]) == rules.REVIEW
    assert rules.overall([review, blocked, ok]) == rules.BLOCKED
