"""Amounts get three decimal places, the most any currency has (BHD, KWD, OMR)."""

from django.db import migrations

from returns_platform.money_fields import to_three_places as amount


class Migration(migrations.Migration):
    dependencies = [("carriers", "0004_pickup_min_weight")]

    operations = [amount("returnshipment", "parcel_price", 11, blank=True, null=True)]
