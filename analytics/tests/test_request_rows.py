"""Repeat returners, feedback and reasons' comments read from the per-request rows give
what the source tables give, for every filter (the reference queries below read the
requests, lines and answers directly, as the page once did)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from analytics.aggregation import NOT_RETURNED, analytics_rebuild, local_bounds
from analytics.models import AnalyticsSettings, FeedbackEntry, ReturnerDay, Scope
from analytics.selectors import (
    Filters,
    feedback,
    rate,
    reason_comments,
    repeat_returners,
)
from orders.models import Order, OrderLine
from returns.feedback import feedback_submit
from returns.models import Feedback, ReturnLine, ReturnReason, ReturnRequest
from returns_platform.tenancy import tenant_context
from tenants.models import SalesChannel
from testing.analytics import END, START, at

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

FILTERS = [
    {},
    {"channel": "web"},
    {"channel": "market"},
    {"country": "DE"},
    {"case_type": "complaint"},
    {"sku": "SKU-A"},
    {"sku": "SKU-C"},
    {"category": "Shirts"},
    {"category": "Shoes"},
    {"category": "Shirts", "sku": "SKU-C"},
    {"category": "Shoes", "sku": "SKU-C"},
    {"channel": "web", "category": "Shirts"},
]
CODES = ["size", "damaged", "changed"]


def _requests_of(filters: Filters):
    low, high = local_bounds(filters.start, filters.end + timedelta(1))
    requests = ReturnRequest.objects.filter(created_at__gte=low, created_at__lt=high).exclude(
        status__in=NOT_RETURNED
    )
    if filters.channel:
        channel_id = SalesChannel.objects.get(code=filters.channel).pk
        requests = requests.filter(
            Q(channel_id=channel_id) | Q(channel__isnull=True, order__channel_id=channel_id)
        )
    if filters.country:
        requests = requests.filter(order__shipping_country=filters.country)
    if filters.case_type:
        requests = requests.filter(case_type=filters.case_type)
    if filters.category or filters.sku:
        lines = ReturnLine.objects.all()
        if filters.sku:
            lines = lines.filter(sku=filters.sku)  # the line's own: what was returned
        if filters.category:
            lines = lines.filter(order_line__category=filters.category)
        requests = requests.filter(pk__in=lines.values("request_id"))
    return requests


def reference_returners(filters: Filters, settings: AnalyticsSettings) -> list[dict]:
    candidates = list(
        _requests_of(filters)
        .values("email")
        .annotate(returns=Count("id", distinct=True), units=Sum("lines__quantity"))
        .filter(returns__gte=max(settings.repeat_min_returns, 1))
        .order_by("-units", "-returns", "email")[:40]
    )
    low, high = local_bounds(filters.start - timedelta(90), filters.end)
    bought = dict(
        Order.objects.filter(
            email__in=[row["email"] for row in candidates],
            placed_at__gte=low,
            placed_at__lt=high + timedelta(1),
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
    return sorted(found, key=lambda row: (-row["rate"], -row["returns"], row["email"]))[:20]


def reference_feedback(filters: Filters) -> tuple:
    answers = Feedback.objects.filter(request__in=_requests_of(filters))
    distribution = dict(answers.values("rating").annotate(n=Count("id")).values_list("rating", "n"))
    latest = answers.exclude(comment="").order_by("-updated_at", "-id")[:10]
    return distribution, [answer.pk for answer in latest]


def reference_comments(filters: Filters) -> dict:
    lines = (
        ReturnLine.objects.filter(request__in=_requests_of(filters), reason__code__in=CODES)
        .exclude(comment="")
        .order_by("-request__created_at", "-id")
    )
    if filters.sku:
        lines = lines.filter(sku=filters.sku)
    if filters.category:
        lines = lines.filter(order_line__category=filters.category)
    found: dict[str, list] = {code: [] for code in CODES}
    for line in lines[:90]:
        if len(found[line.reason.code]) < 10:
            found[line.reason.code].append(line.pk)
    return found


def _more_requests(tenant) -> None:
    """A request with two Shirts SKUs (one category, two SKUs) and a request of the
    market channel's order placed through the web channel."""
    o7 = Order.objects.create(
        number="O7",
        channel=SalesChannel.objects.get(code="market"),
        email="jan@example.com",
        currency="EUR",
        status="delivered",
        shipping_postcode="1012AB",
        postcode_normalized="1012AB",
        shipping_country="NL",
        placed_at=at(date(2026, 10, 2)),
    )
    lines = [
        OrderLine.objects.create(
            order=o7, position=n, sku=sku, name=sku, category="Shirts", quantity=2, unit_price=10
        )
        for n, sku in enumerate(("SKU-B", "SKU-C"), start=1)
    ]
    size = ReturnReason.objects.get(code="size")
    for rma, channel, day in (("R5", None, 6), ("R6", "web", 8)):
        request = ReturnRequest.objects.create(
            rma=rma,
            order=o7,
            case_type="return",
            status="requested",
            resolution="refund",
            method="drop_off",
            currency="EUR",
            email=o7.email,
            channel=SalesChannel.objects.get(code=channel) if channel else None,
            status_changed_at=at(date(2026, 10, day)),
        )
        for line in lines:
            ReturnLine.objects.create(
                request=request,
                order_line=line,
                sku=line.sku,
                quantity=2,
                reason=size,
                comment=f"{rma} {line.sku}",
                unit_price=line.unit_price,
            )
        ReturnRequest.objects.filter(pk=request.pk).update(created_at=at(date(2026, 10, day)))
        Feedback.objects.create(
            request=request,
            rating=4,
            comment=f"About {rma}",
            created_at=at(date(2026, 10, 9)),
            updated_at=at(date(2026, 10, 9), hour=15),
        )


@pytest.mark.parametrize("values", FILTERS, ids=lambda values: repr(values))
def test_summary_rows_answer_what_the_source_rows_answer(tenant, counted, values):
    with tenant_context(tenant):
        _more_requests(tenant)
        analytics_rebuild()
        settings = AnalyticsSettings.objects.create(repeat_min_returns=1, repeat_rate_percent=1)
        filters = Filters(start=START, end=END, **values)

        assert repeat_returners(filters, settings) == reference_returners(filters, settings)
        distribution, latest = reference_feedback(filters)
        figures = feedback(filters)
        assert figures["responses"] == sum(distribution.values())
        assert figures["distribution"] == [(n, distribution.get(n, 0)) for n in range(1, 6)]
        assert [answer.pk for answer in figures["latest"]] == latest
        comments = reason_comments(filters, CODES)
        assert {
            code: [line.pk for line in lines] for code, lines in comments.items()
        } == reference_comments(filters)


def test_a_request_counts_once_per_product_filter(tenant, counted):
    with tenant_context(tenant):
        _more_requests(tenant)
        analytics_rebuild()
        r5 = ReturnRequest.objects.get(rma="R5")
        rows = ReturnerDay.objects.filter(day=date(2026, 10, 6), email="jan@example.com")
        # R5 holds SKU-B and SKU-C, both Shirts: one row per distinct value of each scope.
        assert sorted(rows.values_list("scope", "category", "sku", "returns", "units")) == [
            (Scope.ALL, "", "", 1, 4),
            (Scope.CATEGORY, "Shirts", "", 1, 4),
            (Scope.PAIR, "Shirts", "SKU-B", 1, 4),
            (Scope.PAIR, "Shirts", "SKU-C", 1, 4),
            (Scope.SKU, "", "SKU-B", 1, 4),
            (Scope.SKU, "", "SKU-C", 1, 4),
        ]
        shirts = feedback(Filters(start=START, end=END, category="Shirts"))
        # Answers on R1 (Shoes only), R2 (a Shirts line), R5 and R6 (two Shirts lines each).
        assert shirts["responses"] == 3
        assert r5.pk in {answer.request_id for answer in shirts["latest"]}


def test_an_answer_refreshes_its_days_rows_after_commit(
    tenant, counted, django_capture_on_commit_callbacks
):
    with tenant_context(tenant):
        r3 = ReturnRequest.objects.get(rma="R3")
        ReturnRequest.objects.filter(pk=r3.pk).update(status="completed")
        r3.refresh_from_db()
        assert not FeedbackEntry.objects.filter(day=date(2026, 10, 7)).exists()
        with django_capture_on_commit_callbacks(execute=True):
            feedback_submit(return_request=r3, rating=3, comment="Fine")
        assert list(
            FeedbackEntry.objects.filter(day=date(2026, 10, 7), scope=Scope.ALL).values_list(
                "rating", "has_comment"
            )
        ) == [(3, True)]
        figures = feedback(Filters(start=START, end=END))
    assert figures["responses"] == 3
    assert [answer.comment for answer in figures["latest"]][0] == "Fine"
