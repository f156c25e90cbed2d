"""Amounts get three decimal places, the most any currency has (BHD, KWD, OMR)."""

from decimal import Decimal

from django.db import migrations

from returns_platform.money_fields import to_three_places as amount

ZERO = Decimal("0")


class Migration(migrations.Migration):
    dependencies = [("returns", "0009_money_check_slack")]

    operations = [
        amount("returnline", "accepted_amount", 13, blank=True, null=True),
        amount("returnline", "exchange_unit_price", 13, blank=True, null=True),
        amount("returnline", "unit_price", 13),
        amount("returnrequest", "refund_total", 15, default=ZERO),
        amount("returnrequest", "return_cost", 13, default=ZERO),
    ]
