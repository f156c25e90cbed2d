"""Read queries on returns (always through the tenant scope)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from orders.models import Order
from returns.defaults import return_defaults_create
from returns.models import ReturnLine, ReturnPolicy, ReturnReason, ReturnRequest
from returns.statuses import RELEASED_STATUSES
from returns_platform.models import AuditEvent


def return_policy_get() -> ReturnPolicy:
    """The current tenant's policy; created with the defaults for shops older than it."""
    policy = ReturnPolicy.objects.first()
    if policy is None:
        try:
            with transaction.atomic():
                return_defaults_create()
        except IntegrityError:
            pass  # created concurrently
        policy = ReturnPolicy.objects.get()
    return policy


def return_reasons(*, active_only: bool = True) -> QuerySet[ReturnReason]:
    return_policy_get()  # makes sure the defaults exist
    reasons = ReturnReason.objects.all()
    return reasons.filter(active=True) if active_only else reasons


def returned_quantities(*, order_line_ids: Iterable[int], exclude_request_id=None) -> dict:
    """order line id -> units held by requests that are not cancelled."""
    lines = ReturnLine.objects.filter(order_line_id__in=list(order_line_ids)).exclude(
        request__status__in=RELEASED_STATUSES
    )
    if exclude_request_id is not None:
        lines = lines.exclude(request_id=exclude_request_id)
    rows = lines.values("order_line_id").annotate(held=Sum("quantity"))
    return {row["order_line_id"]: row["held"] for row in rows}


def order_line_holds(*, order_line_ids: Iterable[int]) -> dict[int, dict]:
    """order line id -> ``{"quantity", "rmas"}`` of the requests (not cancelled) that hold it.

    The orders app asks this through ``ORDER_LINE_HOLDS_SELECTOR`` before an upsert changes
    a line: a held line keeps its sku, name, price and tax rate, and no fewer units.
    """
    holds: dict[int, dict] = {}
    rows = (
        ReturnLine.objects.filter(order_line_id__in=list(order_line_ids))
        .exclude(request__status__in=RELEASED_STATUSES)
        .values_list("order_line_id", "quantity", "request__rma")
        .order_by("request__rma")
    )
    for line_id, quantity, rma in rows:
        hold = holds.setdefault(line_id, {"quantity": 0, "rmas": []})
        hold["quantity"] += quantity
        if rma not in hold["rmas"]:
            hold["rmas"].append(rma)
    return holds


def recent_request_count(*, email: str, days: int = 90) -> int:
    since = timezone.now() - timedelta(days=days)
    return ReturnRequest.objects.filter(email=email, created_at__gte=since).count()


def _summary_queryset() -> QuerySet[ReturnRequest]:
    lines = ReturnLine.objects.select_related("order_line", "reason").order_by("id")
    return ReturnRequest.objects.select_related(
        "order", "order__customer", "assignee", "held_by", "channel"
    ).prefetch_related(Prefetch("lines", queryset=lines))


def return_queryset() -> QuerySet[ReturnRequest]:
    """A request with everything its detail shows: a fixed number of queries."""
    return _summary_queryset().prefetch_related("attachments")


def return_list(*, filters: dict) -> QuerySet[ReturnRequest]:
    queryset = _summary_queryset()
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("case_type"):
        queryset = queryset.filter(case_type=filters["case_type"])
    if filters.get("channel"):
        queryset = queryset.filter(channel__code=filters["channel"])
    if filters.get("assignee"):
        queryset = queryset.filter(assignee__email__iexact=filters["assignee"])
    if filters.get("created_after"):
        queryset = queryset.filter(created_at__gte=filters["created_after"])
    if filters.get("created_before"):
        queryset = queryset.filter(created_at__lt=filters["created_before"])
    if filters.get("q"):
        term = filters["q"].strip()
        queryset = queryset.filter(
            Q(rma__iexact=term) | Q(order__number=term) | Q(email__iexact=term)
        )
    return queryset


def return_get(*, rma: str) -> ReturnRequest:
    """The request with this RMA in the current tenant, or 404."""
    return get_object_or_404(return_queryset(), rma=rma)


def return_history(*, return_request: ReturnRequest) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(subject_type="return", subject_id=return_request.rma).order_by(
        "sequence"
    )


def order_history(*, number: str) -> QuerySet[AuditEvent]:
    """An order's document history: its own events and those of its returns and credits."""
    get_object_or_404(Order.objects.all(), number=number)
    return AuditEvent.objects.filter(order_number=number).order_by("sequence")


def return_get_by_access_token(*, token: str) -> ReturnRequest:
    """The request a consumer's status-page token names, in the current tenant, or 404.

    A token of another shop, a forged or a garbled one all answer 404 alike.
    """
    from django.http import Http404

    from returns_platform.tenancy import require_current_tenant

    found = ReturnRequest.read_access_token(token)
    if found is None or found[0] != require_current_tenant().pk:
        raise Http404("No such return.")
    return return_get(rma=found[1])
