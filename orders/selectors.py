"""Read queries on orders (always through the tenant scope)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from orders.documents import LINE_COLUMNS, ORDER_COLUMNS, order_document
from orders.models import Order
from returns_platform import doccache
from returns_platform.db import json_column
from returns_platform.doccache import row_version
from returns_platform.prepared import PagedRows, PreparedStatement, lines_read_with_page
from returns_platform.tenancy import require_current_tenant

# One statement for an order's document: the order, its channel and customer, one row
# per line (LEFT JOIN: an order without lines still comes back). Plain SQL, so nothing
# is compiled per request; the tenant condition is explicit and row-level security
# applies to every joined table as well.
_ORDER_SELECT = """
SELECT o.id, o.number, o.kind, o.exchange_for, o.payment_link, ch.code, o.status,
       o.email, o.language, o.currency, o.customer_id, cu.name, cu.phone, o.company,
       o.vat_id, o.shipping_name, o.shipping_street,
       o.shipping_postcode, o.shipping_city, o.shipping_country, o.placed_at, o.shipped_at,
       o.delivered_at, o.expected_delivery_at, o.cancelled_at, o.carrier, o.tracking_number,
       o.invoice_number, o.delivery_cost, o.total, o.created_at, o.updated_at"""
_CUSTOMER_JOIN = """
LEFT JOIN orders_customer cu ON cu.tenant_id = o.tenant_id AND cu.id = o.customer_id"""
_ORDER_JOINS = (
    "\nLEFT JOIN tenants_saleschannel ch ON ch.tenant_id = o.tenant_id AND ch.id = o.channel_id"
    + _CUSTOMER_JOIN
)
_ORDER_DOCUMENT_SQL = f"""{_ORDER_SELECT},
       l.id, l.position, l.sku, l.name, l.category, l.quantity, l.unit_price, l.tax_rate,
       l.returnable, l.image_url, l.variants
FROM orders_order o{_ORDER_JOINS}
LEFT JOIN orders_orderline l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
WHERE o.tenant_id = %s AND o.number = %s
ORDER BY l.position, l.id
"""
_ORDER_DOCUMENT = PreparedStatement("order_document", _ORDER_DOCUMENT_SQL, ("bigint", "text"))
# A page of orders without filters (``PagedRows``): the page's ids are cut from the shop's
# orders first (the ``order_page`` index alone), then joined, each order with its lines
# as one JSON array of arrays (``LINE_COLUMNS``): the page and its lines in one
# statement. Amounts and the variants are text inside it: the amounts stay text (the
# documents write them from it), the variants are read as the two-query path reads them
# (``json``): nothing passes through orjson's floats.
#
# The shop's channels are read once (MATERIALIZED) and joined by id: joined as in the
# document, the planner (which cannot see through the row-level security condition)
# read the whole channels table once per order of the page.
#
# The order's amounts come as the columns' text too, which ``amount_text`` writes without
# building a ``Decimal`` (PostgreSQL only, as the page statements are).
_PAGE_SELECT = _ORDER_SELECT.replace(
    "o.delivery_cost, o.total", "o.delivery_cost::text, o.total::text"
)
if _PAGE_SELECT == _ORDER_SELECT:
    raise RuntimeError("The order page's select no longer names the amounts as expected.")
# The page statements' first clause (the orders and returns pages): the shop's channels
# with their row versions.
#
# Each row also carries the versions of the rows its document is built from (the order,
# its channel and customer, and each line last in its array): the document is kept per
# process under them (``returns_platform/doccache.py``), and ``_ORDER_VERSIONS_SQL``
# reads only them, so a page whose documents are all known is not read again.
SHOP_CHANNEL_VERSIONS = (
    f"WITH ch AS MATERIALIZED (SELECT id, code, {row_version('c')} AS version "
    "FROM tenants_saleschannel c WHERE tenant_id = %s)"
)
_PAGE_IDS = """
FROM (SELECT id FROM orders_order WHERE tenant_id = %s{bound}
      ORDER BY id {order} LIMIT %s OFFSET %s) page
JOIN orders_order o ON o.id = page.id
LEFT JOIN ch ON ch.id = o.channel_id"""
_ORDER_PAGE_SQL = f"""
{SHOP_CHANNEL_VERSIONS}{_PAGE_SELECT},
       (SELECT json_agg(json_build_array(l.id, l.position, l.sku, l.name, l.category,
                        l.quantity, l.unit_price::text, l.tax_rate::text, l.returnable,
                        l.image_url, l.variants::text, {row_version("l")})
                        ORDER BY l.position, l.id)::text
        FROM orders_orderline l WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id),
       {row_version("o")}, ch.version, {row_version("cu")}{_PAGE_IDS}{_CUSTOMER_JOIN}
ORDER BY o.id {{order}}
"""
_ORDER_VERSIONS_SQL = f"""
{SHOP_CHANNEL_VERSIONS}
SELECT o.id, {row_version("o")}, ch.version, {row_version("cu")},
       (SELECT coalesce(string_agg({row_version("l")}, ',' ORDER BY l.position, l.id), '')
        FROM orders_orderline l WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id)
{_PAGE_IDS}{_CUSTOMER_JOIN}
ORDER BY o.id {{order}}
"""
# The page statement's columns after the order's, and the lines' after ``LINE_COLUMNS``.
_VERSION_COLUMNS = ("version", "channel_version", "customer_version")
_PAGE_COLUMNS = (*ORDER_COLUMNS, "lines", *_VERSION_COLUMNS)
_PAGE_LINE_COLUMNS = (*LINE_COLUMNS, "version")
_CACHED_PAGE = doccache.CachedPage("order", _ORDER_VERSIONS_SQL, _VERSION_COLUMNS)
_PAGE_LINES_SQL = """
SELECT order_id, id, position, sku, name, category, quantity, unit_price, tax_rate,
       returnable, image_url, variants
FROM orders_orderline
WHERE tenant_id = %s AND order_id IN ({ids})
ORDER BY order_id, position, id
"""
# On PostgreSQL the ids are one array parameter: one statement for every page size.
_PAGE_LINES = PreparedStatement(
    "order_page_lines", _PAGE_LINES_SQL.replace("IN ({ids})", "= ANY(%s)"), ("bigint", "bigint[]")
)
# Filters a page request may carry without filtering anything.
_PAGE_KEYS = frozenset({"cursor", "limit"})


def order_queryset() -> QuerySet[Order]:
    return Order.objects.select_related("channel", "customer").prefetch_related("lines")


def order_list(*, filters: dict) -> QuerySet[Order]:
    queryset = order_queryset()
    if "status" in filters:
        queryset = queryset.filter(status=filters["status"])
    if "updated_since" in filters:
        queryset = queryset.filter(updated_at__gte=filters["updated_since"])
    if "number" in filters:
        queryset = queryset.filter(number=filters["number"])
    if "email" in filters:
        queryset = queryset.filter(email=filters["email"].lower())
    return queryset


def order_list_rows(*, filters: dict) -> QuerySet:
    """``order_list`` as rows of ``ORDER_COLUMNS`` (one query with channel and customer)."""
    return order_list(filters=filters).prefetch_related(None).values(*ORDER_COLUMNS)


def order_page_rows(*, filters: dict) -> QuerySet | PagedRows:
    """``order_list_rows`` for the cursor paginator; without filters, a prepared page."""
    if filters.keys() <= _PAGE_KEYS and connection.vendor == "postgresql":
        tenant_id = require_current_tenant().pk

        def rows() -> QuerySet:
            return order_list_rows(filters=filters)

        cached = _CACHED_PAGE if doccache.documents.enabled else None
        return PagedRows(
            "order_page", _ORDER_PAGE_SQL, _PAGE_COLUMNS, rows, tenant_id, cached=cached
        )
    return order_list_rows(filters=filters)


def page_documents(rows: Sequence[dict], zone: tzinfo) -> list[dict]:
    """The documents of a page's rows (``order_page_rows``): those the rows hold, or built
    from the rows and their lines (and then kept by their versions, when they have them)."""
    return _CACHED_PAGE.documents(rows, zone, page_lines, order_document)


def page_lines(rows: Sequence[dict]) -> dict[int, list[dict]]:
    """The lines of a page's orders by order id (``LINE_COLUMNS`` rows): those a prepared
    page read with it, or one query (``order_lines_by_order``)."""
    if not rows or "lines" not in rows[0]:
        return order_lines_by_order(order_ids=[row["id"] for row in rows])
    decoded: dict = {}

    # Amounts and rates stay the columns' text: the documents write them from it.
    def convert(line: dict) -> None:
        line["variants"] = _variants(line["variants"], decoded)

    return lines_read_with_page(rows, _PAGE_LINE_COLUMNS, convert)


def _variants(text: str, decoded: dict) -> list:
    """A variants column's value; a page's lines mostly share a few texts, each decoded
    once (the documents only read them)."""
    value = decoded.get(text)
    if value is None:
        value = decoded[text] = json_column(text)
    return value


def order_get(*, number: str) -> Order:
    """The order with this number in the current tenant, or 404."""
    return get_object_or_404(order_queryset(), number=number)


def order_document_rows(*, number: str) -> tuple[dict, list[dict]]:
    """The order row and its line rows for the document, in one query; 404 when absent."""
    tenant = require_current_tenant()
    with connection.cursor() as cursor:
        _ORDER_DOCUMENT.execute(cursor, [tenant.pk, number])
        rows = cursor.fetchall()
    if not rows:
        raise Http404("No such order.")
    width = len(ORDER_COLUMNS)
    order = dict(zip(ORDER_COLUMNS, rows[0][:width], strict=True))
    lines = [_line(row[width:]) for row in rows if row[width]]
    return order, lines


def order_lines_by_order(*, order_ids: Sequence[int]) -> dict[int, list[dict]]:
    """The lines of these orders (one query), grouped by order id."""
    if not order_ids:
        return {}
    tenant = require_current_tenant()
    grouped: dict[int, list[dict]] = {order_id: [] for order_id in order_ids}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _PAGE_LINES.execute(cursor, [tenant.pk, list(order_ids)])
        else:
            sql = _PAGE_LINES_SQL.format(ids=", ".join(["%s"] * len(order_ids)))
            cursor.execute(sql, [tenant.pk, *order_ids])
        rows = cursor.fetchall()
    # The lines of a page mostly share a few variants texts: each is decoded once (the
    # documents only read them).
    decoded: dict = {}
    for row in rows:
        line = dict(zip(LINE_COLUMNS, row[1:], strict=True))
        text = line["variants"]
        line["variants"] = _variants(text, decoded) if isinstance(text, str) else text
        grouped[row[0]].append(line)
    return grouped


def _line(values: Sequence) -> dict:
    line = dict(zip(LINE_COLUMNS, values, strict=True))
    line["variants"] = json_column(line["variants"])
    return line
