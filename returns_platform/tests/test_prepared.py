"""Prepared statements: planned once per connection, scoped like any data statement."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from returns_platform.prepared import PreparedStatement
from returns_platform.tenancy import tenant_context
from testing.orders import create_order
from testing.tenants import as_application_role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NUMBERS = PreparedStatement(
    "test_numbers",
    "SELECT number FROM orders_order WHERE tenant_id = %s AND number >= %s ORDER BY number",
    ("bigint", "text"),
)


def _run(statement: PreparedStatement, params: list) -> tuple[list, list[str]]:
    with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
        statement.execute(cursor, params)
        rows = [row[0] for row in cursor.fetchall()]
    return rows, [query["sql"] for query in queries.captured_queries]


def _forget(statement: PreparedStatement) -> None:
    """Start from a session that has not prepared ``statement``."""
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    connection.__dict__.pop("_prepared_statements", None)


def test_prepared_once_per_connection_with_the_plain_statements_rows(tenant):
    _forget(NUMBERS)
    with tenant_context(tenant):
        for number in ("1002", "1001", "0999"):
            create_order(number)
        with connection.cursor() as cursor:
            cursor.execute(NUMBERS.sql, [tenant.pk, "1000"])
            expected = [row[0] for row in cursor.fetchall()]
        rows, sql = _run(NUMBERS, [tenant.pk, "1000"])
        assert rows == expected == ["1001", "1002"]
        assert len(sql) == 1 and "PREPARE" in sql[0] and "set_config" in sql[0]
        rows, sql = _run(NUMBERS, [tenant.pk, "1002"])
        assert rows == ["1002"]
        assert len(sql) == 1 and "PREPARE" not in sql[0] and "EXECUTE" in sql[0]
        assert sql[0].startswith(f"SELECT set_config('app.tenant_id', '{tenant.pk}'")


def test_a_rolled_back_transaction_keeps_the_statement(tenant):
    _forget(NUMBERS)
    with tenant_context(tenant):
        create_order("1001")
        with transaction.atomic():
            assert _run(NUMBERS, [tenant.pk, "1"])[0] == ["1001"]
            transaction.set_rollback(True)
        rows, sql = _run(NUMBERS, [tenant.pk, "1"])
        assert rows == ["1001"] and "PREPARE" not in sql[0]


def test_a_failed_first_run_is_prepared_again(tenant):
    _forget(NUMBERS)
    with tenant_context(tenant):
        create_order("1001")
        with pytest.raises(DatabaseError), transaction.atomic():
            _run(NUMBERS, ["not a number", "1"])  # PREPARE went through, EXECUTE failed
        rows, sql = _run(NUMBERS, [tenant.pk, "1"])
        assert rows == ["1001"]
        assert any("DEALLOCATE" in query for query in sql) and "PREPARE" in sql[-1]


def test_a_changed_column_type_is_planned_again():
    probe = PreparedStatement("test_probe", "SELECT v FROM prepared_probe WHERE v > %s", ["int"])
    _forget(probe)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE prepared_probe (v int)")
        cursor.execute("INSERT INTO prepared_probe VALUES (1), (2)")
    assert _run(probe, [1])[0] == [2]
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE prepared_probe ALTER v TYPE numeric(5, 1)")
    # Inside a transaction the failure stands; the next run plans the statement again.
    with pytest.raises(DatabaseError), transaction.atomic():
        _run(probe, [1])
    rows, _ = _run(probe, [1])
    assert [str(value) for value in rows] == ["2.0"]


def test_row_level_security_applies_to_the_prepared_statement(tenant, other_tenant):
    _forget(NUMBERS)
    for shop, number in ((tenant, "1001"), (other_tenant, "2001")):
        with tenant_context(shop):
            create_order(number, email=f"{number}@example.com")
    with transaction.atomic():
        with connection.cursor() as cursor:
            as_application_role(cursor)  # a role that does not own the tables
        with tenant_context(tenant):
            assert _run(NUMBERS, [tenant.pk, "0"])[0] == ["1001"]
            # Asking for the other shop's rows: the policy hides them (prepared or not).
            assert _run(NUMBERS, [other_tenant.pk, "0"])[0] == []
        with tenant_context(other_tenant):
            assert _run(NUMBERS, [other_tenant.pk, "0"])[0] == ["2001"]
        transaction.set_rollback(True)
