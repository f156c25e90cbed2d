"""Amounts get three decimal places, the most any currency has (BHD, KWD, OMR)."""

from decimal import Decimal

from django.db import migrations

from returns_platform.money_fields import to_three_places as amount

ZERO = Decimal("0")


class Migration(migrations.Migration):
    dependencies = [("analytics", "0003_transit_day")]

    operations = [
        amount("orderday", "revenue", 17, default=ZERO),
        amount("returnday", "credited", 17, default=ZERO),
        amount("returnday", "exchanged", 17, default=ZERO, help_text="Value of the lines exchanged."),
        amount("returnday", "refunded", 17, default=ZERO),
        amount(
            "returnday", "resolved", 17, default=ZERO, help_text="Refunded or credited, bonus included."
        ),
        amount("returnday", "return_costs", 17, default=ZERO),
        amount("returnday", "value", 17, default=ZERO, help_text="Value of the lines asked back."),
        amount("returnlineday", "value", 17, default=ZERO),
        amount("salesday", "revenue", 17, default=ZERO),
        amount("voucherday", "issued", 17, default=ZERO),
        amount("voucherday", "redeemed", 17, default=ZERO),
    ]
