"""Read queries of the back office: the dashboard, the request queue, orders.

Every query goes through the scoped managers, so it only ever sees the current shop.
Each page's query count is fixed: lists select their relations and prefetch their lines
in one query per relation, whatever the page size (asserted in the tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from conversations.models import AuthorKind, Message
from credits.models import CreditNote, Refund, Voucher
from orders.models import Order, OrderEvent
from returns.models import ReturnLine, ReturnRequest
from returns.selectors import return_list
from returns.statuses import FINAL_STATUSES, ReturnStatus
from tenants.models import Membership

S = ReturnStatus
# Waiting for the shop to act (the SLA clock runs on these).
WAITING_ON_SHOP: tuple[str, ...] = (S.REQUESTED, S.CONCEPT, S.ON_HOLD, S.RECEIVED, S.INSPECTED)
# Approved, the customer still has to send the parcel.
WAITING_ON_CUSTOMER: tuple[str, ...] = (S.APPROVED, S.LABEL_CREATED)
OPEN_STATUSES: tuple[str, ...] = tuple(s for s in S.values if s not in FINAL_STATUSES)

# Sort keys the queue accepts -> the ordering they mean (id breaks ties: stable pages).
QUEUE_SORTS: dict[str, tuple[str, ...]] = {
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "updated": ("status_changed_at", "id"),
    "-updated": ("-status_changed_at", "-id"),
    "rma": ("rma",),
    "-rma": ("-rma",),
    "total": ("refund_total", "id"),
    "-total": ("-refund_total", "-id"),
    "status": ("status", "id"),
    "-status": ("-status", "-id"),
}
DEFAULT_QUEUE_SORT = "created"


def staff_members() -> list[Membership]:
    """The shop's team, for assignee and consultant choices."""
    return list(Membership.objects.select_related("user").order_by("user__username"))


def staff_member_get(*, user_id: int):
    """A user who works for the current shop, or None (another shop's user is nobody here)."""
    membership = Membership.objects.select_related("user").filter(user_id=user_id).first()
    return membership.user if membership is not None else None


def _last_public_author() -> Subquery:
    """Who wrote the last message the customer can see: "staff", "consumer" or None."""
    return Subquery(
        Message.objects.filter(return_request_id=OuterRef("pk"), is_internal=False)
        .order_by("-created_at", "-id")
        .values("author_kind")[:1]
    )


def waiting_on_customer(queryset: QuerySet[ReturnRequest]) -> QuerySet[ReturnRequest]:
    """Requests where the next move is the customer's: the parcel still has to be sent
    (approved, label created), or the shop asked something and no answer came yet (the
    last message they can see is the shop's, on a request waiting on the shop)."""
    return queryset.annotate(last_public_author=_last_public_author()).filter(
        Q(status__in=WAITING_ON_CUSTOMER)
        | Q(status__in=WAITING_ON_SHOP, last_public_author=AuthorKind.STAFF)
    )


def waiting_on_shop(queryset: QuerySet[ReturnRequest]) -> QuerySet[ReturnRequest]:
    """Requests the shop has to act on: not answered by it yet, or answered by the customer."""
    return (
        queryset.annotate(last_public_author=_last_public_author())
        .filter(status__in=WAITING_ON_SHOP)
        .exclude(last_public_author=AuthorKind.STAFF)
    )


def status_counts() -> dict[str, int]:
    """status -> number of requests, every status present (one query)."""
    rows = ReturnRequest.objects.values("status").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(S.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


@dataclass(frozen=True)
class DashboardSummary:
    counts: dict[str, int]
    my_queue: list[ReturnRequest]
    my_queue_total: int
    new_today: int
    oldest_open: ReturnRequest | None
    waiting_on_customer: int
    open_total: int


def dashboard_summary(*, user, today: date | None = None, limit: int = 10) -> DashboardSummary:
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    counts = status_counts()
    mine = ReturnRequest.objects.filter(assignee=user, status__in=OPEN_STATUSES)
    my_queue = list(
        mine.select_related("order", "order__customer", "held_by").order_by("created_at", "id")[
            :limit
        ]
    )
    oldest = (
        ReturnRequest.objects.filter(status__in=WAITING_ON_SHOP)
        .select_related("order", "order__customer", "assignee")
        .order_by("created_at", "id")
        .first()
    )
    return DashboardSummary(
        counts=counts,
        my_queue=my_queue,
        my_queue_total=mine.count() if len(my_queue) >= limit else len(my_queue),
        new_today=ReturnRequest.objects.filter(created_at__gte=start).count(),
        oldest_open=oldest,
        waiting_on_customer=waiting_on_customer(ReturnRequest.objects.all()).count(),
        open_total=sum(counts[s] for s in OPEN_STATUSES),
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def queue_list(*, filters: dict, user=None) -> QuerySet[ReturnRequest]:
    """The request queue with the staff filters; ``filters`` are already validated.

    ``assignee`` is a user id, ``"me"`` or ``"none"``; ``created_from``/``created_to``
    are dates (both inclusive); ``q`` matches an RMA, an order number, an e-mail address
    or part of the customer's name.
    """
    base = {key: filters[key] for key in ("status", "case_type", "channel") if filters.get(key)}
    if base.get("status") == "open":
        del base["status"]
        queryset = return_list(filters=base).filter(status__in=OPEN_STATUSES)
    else:
        queryset = return_list(filters=base)
    assignee = filters.get("assignee")
    if assignee == "me" and user is not None:
        queryset = queryset.filter(assignee=user)
    elif assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif assignee:
        queryset = queryset.filter(assignee_id=int(assignee))
    if filters.get("reason"):
        with_reason = ReturnLine.objects.filter(
            request_id=OuterRef("pk"), reason__code=filters["reason"]
        )
        queryset = queryset.filter(Exists(with_reason))
    if filters.get("waiting") == "customer":
        queryset = waiting_on_customer(queryset)
    elif filters.get("waiting") == "shop":
        queryset = waiting_on_shop(queryset)
    if filters.get("held"):
        queryset = queryset.filter(held_by__isnull=False)
    if filters.get("created_from"):
        queryset = queryset.filter(created_at__gte=_day_start(filters["created_from"]))
    if filters.get("created_to"):
        queryset = queryset.filter(
            created_at__lt=_day_start(filters["created_to"] + timedelta(days=1))
        )
    term = (filters.get("q") or "").strip()
    if term:
        match = (
            Q(rma__iexact=term)
            | Q(order__number=term)
            | Q(email__iexact=term)
            | Q(order__customer__name__icontains=term)
            | Q(order__shipping_name__icontains=term)
        )
        if term.isdigit():
            match |= Q(rma=f"R-{int(term):06d}")
        queryset = queryset.filter(match)
    sort = filters.get("sort") or DEFAULT_QUEUE_SORT
    return queryset.order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS[DEFAULT_QUEUE_SORT]))


def order_search(*, term: str = "", status: str = "") -> QuerySet[Order]:
    """Orders for the list: by number, e-mail, customer name, tracking or invoice number."""
    queryset = Order.objects.select_related("customer", "channel").annotate(
        return_count=Count("return_requests")
    )
    if status:
        queryset = queryset.filter(status=status)
    term = term.strip()
    if term:
        queryset = queryset.filter(
            Q(number=term)
            | Q(email__iexact=term)
            | Q(tracking_number=term)
            | Q(invoice_number=term)
            | Q(customer__name__icontains=term)
            | Q(shipping_name__icontains=term)
        )
    return queryset.order_by("-placed_at", "-id")


@dataclass(frozen=True)
class OrderDossier:
    order: Order
    events: list[OrderEvent]
    returns: list[ReturnRequest]
    credit_notes: list[CreditNote]
    vouchers: list[Voucher]
    refunds: list[Refund]


def order_dossier(*, order: Order) -> OrderDossier:
    """Everything the order page shows besides the history: a fixed number of queries."""
    return OrderDossier(
        order=order,
        events=list(OrderEvent.objects.filter(order=order).order_by("occurred_at", "id")),
        returns=list(
            ReturnRequest.objects.filter(order=order)
            .select_related("assignee", "held_by")
            .prefetch_related(Prefetch("lines", queryset=ReturnLine.objects.order_by("id")))
            .order_by("created_at", "id")
        ),
        credit_notes=list(
            CreditNote.objects.filter(order=order)
            .select_related("created_by", "booked_by")
            .order_by("created_at", "id")
        ),
        vouchers=list(Voucher.objects.filter(order=order).order_by("created_at", "id")),
        refunds=list(Refund.objects.filter(order=order).order_by("created_at", "id")),
    )
