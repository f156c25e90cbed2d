"""Every figure of the analytics against the hand-counted shop of ``fixtures.py``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from analytics.aggregation import analytics_rebuild
from analytics.models import AnalyticsSettings
from analytics.selectors import Filters, analytics_report
from returns_platform.tenancy import tenant_context
from testing.analytics import END, START

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

D = Decimal


def report(tenant, language="en", **filters):
    with tenant_context(tenant):
        return analytics_report(filters=Filters(start=START, end=END, **filters), language=language)


def rate_rows(rows, key):
    return [
        (row[key], row["units_sold"], row["units_returned"], row["return_rate"]) for row in rows
    ]


def test_headline_figures_and_the_period_before(tenant, counted):
    figures = report(tenant)
    assert figures["orders"] == 3  # O1, O2, O3 (O4 cancelled, O5 before, O6 after)
    assert figures["units_sold"] == 9  # 3 + 4 + 2
    assert figures["returns"] == 3  # R1, R2, R3 (R4 cancelled)
    assert figures["units_returned"] == 5  # 2 + 2 + 1
    assert figures["return_rate"] == D("0.5556")
    assert figures["previous"] == {
        "orders": 1,
        "units_sold": 1,
        "returns": 0,
        "units_returned": 0,
        "return_rate": D("0.0000"),
    }


def test_rates_per_channel_category_and_sku(tenant, counted):
    figures = report(tenant)
    assert rate_rows(figures["by_channel"], "channel") == [
        ("market", 2, 1, D("0.5000")),
        ("web", 7, 4, D("0.5714")),
    ]
    assert rate_rows(figures["by_category"], "category") == [
        ("Shirts", 6, 2, D("0.3333")),
        ("Shoes", 3, 3, D("1.0000")),
    ]
    assert rate_rows(figures["by_sku"], "sku") == [
        ("SKU-A", 3, 3, D("1.0000")),
        ("SKU-B", 3, 1, D("0.3333")),
        ("SKU-C", 3, 1, D("0.3333")),
    ]
    assert [row["name"] for row in figures["by_sku"]] == [
        "Product SKU-A",
        "Product SKU-B",
        "Product SKU-C",
    ]
    # Every SKU sold 3 units: under the default minimum of 10 none is ranked.
    assert figures["top_skus"] == [] and figures["bottom_skus"] == []


def test_sku_ranking_honours_the_minimum_volume(tenant, counted):
    with tenant_context(tenant):
        AnalyticsSettings.objects.create(min_units_sold=3)
    figures = report(tenant)
    assert [row["sku"] for row in figures["top_skus"]] == ["SKU-A", "SKU-B", "SKU-C"]
    assert [row["sku"] for row in figures["bottom_skus"]] == ["SKU-B", "SKU-C", "SKU-A"]


def test_reasons_shares_per_category_and_their_comments(tenant, counted):
    figures = report(tenant)
    assert [(r["code"], r["label"], r["units"], r["share"]) for r in figures["reasons"]] == [
        ("size", "Wrong size", 3, D("0.6000")),
        ("damaged", "Damaged", 2, D("0.4000")),
    ]
    assert figures["reasons_by_category"] == {
        "Shirts": [{"code": "damaged", "label": "Damaged", "units": 2}],
        "Shoes": [{"code": "size", "label": "Wrong size", "units": 3}],
    }
    comments = figures["reason_comments"]
    assert [line.comment for line in comments["size"]] == ["Too small"]
    assert [line.comment for line in comments["damaged"]] == ["Seam came loose", "Broken zip"]
    dutch = report(tenant, language="nl")
    assert [r["label"] for r in dutch["reasons"]] == ["Verkeerde maat", "Beschadigd"]


def test_resolutions_and_money(tenant, counted):
    figures = report(tenant)
    assert figures["resolutions"] == [
        {"resolution": "exchange", "count": 1, "amount": D("0.00")},
        {"resolution": "refund", "count": 1, "amount": D("100.00")},
        {"resolution": "store_credit", "count": 1, "amount": D("63.00")},
    ]
    assert figures["refunded"] == D("100.00")
    assert figures["credited"] == D("63.00")  # 60.00 + 3.00 bonus
    assert figures["exchanged"] == D("0.00")  # R3 is not resolved yet
    assert figures["revenue_kept"] == D("63.00")
    assert figures["return_costs"] == D("12.90")  # R1 4.95 + R3 7.95; R2 free
    assert figures["completed"] == 2
    assert figures["vouchers_issued"] == D("63.00")
    assert figures["vouchers_redeemed"] == D("20.00")


def test_speed_medians_percentiles_and_the_target(tenant, counted):
    figures = report(tenant)
    milestones = figures["speed"]["milestones"]
    # approval 12h, 24h, 48h; receipt 36h, 72h, 240h; inspection 96h, 264h; refund 120h.
    assert milestones == {
        "approval": {"median": D("1.0"), "p90": D("2.0"), "count": 3},
        "receipt": {"median": D("3.0"), "p90": D("10.0"), "count": 3},
        "inspection": {"median": D("4.0"), "p90": D("11.0"), "count": 2},
        "refund": {"median": D("5.0"), "p90": D("5.0"), "count": 1},
    }
    assert figures["speed"]["over_target"] == 0  # 5 days against the default 14
    with tenant_context(tenant):
        AnalyticsSettings.objects.create(target_days=4)
    assert report(tenant)["speed"]["over_target"] == 1


def test_repeat_returners_and_feedback(tenant, counted):
    figures = report(tenant)
    # jan: R1 + R2, 4 units returned of 7 bought; piet has one return only.
    assert figures["repeat_returners"] == [
        {
            "email": "jan@example.com",
            "returns": 2,
            "units": 4,
            "units_bought": 7,
            "rate": D("0.5714"),
        }
    ]
    feedback = figures["feedback"]
    assert feedback["responses"] == 2
    assert feedback["average"] == D("3.50")
    assert feedback["distribution"] == [(1, 0), (2, 1), (3, 0), (4, 0), (5, 1)]
    assert [(a.request.rma, a.rating, a.comment) for a in feedback["latest"]] == [
        ("R2", 2, "Slow"),
        ("R1", 5, "Quick refund"),
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # O3 only; R3.
        ({"channel": "market"}, (1, 2, 1, 1, D("0.5000"))),
        # O2 only; R2.
        ({"country": "DE"}, (1, 4, 1, 2, D("0.5000"))),
        # Orders holding SKU-A: O1, O2 (3 units); R1 and R2 return 3 of them.
        ({"sku": "SKU-A"}, (2, 3, 2, 3, D("1.0000"))),
        # Shirts: O1 (B), O2 (C), O3 (B) hold 6 units; R2 (C) and R3 (B) return 2.
        ({"category": "Shirts"}, (3, 6, 2, 2, D("0.3333"))),
        # The case type filters the returns, not the sales.
        ({"case_type": "complaint"}, (3, 9, 1, 1, D("0.1111"))),
    ],
)
def test_filters(tenant, counted, filters, expected):
    figures = report(tenant, **filters)
    assert (
        figures["orders"],
        figures["units_sold"],
        figures["returns"],
        figures["units_returned"],
        figures["return_rate"],
    ) == expected


def test_filters_narrow_money_speed_and_feedback(tenant, counted):
    figures = report(tenant, channel="web")
    assert figures["refunded"] == D("100.00") and figures["credited"] == D("63.00")
    assert figures["return_costs"] == D("4.95")
    assert figures["speed"]["milestones"]["approval"]["count"] == 2
    assert figures["feedback"]["responses"] == 2
    market = report(tenant, channel="market")
    assert market["refunded"] == D("0") and market["feedback"]["responses"] == 0


def test_an_empty_period_has_no_rate(tenant, counted):
    with tenant_context(tenant):
        figures = analytics_report(filters=Filters(start=date(2025, 1, 1), end=date(2025, 1, 31)))
    assert figures["orders"] == 0 and figures["return_rate"] is None
    assert figures["speed"]["milestones"]["refund"] == {"median": None, "p90": None, "count": 0}
    assert figures["feedback"]["average"] is None


def test_another_shop_sees_none_of_it(tenant, other_tenant, counted):
    with tenant_context(other_tenant):
        analytics_rebuild()
        figures = analytics_report(filters=Filters(start=START, end=END))
    assert figures["orders"] == 0 and figures["units_returned"] == 0 and figures["reasons"] == []


def test_keep_the_item_counts_as_its_own_resolution(tenant, counted):
    from returns.models import ReturnRequest

    with tenant_context(tenant):
        ReturnRequest.objects.filter(rma="R1").update(keep_item=True)
        analytics_rebuild()
    figures = report(tenant)
    assert figures["resolutions"] == [
        {"resolution": "exchange", "count": 1, "amount": D("0.00")},
        {"resolution": "keep_item", "count": 1, "amount": D("100.00")},
        {"resolution": "store_credit", "count": 1, "amount": D("63.00")},
    ]
    assert figures["refunded"] == D("100.00")  # kept items are still paid back
