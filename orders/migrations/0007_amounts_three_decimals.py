"""Amounts get three decimal places, the most any currency has (BHD, KWD, OMR)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import migrations

from returns_platform.money_fields import to_three_places as amount

ZERO = Decimal("0")


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_check_constraints")]

    operations = [
        amount("order", "delivery_cost", 13, default=ZERO, validators=[MinValueValidator(ZERO)]),
        amount("order", "total", 15, default=ZERO),
        amount(
            "orderline",
            "unit_price",
            13,
            help_text="Price paid per unit, after discounts, tax included.",
            validators=[MinValueValidator(ZERO)],
        ),
    ]
