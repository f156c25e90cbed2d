"""Amounts get three decimal places, the most any currency has (BHD, KWD, OMR).

The integer part keeps its size (max_digits grows by one). On PostgreSQL the voucher's
balance trigger depends on the column, so it is dropped while the type changes and made
again after (the same definition as 0002_voucher_ledger_guards).
"""

from decimal import Decimal

from django.db import migrations

from returns_platform.money_fields import to_three_places as amount

ZERO = Decimal("0")

TRIGGER = "voucher_balance_matches_ledger"
CREATE_TRIGGER = f"""
CREATE TRIGGER {TRIGGER}
    BEFORE INSERT OR UPDATE OF balance ON credits_voucher
    FOR EACH ROW EXECUTE FUNCTION credits_voucher_balance_matches_ledger();
"""
DROP_TRIGGER = f"DROP TRIGGER IF EXISTS {TRIGGER} ON credits_voucher;"


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("credits", "0010_api_voucher_limit")]

    operations = [
        migrations.RunPython(drop_trigger, create_trigger),
        amount("creditnote", "tax_total", 15, default=ZERO),
        amount("creditnote", "total", 15, default=ZERO),
        amount(
            "creditnote",
            "voucher_bonus",
            15,
            blank=True,
            null=True,
            help_text="A voucher payout's bonus fixed when drafted (a return's policy); "
            "empty: the credit settings' percentage at booking.",
        ),
        amount("creditnoteline", "tax_amount", 15, default=ZERO),
        amount("creditnoteline", "total", 15),
        amount("creditnoteline", "unit_amount", 15),
        amount(
            "creditsettings",
            "api_voucher_limit",
            15,
            blank=True,
            null=True,
            default=Decimal("1000.00"),
            help_text="The largest voucher (amount plus bonus, in the voucher's currency) an API "
            "key may issue; empty: no limit. Staff are not limited by it.",
        ),
        amount("refund", "amount", 15),
        amount("returnresolution", "amount", 15, default=ZERO, help_text="Credited (note)."),
        amount("returnresolution", "bonus", 15, default=ZERO),
        amount("returnresolution", "price_difference", 15, default=ZERO),
        amount("voucher", "amount", 15, help_text="The value issued, without the bonus."),
        amount("voucher", "balance", 15, default=ZERO),
        amount("voucher", "bonus", 15, default=ZERO),
        amount("voucherentry", "amount", 15),
        amount("voucherentry", "balance_after", 15),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
