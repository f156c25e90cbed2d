"""PostgreSQL row-level security: the database enforces the tenant scope a second time.

Every tenant-owned table gets a policy that shows a row only when its ``tenant_id``
equals the connection's ``app.tenant_id`` setting (or when ``app.rls_bypass`` is on,
inside ``unscoped_context()``). The setting is carried by each data statement itself:
an execute wrapper prefixes it with ``set_config`` for the tenant now in scope, so the
value can never be stale after a rollback and costs no extra round trip.

The policies bind the application role, which must not own the tables (owners and
superusers bypass row-level security); docs/operations.md describes the two roles.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
from django.apps import apps
from django.conf import settings
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate

from returns_platform import tenancy

POLICY_NAME = "tenant_isolation"
# Prepared statements (returns_platform.prepared) read and write data too.
_DATA_STATEMENTS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "PREPARE", "EXECUTE")
POLICY_CONDITION = (
    "current_setting('app.rls_bypass', true) = 'on' "
    "OR tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::bigint"
)


def scope_prefix() -> str:
    """The statement that tells PostgreSQL which tenant the next statement runs for."""
    tenant_id = tenancy.current_tenant_id()
    tenant_value = str(int(tenant_id)) if tenant_id is not None else ""
    bypass = "on" if tenancy.is_bypassing() else "off"
    return (
        f"SELECT set_config('app.tenant_id', '{tenant_value}', false), "
        f"set_config('app.rls_bypass', '{bypass}', false); "
    )


def _scope_wrapper(execute: Any, sql: str, params: Any, many: bool, context: dict) -> Any:
    if not isinstance(sql, str) or not sql.lstrip()[:7].upper().startswith(_DATA_STATEMENTS):
        return execute(sql, params, many, context)
    database_cursor = context["cursor"].cursor
    if many or getattr(database_cursor, "name", None):
        # executemany and server-side (named) cursors take one statement: set the scope
        # first through a plain cursor of the same connection.
        with context["connection"].connection.cursor() as plain:
            plain.execute(scope_prefix())
        return execute(sql, params, many, context)
    return execute(scope_prefix() + sql, params, many, context)


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    if (
        connection.vendor == "postgresql"
        and settings.TENANT_ROW_LEVEL_SECURITY
        and _scope_wrapper not in connection.execute_wrappers
    ):
        connection.execute_wrappers.append(_scope_wrapper)


def json_column(value: Any) -> Any:
    """A JSON column read with a plain cursor (PostgreSQL's jsonb and SQLite give text).

    orjson reads it (a quarter of the time), except where it would read it otherwise than
    Python's ``json``: a text with a run of 19 digits or more (orjson reads integers
    beyond 64 bits as floats) and what orjson refuses (``NaN``, a number beyond a float's
    range, lone surrogates, deeper nesting) go to ``json``, so the value is always the
    one ``json.loads`` gives.
    """
    if not isinstance(value, str):
        return json.loads(value) if isinstance(value, bytes) else value
    if _LONG_DIGITS.search(value):
        return json.loads(value)
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return json.loads(value)


_LONG_DIGITS = re.compile(r"[0-9]{19}")


def tenant_owned_models() -> list:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, tenancy.TenantOwnedModel) and not model._meta.proxy
    ]


def apply_row_level_security(using: str = "default") -> list[str]:
    """(Re)create the isolation policy on every tenant-owned table; return their names."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    tables = []
    with connection.cursor() as cursor:
        for model in tenant_owned_models():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}")
            cursor.execute(
                f"CREATE POLICY {POLICY_NAME} ON {table} "
                f"USING ({POLICY_CONDITION}) WITH CHECK ({POLICY_CONDITION})"
            )
            tables.append(model._meta.db_table)
    return tables


def _on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if sender.name == "returns_platform":
        apply_row_level_security(using)


def install() -> None:
    connection_created.connect(_on_connection_created, dispatch_uid="tenant_rls_wrapper")
    # Runs after every migrate; connected for the core app, it covers all apps' tables.
    post_migrate.connect(_on_post_migrate, dispatch_uid="tenant_rls_policies")
