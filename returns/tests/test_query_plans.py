"""The hot read queries use their (tenant_id, ...) indexes on a table of realistic size.

Two shops with 2,000 and 20,000 orders (three lines each), and one return in ten, are
inserted in SQL and analysed; the plan of every hot query must reach its rows through an index and
never read a whole orders, lines or returns table.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from orders.models import Order, OrderLine
from orders.selectors import _ORDER_DOCUMENT_SQL, _ORDER_PAGE_SQL, _PAGE_LINES_SQL, order_list_rows
from returns.models import ReturnLine, ReturnRequest
from returns.selectors import (
    _LINE_JOINS,
    _LINE_SELECT,
    _RETURN_DOCUMENT_SQL,
    _RETURN_PAGE_SQL,
    return_list_rows,
)
from returns.selectors import _PAGE_LINES_SQL as _RETURN_PAGE_LINES_SQL
from returns_platform.tenancy import tenant_context
from tenants.models import Tenant
from testing.orders import create_order
from testing.returns import file_return
from testing.tenants import as_application_role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ORDERS = 20_000
BIG_TABLES = ("orders_order", "orders_orderline", "returns_returnrequest", "returns_returnline")


def _copy_sql(model, source: str, overrides: dict[str, str]) -> tuple[str, str]:
    """Column list and SELECT list copying ``source``'s row but for ``overrides``."""
    columns = [f.column for f in model._meta.concrete_fields if f.column != "id"]
    values = [overrides.get(column, f"{source}.{column}") for column in columns]
    return ", ".join(columns), ", ".join(values)


def _insert_copies(model, template: str, overrides: dict[str, str], rows: str, params) -> None:
    """Insert a copy of the template row (``template``: the condition that selects it from
    ``model``'s table, read as ``t``) for each row of ``rows`` (what follows ``FROM t``),
    with ``overrides`` for some columns.

    The template is read before inserting (MATERIALIZED): a statement scanning the table
    it inserts into would read its own new rows again for every row.
    """
    table = model._meta.db_table
    columns, values = _copy_sql(model, "t", overrides)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH t AS MATERIALIZED (SELECT * FROM {table} WHERE {template}) "
            f"INSERT INTO {table} ({columns}) SELECT {values} FROM t{rows}",
            params,
        )


def _fill(tenant, template, orders: int) -> None:
    """Copy the template order (with its lines) and its return ``orders`` times in SQL."""
    _insert_copies(
        Order,
        "id = %s",
        {"number": "'P' || n"},
        ", generate_series(1, %s) n",
        [template.order_id, orders],
    )
    _insert_copies(
        OrderLine,
        "order_id = %s",
        {"order_id": "o.id", "tenant_id": "o.tenant_id"},
        ", orders_order o WHERE o.tenant_id = %s AND o.number LIKE 'P%%'",
        [template.order_id, tenant.pk],
    )
    _insert_copies(
        ReturnRequest,
        "id = %s",
        {"rma": "'X' || o.number", "order_id": "o.id", "tenant_id": "o.tenant_id"},
        ", orders_order o WHERE o.tenant_id = %s AND o.number LIKE 'P%%0'",
        [template.pk, tenant.pk],
    )
    _insert_copies(
        ReturnLine,
        "request_id = %s",
        {"order_line_id": "l.id", "request_id": "r.id", "tenant_id": "r.tenant_id"},
        """
        CROSS JOIN returns_returnrequest r
        JOIN orders_orderline l ON l.tenant_id = r.tenant_id AND l.order_id = r.order_id
            AND l.position = 1
        WHERE r.tenant_id = %s AND r.rma LIKE 'XP%%'""",
        [template.pk, tenant.pk],
    )


def _many_shops(template, shops: int, orders_each: int) -> None:
    """``shops`` more shops (copies of the template's shop) with ``orders_each`` copies of
    its order (no customer, no channel) and one return for each: statistics of many shops.
    """
    _insert_copies(
        Tenant,
        "id = %s",
        {"slug": "'many-' || n"},
        ", generate_series(1, %s) n",
        [template.tenant_id, shops],
    )
    _insert_copies(
        Order,
        "id = %s",
        {"tenant_id": "s.id", "number": "'M' || n", "customer_id": "NULL", "channel_id": "NULL"},
        ", tenants_tenant s, generate_series(1, %s) n WHERE s.slug LIKE 'many-%%'",
        [template.order_id, orders_each],
    )
    _insert_copies(
        ReturnRequest,
        "id = %s",
        {
            "tenant_id": "o.tenant_id",
            "order_id": "o.id",
            "rma": "'XM' || o.id",
            "channel_id": "NULL",
            "assignee_id": "NULL",
            "held_by_id": "NULL",
        },
        ", orders_order o JOIN tenants_tenant s ON s.id = o.tenant_id WHERE s.slug LIKE 'many-%%'",
        [template.pk],
    )


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _assert_indexed(plan: str) -> None:
    assert "Index" in plan, plan
    for table in BIG_TABLES:
        assert f"Seq Scan on {table}" not in plan, plan


def test_hot_queries_use_their_indexes(tenant, other_tenant, recent_dates):
    # The shop looked at is the smaller one, with the lower ids: a page read by walking
    # the primary key backwards would pass every row of the larger shop first.
    for shop, orders in ((tenant, ORDERS // 10), (other_tenant, ORDERS)):
        with tenant_context(shop):
            template = file_return(create_order("T1", lines=3, **recent_dates))
            _fill(shop, template, orders)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with tenant_context(tenant):
        _assert_indexed(_plan(_ORDER_DOCUMENT_SQL, [tenant.pk, "P777"]))
        ids = ", ".join(["%s"] * 50)
        _assert_indexed(_plan(_PAGE_LINES_SQL.format(ids=ids), [tenant.pk, *range(1, 51)]))
        sql = _RETURN_DOCUMENT_SQL.format(lines=_LINE_SELECT, line_joins=_LINE_JOINS)
        _assert_indexed(_plan(sql, [tenant.pk, "XP770"]))
        sql = _RETURN_PAGE_LINES_SQL.format(lines=_LINE_SELECT, ids=ids)
        _assert_indexed(_plan(sql, [tenant.pk, *range(1, 51)]))
        # The prepared pages without filters, forwards and backwards from a cursor position:
        # the page's ids come from an index of the shop's rows before anything is joined.
        # (Once VACUUM has marked the pages all-visible, which it cannot do inside this
        # test's transaction, that is an index-only scan of the (tenant_id, id) index.)
        for page_sql in (_ORDER_PAGE_SQL, _RETURN_PAGE_SQL):
            for bound, order in (("", "DESC"), (" AND id < %s", "DESC"), (" AND id > %s", "ASC")):
                sql = page_sql.format(bound=bound, order=order)
                tenants = [tenant.pk] * page_sql[: page_sql.index("{bound}")].count("%s")
                params = [*tenants, *([10**9] if "<" in bound else [0] if bound else []), 51, 0]
                plan = _plan(sql, params)
                _assert_indexed(plan)
                assert "Limit" in plan and not plan.startswith("Limit"), plan  # cut, then joined
        for rows in (order_list_rows(filters={}), return_list_rows(filters={})):
            page = rows.order_by("-id")[:51]
            plan = _plan(*page.query.sql_with_params())
            _assert_indexed(plan)
            assert "_page" in plan, plan  # the (tenant_id, id) index serves the page


@pytest.mark.django_db(transaction=True)
def test_pages_walk_their_index_as_production_sees_them(tenant, recent_dates):
    """Vacuumed, as the application role, among many shops, the pages read the shop's
    newest rows from the page index in order: never a sort.

    Under row-level security PostgreSQL expects a shop to hold its share of the rows times
    its estimate of the policy's condition (which it cannot evaluate), so among many shops
    it expects fewer rows than a page. It then weighs reading the whole shop through any
    index and sorting it against reading the page index in order, and took the sort as
    soon as the page index was the larger one (a descending index on ascending ids is half
    empty). That sort reads every row of the shop: a page of a shop with a million orders
    would read them all.
    """
    with tenant_context(tenant):
        template = file_return(create_order("T1", lines=3, **recent_dates))
        _fill(tenant, template, ORDERS // 10)
    _many_shops(template, shops=1000, orders_each=10)
    with connection.cursor() as cursor:
        for table in ("tenants_tenant", "orders_order", "returns_returnrequest"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    with transaction.atomic(), tenant_context(tenant):
        with connection.cursor() as cursor:
            as_application_role(cursor)
        for page_sql, index in ((_ORDER_PAGE_SQL, "order_page"), (_RETURN_PAGE_SQL, "return_page")):
            sql = page_sql.format(bound="", order="DESC")
            tenants = [tenant.pk] * page_sql[: page_sql.index("{bound}")].count("%s")
            plan = _plan(sql, [*tenants, 51, 0])
            assert f"using {index} on" in plan, plan
            assert "Sort" not in plan, plan
        # Ascending, as ids are given (read backwards): at a million orders the descending
        # page index had grown larger than the status index (53 MB against 47 MB), and the
        # plan above read the shop's whole status index and sorted it.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN (%s, %s)",
                ["order_page", "return_page"],
            )
            definitions = dict(cursor.fetchall())
        assert definitions["order_page"].endswith("(tenant_id, id)"), definitions
        assert definitions["return_page"].endswith("(tenant_id, id)"), definitions
        transaction.set_rollback(True)  # the probe role's grants
