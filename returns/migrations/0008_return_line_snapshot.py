"""Return lines keep what they return (sku, name, tax rate; the unit price was already
kept): existing lines are filled in from their order lines as they are now."""

from decimal import Decimal

from django.db import migrations, models

BACKFILL = """
UPDATE returns_returnline SET
    sku = (SELECT o.sku FROM orders_orderline o WHERE o.id = returns_returnline.order_line_id),
    name = (SELECT o.name FROM orders_orderline o WHERE o.id = returns_returnline.order_line_id),
    tax_rate = (
        SELECT o.tax_rate FROM orders_orderline o WHERE o.id = returns_returnline.order_line_id
    )
"""


def backfill(apps, schema_editor):
    # One statement for every tenant (the migration runs as the tables' owner, which
    # row-level security does not restrict).
    schema_editor.execute(BACKFILL)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0006_check_constraints"),
        ("returns", "0007_check_constraints"),
    ]

    operations = [
        migrations.AddField(
            model_name="returnline",
            name="name",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="returnline",
            name="sku",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="returnline",
            name="tax_rate",
            field=models.DecimalField(decimal_places=2, default=Decimal("0"), max_digits=5),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="returnline",
            constraint=models.CheckConstraint(
                condition=models.Q(("tax_rate__gte", 0), ("tax_rate__lte", 100)),
                name="returnline_tax_rate_percentage",
            ),
        ),
    ]
