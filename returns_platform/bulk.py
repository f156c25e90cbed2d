"""Inserting many new rows of a tenant-owned model in one statement, cheaply.

``bulk_insert(model, objs)`` does what ``Model.objects.bulk_create(objs)`` does for plain
new rows (the tenant filled from the scope, ``auto_now`` stamps, primary keys set on the
objects) but, on PostgreSQL, hands values that the driver adapts by itself (text,
integers, decimals, booleans, dates, aware date-times) straight to it instead of through
each field's preparation: Django's insert compiler costs about as much CPU as the
database spends on the insert. Any other value (JSON, a naive date-time, a value of an
unexpected type) goes through the field's own ``get_db_prep_save`` as before.
Elsewhere (SQLite) it is ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

from returns_platform.tenancy import CrossTenantWrite, require_current_tenant

BATCH = 2000  # rows per statement
# (field class, value types passed to the driver unchanged)
_DIRECT: tuple[tuple[type, tuple[type, ...]], ...] = (
    (models.CharField, (str,)),
    (models.TextField, (str,)),
    (models.BooleanField, (bool,)),
    (models.DecimalField, (Decimal,)),
    (models.IntegerField, (int,)),
    (models.ForeignKey, (int,)),
)


def _direct_types(field: models.Field) -> tuple[type, ...]:
    if isinstance(field, models.DateTimeField):
        return ()  # checked per value: only aware date-times pass unchanged
    if isinstance(field, models.DateField):
        return (date,)
    for field_class, types in _DIRECT:
        if isinstance(field, field_class) and not isinstance(field, models.JSONField):
            return types
    return ()


def bulk_insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (new ``model`` instances of the shop in scope) and set their ids."""
    objs = list(objs)
    if not objs:
        return
    # The connection itself, not the proxy: every attribute of ``django.db.connection``
    # is a thread-local look-up, and this loop reads it per row.
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    tenant = require_current_tenant()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    stamped = [
        field
        for field in fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    relations = [field for field in fields if field.is_relation]
    plan = [(field, field.attname, _direct_types(field)) for field in fields]
    params: list[Any] = []
    for obj in objs:
        if obj.tenant_id is None:
            obj.tenant = tenant
        elif obj.tenant_id != tenant.pk:
            raise CrossTenantWrite(
                f"{type(obj).__name__} of tenant {obj.tenant_id} created in tenant {tenant.pk}."
            )
        for field in relations:
            if getattr(obj, field.attname) is None and field.is_cached(obj):
                related = field.get_cached_value(obj)
                if related is not None:
                    setattr(obj, field.attname, related.pk)
        for field in stamped:
            field.pre_save(obj, add=True)
        for field, attname, direct in plan:
            value = getattr(obj, attname)
            if (
                value is None
                or type(value) in direct
                or type(value) is datetime
                and value.tzinfo is not None
            ):
                params.append(value)
            else:
                params.append(field.get_db_prep_save(value, connection))
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) VALUES "
    )
    tail = f" RETURNING {quote(model._meta.pk.column)}"
    ids: list[tuple] = []
    width = len(fields)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH):
            count = min(BATCH, len(objs) - start)
            cursor.execute(
                head + ", ".join([row] * count) + tail,
                params[start * width : (start + count) * width],
            )
            ids.extend(cursor.fetchall())
    alias = connection.alias
    for obj, (pk,) in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = alias
