"""The model field of an amount column.

Amount columns keep three decimal places, the most any currency has (BHD, KWD, OMR);
each amount holds only its currency's minor units (``returns_platform.money.quantize``).
An amount read back keeps at least two decimals and no trailing third zero: the column
gives ``19.950`` and the field reads ``19.95`` (``1.255`` stays ``1.255``), so a value
written as it is keeps the spelling it had with two-place columns. The API, webhooks,
documents and pages write amounts with exactly the currency's minor units anyway
(``amount_text``, ``format_money``).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

CENT = Decimal("0.01")


class AmountColumn(models.DecimalField):
    def __init__(self, *args, max_digits: int = 13, decimal_places: int = 3, **kwargs):
        super().__init__(*args, max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def from_db_value(self, value, expression, connection):
        if value is None or value.as_tuple().exponent >= -2:
            return value
        two_places = value.quantize(CENT)
        return two_places if two_places == value else value

    def deconstruct(self):
        # Migrations see a plain DecimalField: the reading above changes no schema.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


def to_three_places(model_name: str, name: str, max_digits: int, **options):
    """The migration of an amount column from two decimal places to three (the integer
    part keeps its size: ``max_digits`` is one more than before)."""
    from django.db import migrations

    field = models.DecimalField(max_digits=max_digits, decimal_places=3, **options)
    return migrations.AlterField(model_name=model_name, name=name, field=field)
