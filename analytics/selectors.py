"""The analytics figures of a period, read from the daily aggregate rows.

``analytics_report`` answers everything the page, the API and the exports show for one
period and filter set. Each aggregate table is read once, grouped by the finest
dimensions a figure needs; the totals per channel, category and SKU are added up in
Python from those few rows. The repeat returners, the feedback and the reasons' comments
come from per-request rows of the period (``analytics.request_rows``); only the customers'
purchases and the few answers and lines shown are read from the source tables, by index.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.functions import Coalesce

from analytics.aggregation import local_bounds
from analytics.models import (
    AnalyticsSettings,
    DurationDay,
    FeedbackEntry,
    Milestone,
    OrderDay,
    ReasonComment,
    ReturnDay,
    ReturnerDay,
    ReturnLineDay,
    SalesDay,
    Scope,
    TransitDay,
    VoucherDay,
)
from carriers.statuses import Carrier
from orders.models import Order
from returns.models import Feedback, ReturnLine, ReturnReason
from returns_platform.money import quantize
from returns_platform.tenancy import require_current_tenant

ZERO = Decimal("0")
RATE = Decimal("0.0001")
DAYS = Decimal("0.1")
RANKED = 20
# The customers with the most units returned in the period whose purchases are checked.
REPEAT_CANDIDATES = 40
# A customer's purchases count from this many days before the period to its end.
PURCHASE_DAYS_BEFORE = 90
LATEST_COMMENTS = 10
TOP_REASONS_WITH_COMMENTS = 5
MILESTONES = [str(m) for m in Milestone]


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # inclusive
    channel: str = ""
    category: str = ""
    sku: str = ""
    case_type: str = ""
    country: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        """The period of the same length just before this one."""
        return replace(self, start=self.start - timedelta(self.days), end=self.start - timedelta(1))

    @property
    def by_product(self) -> bool:
        return bool(self.category or self.sku)


def analytics_settings_get() -> AnalyticsSettings:
    found = AnalyticsSettings.objects.first()
    return found if found is not None else AnalyticsSettings(tenant=require_current_tenant())


def in_currency(amount: Decimal) -> Decimal:
    """An amount of the summaries rounded to the shop's currency's minor units."""
    return quantize(Decimal(amount), require_current_tenant().currency)


def rate(returned: int, sold: int) -> Decimal | None:
    if not sold:
        return None
    return (Decimal(returned) / Decimal(sold)).quantize(RATE, rounding=ROUND_HALF_UP)


def _days(queryset: QuerySet, filters: Filters, *, product=True, case_type=True) -> QuerySet:
    queryset = queryset.filter(day__gte=filters.start, day__lte=filters.end)
    for name in ("channel", "country") + (("category", "sku") if product else ()):
        value = getattr(filters, name)
        if value:
            queryset = queryset.filter(**{name: value})
    if case_type and filters.case_type:
        queryset = queryset.filter(case_type=filters.case_type)
    return queryset


def _sum(queryset: QuerySet, *fields: str) -> dict:
    found = queryset.aggregate(**{f: Coalesce(Sum(f), ZERO if f in MONEY else 0) for f in fields})
    return found


MONEY = {
    "revenue",
    "value",
    "resolved",
    "refunded",
    "credited",
    "exchanged",
    "return_costs",
    "issued",
    "redeemed",
}


def headline(filters: Filters) -> dict:
    """Orders, units sold and returned, requests and the return rate of the period."""
    if filters.by_product:
        sold = _sum(_days(SalesDay.objects, filters, case_type=False), "orders", "units_sold")
    else:
        orders = _days(OrderDay.objects, filters, product=False, case_type=False)
        sold = _sum(orders, "orders", "units_sold")
    lines = _days(ReturnLineDay.objects, filters)
    returned = _sum(lines, "units_returned")["units_returned"]
    if filters.by_product:
        returns = _sum(lines, "requests")["requests"]
    else:
        returns = _sum(_days(ReturnDay.objects, filters, product=False), "returns")["returns"]
    return {
        "orders": sold["orders"],
        "units_sold": sold["units_sold"],
        "returns": returns,
        "units_returned": returned,
        "return_rate": rate(returned, sold["units_sold"]),
    }


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(RATE) if whole else ZERO


def _rate_rows(sold: dict, returned: dict, names: dict, key: str) -> list[dict]:
    rows = []
    for value in sorted(set(sold) | set(returned)):
        units_sold, units_returned = sold.get(value, 0), returned.get(value, 0)
        rows.append(
            {
                key: value,
                "name": names.get(value, ""),
                "units_sold": units_sold,
                "units_returned": units_returned,
                "return_rate": rate(units_returned, units_sold),
            }
        )
    return rows


def product_rates(filters: Filters) -> dict:
    """Return rates per channel, category and SKU, and reasons per category."""
    sold_rows = list(
        _days(SalesDay.objects, filters, case_type=False)
        .values("channel", "category", "sku")
        .annotate(units=Sum("units_sold"), product=Max("name"))
        .order_by()
    )
    returned_rows = (
        _days(ReturnLineDay.objects, filters)
        .values("channel", "category", "sku", "reason")
        .annotate(units=Sum("units_returned"), product=Max("name"))
        .order_by()
    )
    names: dict[str, str] = {}
    sold: dict[str, dict] = {"channel": {}, "category": {}, "sku": {}}
    returned: dict[str, dict] = {"channel": {}, "category": {}, "sku": {}}
    reasons: dict[str, int] = {}
    reasons_by_category: dict[tuple[str, str], int] = {}
    for row in sold_rows:
        names[row["sku"]] = max(names.get(row["sku"], ""), row["product"] or "")
        for key in sold:
            sold[key][row[key]] = sold[key].get(row[key], 0) + row["units"]
    for row in returned_rows:
        names.setdefault(row["sku"], row["product"] or "")
        for key in returned:
            returned[key][row[key]] = returned[key].get(row[key], 0) + row["units"]
        reasons[row["reason"]] = reasons.get(row["reason"], 0) + row["units"]
        pair = (row["category"], row["reason"])
        reasons_by_category[pair] = reasons_by_category.get(pair, 0) + row["units"]
    return {
        "by_channel": _rate_rows(sold["channel"], returned["channel"], {}, "channel"),
        "by_category": _rate_rows(sold["category"], returned["category"], {}, "category"),
        "by_sku": _rate_rows(sold["sku"], returned["sku"], names, "sku"),
        "reasons": reasons,
        "reasons_by_category": reasons_by_category,
    }


def ranked_skus(by_sku: list[dict], *, min_units_sold: int) -> tuple[list[dict], list[dict]]:
    """The SKUs returned most and least (by rate), among those sold at least the minimum."""
    eligible = [row for row in by_sku if row["units_sold"] >= max(min_units_sold, 1)]
    top = sorted(eligible, key=lambda row: (-row["return_rate"], row["sku"]))[:RANKED]
    bottom = sorted(eligible, key=lambda row: (row["return_rate"], row["sku"]))[:RANKED]
    return top, bottom


def reason_labels(language: str) -> dict[str, str]:
    return {reason.code: reason.label(language) for reason in ReturnReason.objects.all()}


def reason_rows(reasons: dict[str, int], labels: dict[str, str]) -> list[dict]:
    total = sum(reasons.values())
    rows = [
        {
            "code": code,
            "label": labels.get(code, code),
            "units": units,
            "share": _share(units, total),
        }
        for code, units in reasons.items()
    ]
    return sorted(rows, key=lambda row: (-row["units"], row["code"]))


def money(filters: Filters) -> dict:
    """Resolutions with their amounts and the money of the period."""
    days = _days(ReturnDay.objects, filters, product=False)
    rows = (
        days.values("resolution")
        .annotate(
            count=Sum("returns"),
            resolved=Sum("resolved"),
            exchanged=Sum("exchanged"),
        )
        .order_by("resolution")
    )
    resolutions = [
        {
            "resolution": row["resolution"],
            "count": row["count"],
            "amount": in_currency(row["resolved"] + row["exchanged"]),
        }
        for row in rows
    ]
    totals = _sum(days, "refunded", "credited", "exchanged", "return_costs", "completed")
    totals = {k: in_currency(v) if k in MONEY else v for k, v in totals.items()}
    vouchers = _sum(
        VoucherDay.objects.filter(
            day__gte=filters.start,
            day__lte=filters.end,
            currency=require_current_tenant().currency,
        ),
        "issued",
        "redeemed",
    )
    vouchers = {k: in_currency(v) for k, v in vouchers.items()}
    return {
        "resolutions": resolutions,
        "refunded": totals["refunded"],
        "credited": totals["credited"],
        "exchanged": totals["exchanged"],
        "revenue_kept": totals["credited"] + totals["exchanged"],
        "return_costs": totals["return_costs"],
        "completed": totals["completed"],
        "vouchers_issued": vouchers["issued"],
        "vouchers_redeemed": vouchers["redeemed"],
    }


def percentile(histogram: list[tuple[int, int]], fraction: Decimal) -> Decimal | None:
    """The value below which ``fraction`` of the counted hours lie (nearest rank), in days."""
    total = sum(count for _, count in histogram)
    if not total:
        return None
    rank = max(1, int((fraction * total).to_integral_value(rounding="ROUND_CEILING")))
    seen = 0
    for hours, count in sorted(histogram):
        seen += count
        if seen >= rank:
            return (Decimal(hours) / 24).quantize(DAYS, rounding=ROUND_HALF_UP)
    return None


def speed(filters: Filters, *, target_days: int) -> dict:
    rows = (
        _days(DurationDay.objects, filters, product=False)
        .values("milestone", "hours")
        .annotate(n=Sum("count"))
        .order_by()
    )
    histograms: dict[str, list[tuple[int, int]]] = {m: [] for m in MILESTONES}
    for row in rows:
        histograms[row["milestone"]].append((row["hours"], row["n"]))
    figures = {
        milestone: {
            "median": percentile(histogram, Decimal("0.5")),
            "p90": percentile(histogram, Decimal("0.9")),
            "count": sum(count for _, count in histogram),
        }
        for milestone, histogram in histograms.items()
    }
    over = sum(count for hours, count in histograms[Milestone.REFUND] if hours > target_days * 24)
    return {"milestones": figures, "over_target": over, "target_days": target_days}


def transit(filters: Filters) -> list[dict]:
    """Days in transit per carrier: parcels delivered, median and 90th percentile."""
    rows = (
        _days(TransitDay.objects, filters, product=False)
        .values("carrier", "hours")
        .annotate(n=Sum("count"))
        .order_by()
    )
    histograms: dict[str, list[tuple[int, int]]] = {}
    for row in rows:
        histograms.setdefault(row["carrier"], []).append((row["hours"], row["n"]))
    labels = dict(Carrier.choices)
    return [
        {
            "carrier": carrier,
            "label": labels.get(carrier, carrier),
            "parcels": sum(count for _, count in histogram),
            "median": percentile(histogram, Decimal("0.5")),
            "p90": percentile(histogram, Decimal("0.9")),
        }
        for carrier, histogram in sorted(histograms.items())
    ]


def _scoped(queryset: QuerySet, filters: Filters) -> QuerySet:
    """Per-request rows of the period and filters, each request once (``Scope``)."""
    queryset = _days(queryset, filters, product=False)
    if filters.category and filters.sku:
        return queryset.filter(scope=Scope.PAIR, category=filters.category, sku=filters.sku)
    if filters.category:
        return queryset.filter(scope=Scope.CATEGORY, category=filters.category)
    if filters.sku:
        return queryset.filter(scope=Scope.SKU, sku=filters.sku)
    return queryset.filter(scope=Scope.ALL)


def repeat_returners(filters: Filters, settings: AnalyticsSettings) -> list[dict]:
    """Customers of the period whose returned share of all they bought is over the line."""
    candidates = [
        {"email": email, "returns": returns, "units": units}
        for email, returns, units in _scoped(ReturnerDay.objects, filters)
        .values("email")
        .annotate(requests=Sum("returns"), units_returned=Sum("units"))
        .filter(requests__gte=max(settings.repeat_min_returns, 1))
        .order_by("-units_returned", "-requests", "email")
        .values_list("email", "requests", "units_returned")[:REPEAT_CANDIDATES]
    ]
    if not candidates:
        return []
    low, high = local_bounds(filters.start - timedelta(PURCHASE_DAYS_BEFORE), filters.end)
    bought = dict(
        Order.objects.filter(
            email__in=[row["email"] for row in candidates],
            placed_at__gte=low,
            placed_at__lt=high + timedelta(1),
            # The lines' own shop column: their index starts with it (no scan of all lines).
            lines__tenant_id=require_current_tenant().pk,
        )
        .values("email")
        .annotate(units=Sum("lines__quantity"))
        .values_list("email", "units")
        .order_by()
    )
    threshold = Decimal(settings.repeat_rate_percent) / 100
    found = []
    for row in candidates:
        customer_rate = rate(row["units"] or 0, bought.get(row["email"]) or 0)
        if customer_rate is not None and customer_rate >= threshold:
            found.append({**row, "units_bought": bought.get(row["email"]), "rate": customer_rate})
    return sorted(found, key=lambda row: (-row["rate"], -row["returns"], row["email"]))[:RANKED]


def feedback(filters: Filters, *, latest: bool = True) -> dict:
    entries = _scoped(FeedbackEntry.objects, filters)
    distribution = dict(
        entries.values("rating").annotate(n=Count("id")).values_list("rating", "n").order_by()
    )
    responses = sum(distribution.values())
    average = None
    if responses:
        total = sum(rating * count for rating, count in distribution.items())
        average = (Decimal(total) / responses).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    latest_ids = (
        list(
            entries.filter(has_comment=True)
            .order_by("-updated_at", "-feedback_id")
            .values_list("feedback_id", flat=True)[:LATEST_COMMENTS]
        )
        if latest
        else []
    )
    answers = Feedback.objects.select_related("request").in_bulk(latest_ids) if latest_ids else {}
    return {
        "responses": responses,
        "average": average,
        "distribution": [(rating, distribution.get(rating, 0)) for rating in range(1, 6)],
        "latest": [answers[pk] for pk in latest_ids if pk in answers],
    }


def reason_comments(filters: Filters, codes: list[str]) -> dict[str, list]:
    """The latest customers' comments of each of the reasons ``codes``."""
    if not codes:
        return {}
    rows = _days(ReasonComment.objects, filters).filter(reason__in=codes)
    line_ids = list(
        rows.order_by("-requested_at", "-line_id").values_list("line_id", flat=True)[
            : LATEST_COMMENTS * len(codes) * 3
        ]
    )
    lines = ReturnLine.objects.select_related("request", "reason", "order_line").in_bulk(line_ids)
    comments: dict[str, list] = {code: [] for code in codes}
    for line_id in line_ids:
        line = lines.get(line_id)
        if line is None:
            continue
        bucket = comments[line.reason.code]
        if len(bucket) < LATEST_COMMENTS:
            bucket.append(line)
    return comments


def analytics_report(
    *, filters: Filters, language: str = "en", compare: bool = True, details: bool = True
) -> dict:
    """Every figure of the period (and the headline of the period before).

    ``details=False`` leaves out what only the page shows (the reasons' comments, the
    repeat returners and the latest feedback comments): the API answers figures only.
    """
    settings = analytics_settings_get()
    labels = reason_labels(language)
    products = product_rates(filters)
    top, bottom = ranked_skus(products["by_sku"], min_units_sold=settings.min_units_sold)
    reasons = reason_rows(products["reasons"], labels)
    by_category: dict[str, list] = {}
    for (category, code), units in sorted(products["reasons_by_category"].items()):
        by_category.setdefault(category, []).append(
            {"code": code, "label": labels.get(code, code), "units": units}
        )
    top_codes = [row["code"] for row in reasons[:TOP_REASONS_WITH_COMMENTS]]
    report = {
        "filters": filters,
        "settings": settings,
        "currency": require_current_tenant().currency,
        **headline(filters),
        "reasons": reasons,
        "reasons_by_category": by_category,
        "reason_comments": reason_comments(filters, top_codes) if details else {},
        "by_channel": products["by_channel"],
        "by_category": products["by_category"],
        "by_sku": products["by_sku"],
        "top_skus": top,
        "bottom_skus": bottom,
        **money(filters),
        "speed": speed(filters, target_days=settings.target_days),
        "transit": transit(filters),
        "repeat_returners": repeat_returners(filters, settings) if details else [],
        "feedback": feedback(filters, latest=details),
    }
    if compare:
        report["previous"] = headline(filters.previous())
    return report
