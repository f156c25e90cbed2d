"""CHECK constraints for the money invariants that fit one row.

The services enforce these rules with clear errors; the database enforces them a second
time, so a bug, a data migration or a hand-written SQL statement cannot store a negative
amount, a lower-case or numeric currency code or a quantity of zero. Both PostgreSQL and
SQLite evaluate them (SQLite through the REGEXP function Django registers on its
connections).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q, Value

CURRENCY_PATTERN = r"^[A-Z]{3}$"


def currency_code(name: str, field: str = "currency") -> models.CheckConstraint:
    """Three upper-case ASCII letters (ISO 4217's shape; the list is the validators' job)."""
    return models.CheckConstraint(condition=Q(**{f"{field}__regex": CURRENCY_PATTERN}), name=name)


def not_negative(name: str, field: str, *, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__gte": 0})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=name)


def positive(name: str, field: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gt": 0}), name=name)


def percentage(name: str, field: str) -> models.CheckConstraint:
    """0 to 100 inclusive (tax rates, bonus percentages)."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0, f"{field}__lte": 100}), name=name
    )


# SQLite keeps decimals as binary floats, so a computed limit such as 19.95 x 3 or
# 109.85 + 5.49 may come out a hair below the exact sum; a ten-thousandth of slack (below
# every currency's minor unit) keeps exact equality allowed there. PostgreSQL is exact.
FLOAT_SLACK = Decimal("0.0001")


def at_most(name: str, field: str, limit, *, money: bool = False) -> models.CheckConstraint:
    """``field <= limit`` where ``limit`` is an expression of the same row (or NULL field)."""
    if money:
        limit = limit + Value(FLOAT_SLACK)
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": limit}), name=name
    )
