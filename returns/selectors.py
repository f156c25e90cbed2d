"""Read queries on returns (always through the tenant scope)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta, tzinfo

from django.db import IntegrityError, connection, transaction
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from orders.models import Order
from orders.selectors import SHOP_CHANNEL_VERSIONS
from returns.defaults import return_defaults_create
from returns.documents import (
    ATTACHMENT_COLUMNS,
    DETAIL_COLUMNS,
    LINE_COLUMNS,
    RETURN_COLUMNS,
    summary_document,
)
from returns.models import ReturnLine, ReturnPolicy, ReturnReason, ReturnRequest
from returns.statuses import RELEASED_STATUSES
from returns_platform import doccache
from returns_platform.db import json_column
from returns_platform.doccache import row_version
from returns_platform.models import AuditEvent
from returns_platform.prepared import PagedRows, PreparedStatement, lines_read_with_page
from returns_platform.tenancy import require_current_tenant


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


def return_get_alone(*, rma: str) -> ReturnRequest:
    """The request with this RMA in the current tenant, or 404, with nothing else loaded
    (one query): for answers that read the request's own columns, such as its label."""
    return get_object_or_404(ReturnRequest.objects.all(), rma=rma)


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


# The detail document's statement: the request with its order number, channel, people
# and lines (LEFT JOIN: one row per line), and whether it has attachments at all, so the
# usual request without files costs one query. Plain SQL (nothing compiled per request);
# the tenant condition is explicit and row-level security applies to every table.
_RETURN_DOCUMENT_SQL = """
SELECT r.id, r.rma, o.number, r.case_type, r.status, r.resolution, r.method,
       r.is_free_return, r.keep_item, r.return_cost, r.refund_total, r.currency, r.email,
       r.language, ch.code, au.email, hu.email, r.warnings, r.created_at, r.updated_at, r.verdicts,
       r.refund_preview, r.policy_snapshot, r.status_changed_at, fb.id, fb.rating,
       fb.comment, fb.language, fb.created_at, fb.updated_at,
       EXISTS (SELECT 1 FROM returns_attachment a
               WHERE a.tenant_id = r.tenant_id AND a.request_id = r.id),
       {lines}
FROM returns_returnrequest r
JOIN orders_order o ON o.tenant_id = r.tenant_id AND o.id = r.order_id
LEFT JOIN tenants_saleschannel ch ON ch.tenant_id = r.tenant_id AND ch.id = r.channel_id
LEFT JOIN auth_user au ON au.id = r.assignee_id
LEFT JOIN auth_user hu ON hu.id = r.held_by_id
LEFT JOIN returns_feedback fb ON fb.tenant_id = r.tenant_id AND fb.request_id = r.id
{line_joins}
WHERE r.tenant_id = %s AND r.rma = %s
ORDER BY l.id
"""
_LINE_SELECT = """l.id, l.order_line_id, l.sku, l.name, l.quantity, l.unit_price, rr.code,
       l.comment, l.received_quantity, l.condition, l.disposition, l.accepted_amount,
       l.accepted_reason, l.exchange_sku, l.exchange_name, l.exchange_unit_price"""
_LINE_JOINS = """LEFT JOIN returns_returnline l ON l.tenant_id = r.tenant_id AND l.request_id = r.id
LEFT JOIN returns_returnreason rr ON rr.tenant_id = l.tenant_id AND rr.id = l.reason_id"""
# A page's lines straight from the lines' (tenant_id, request_id) index: driven from the
# requests, the plan walked the shop's whole ``return_page`` index for the page's ids.
_PAGE_LINES_SQL = """
SELECT l.request_id, {lines}
FROM returns_returnline l
LEFT JOIN returns_returnreason rr ON rr.tenant_id = l.tenant_id AND rr.id = l.reason_id
WHERE l.tenant_id = %s AND l.request_id IN ({ids})
ORDER BY l.id
"""
_ATTACHMENTS_SQL = """
SELECT id, line_id, original_name, content_type, size, created_at FROM returns_attachment
WHERE tenant_id = %s AND request_id = %s ORDER BY id
"""
_RETURN_DOCUMENT = PreparedStatement(
    "return_document",
    _RETURN_DOCUMENT_SQL.format(lines=_LINE_SELECT, line_joins=_LINE_JOINS),
    ("bigint", "text"),
)
# On PostgreSQL the ids are one array parameter: one statement for every page size.
_PAGE_LINES = PreparedStatement(
    "return_page_lines",
    _PAGE_LINES_SQL.replace("IN ({ids})", "= ANY(%s)").format(lines=_LINE_SELECT),
    ("bigint", "bigint[]"),
)
# A page of requests without filters (``PagedRows``): the page's ids are cut from the
# shop's requests first (the ``return_page`` index alone), then joined, each request
# with its lines as one JSON array of arrays (``LINE_COLUMNS``, amounts as text), as the
# orders page does; the shop's channels read once, as there.
#
# As on the orders page, each row also carries the versions of the rows its document is
# built from (the request, its order, channel, assignee and holder; each line's with its
# reason's, last in its array), and ``_RETURN_VERSIONS_SQL`` reads only those: a page
# whose documents the process keeps (``returns_platform/doccache.py``) is one statement.
_LINE_VERSION = f"{row_version('l')} || '/' || coalesce({row_version('rr')}, '')"
_PAGE_JOINS = """
FROM (SELECT id FROM returns_returnrequest WHERE tenant_id = %s{bound}
      ORDER BY id {order} LIMIT %s OFFSET %s) page
JOIN returns_returnrequest r ON r.id = page.id
JOIN orders_order o ON o.tenant_id = r.tenant_id AND o.id = r.order_id
LEFT JOIN ch ON ch.id = r.channel_id
LEFT JOIN auth_user au ON au.id = r.assignee_id
LEFT JOIN auth_user hu ON hu.id = r.held_by_id
ORDER BY r.id {order}
"""
_PAGE_LINES_FROM = """
        FROM returns_returnline l
        LEFT JOIN returns_returnreason rr ON rr.tenant_id = l.tenant_id AND rr.id = l.reason_id
        WHERE l.tenant_id = r.tenant_id AND l.request_id = r.id)"""
_ROW_VERSIONS = (
    f"{row_version('r')}, {row_version('o')}, ch.version, {row_version('au')}, {row_version('hu')}"
)
_RETURN_PAGE_SQL = f"""
{SHOP_CHANNEL_VERSIONS}
SELECT r.id, r.rma, o.number, r.case_type, r.status, r.resolution, r.method,
       r.is_free_return, r.keep_item, r.return_cost::text, r.refund_total::text, r.currency,
       r.email,
       r.language, ch.code, au.email, hu.email, r.warnings, r.created_at, r.updated_at,
       (SELECT json_agg(json_build_array(l.id, l.order_line_id, l.sku, l.name, l.quantity,
                        l.unit_price::text, rr.code, l.comment, l.received_quantity,
                        l.condition, l.disposition, l.accepted_amount::text,
                        l.accepted_reason, l.exchange_sku, l.exchange_name,
                        l.exchange_unit_price::text, {_LINE_VERSION}) ORDER BY l.id)::text
{_PAGE_LINES_FROM},
       {_ROW_VERSIONS}{_PAGE_JOINS}"""
_RETURN_VERSIONS_SQL = f"""
{SHOP_CHANNEL_VERSIONS}
SELECT r.id, {_ROW_VERSIONS},
       (SELECT coalesce(string_agg({_LINE_VERSION}, ',' ORDER BY l.id), '')
{_PAGE_LINES_FROM}{_PAGE_JOINS}"""
_VERSION_COLUMNS = (
    "version",
    "order_version",
    "channel_version",
    "assignee_version",
    "holder_version",
)
_PAGE_COLUMNS = (*RETURN_COLUMNS, "lines", *_VERSION_COLUMNS)
_PAGE_LINE_COLUMNS = (*LINE_COLUMNS, "version")
_CACHED_PAGE = doccache.CachedPage("return", _RETURN_VERSIONS_SQL, _VERSION_COLUMNS)
_PAGE_KEYS = frozenset({"cursor", "limit"})
_JSON_COLUMNS = ("warnings", "verdicts", "refund_preview", "policy_snapshot")


def return_list_rows(*, filters: dict) -> QuerySet:
    """``return_list`` as rows of ``RETURN_COLUMNS`` (one query; lines come separately)."""
    return return_list(filters=filters).prefetch_related(None).values(*RETURN_COLUMNS)


def return_page_rows(*, filters: dict) -> QuerySet | PagedRows:
    """``return_list_rows`` for the cursor paginator; without filters, a prepared page."""
    if filters.keys() <= _PAGE_KEYS and connection.vendor == "postgresql":
        tenant_id = require_current_tenant().pk

        def rows() -> QuerySet:
            return return_list_rows(filters=filters)

        cached = _CACHED_PAGE if doccache.documents.enabled else None
        return PagedRows(
            "return_page", _RETURN_PAGE_SQL, _PAGE_COLUMNS, rows, tenant_id, _warnings, cached
        )
    return return_list_rows(filters=filters)


def page_documents(rows: list[dict], zone: tzinfo) -> list[dict]:
    """The summary documents of a page's rows (``return_page_rows``): those the rows hold,
    or built from the rows and their lines (and then kept by their versions, when they
    have them)."""
    return _CACHED_PAGE.documents(rows, zone, page_lines, summary_document)


def _warnings(row: dict) -> None:
    row["warnings"] = json_column(row["warnings"])


def return_document_rows(*, rma: str) -> tuple[dict, list[dict], list[dict]]:
    """The request row, its line rows and attachment rows (one query without attachments)."""
    tenant = require_current_tenant()
    with connection.cursor() as cursor:
        _RETURN_DOCUMENT.execute(cursor, [tenant.pk, rma])
        rows = cursor.fetchall()
        if not rows:
            raise Http404("No such return.")
        width = len(DETAIL_COLUMNS)
        row = dict(zip(DETAIL_COLUMNS, rows[0][:width], strict=True))
        for name in _JSON_COLUMNS:
            row[name] = json_column(row[name])
        lines = [dict(zip(LINE_COLUMNS, r[width + 1 :], strict=True)) for r in rows if r[width + 1]]
        attachments = []
        if rows[0][width]:
            cursor.execute(_ATTACHMENTS_SQL, [tenant.pk, row["id"]])
            attachments = [dict(zip(ATTACHMENT_COLUMNS, a, strict=True)) for a in cursor.fetchall()]
    return row, lines, attachments


def page_lines(rows: list[dict]) -> dict[int, list[dict]]:
    """The lines of a page's requests by request id (``LINE_COLUMNS`` rows): those a
    prepared page read with it, or one query (``return_lines_by_request``)."""
    if not rows or "lines" not in rows[0]:
        return return_lines_by_request(request_ids=[row["id"] for row in rows])
    return lines_read_with_page(rows, _PAGE_LINE_COLUMNS)


def return_lines_by_request(*, request_ids: list[int]) -> dict[int, list[dict]]:
    """The lines of these requests (one query), grouped by request id."""
    if not request_ids:
        return {}
    tenant = require_current_tenant()
    grouped: dict[int, list[dict]] = {request_id: [] for request_id in request_ids}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _PAGE_LINES.execute(cursor, [tenant.pk, list(request_ids)])
        else:
            ids = ", ".join(["%s"] * len(request_ids))
            sql = _PAGE_LINES_SQL.format(lines=_LINE_SELECT, ids=ids)
            cursor.execute(sql, [tenant.pk, *request_ids])
        for row in cursor.fetchall():
            grouped[row[0]].append(dict(zip(LINE_COLUMNS, row[1:], strict=True)))
    return grouped
