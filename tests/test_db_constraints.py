"""The database refuses rows that break a money invariant, whoever writes them.

Each case stores a valid row through its factory, then writes one bad value directly
(``QuerySet.update`` and raw SQL skip every validator and service): the database must
refuse it and the row must keep its value. The same cases run on SQLite and, with
DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from testing import factories


def _order():
    return factories.OrderFactory(total=Decimal("40.00"))


def _order_line():
    return factories.OrderLineFactory(quantity=2)


def _return_request():
    return factories.ReturnRequestFactory()


def _return_line():
    line = factories.ReturnLineFactory(quantity=2)
    line.order_line.quantity = 2
    line.order_line.save(update_fields=["quantity"])
    return line


def _received_line():
    line = _return_line()
    type(line).objects.filter(pk=line.pk).update(
        received_quantity=1, accepted_amount=line.unit_price
    )
    return line


def _voucher():
    return factories.VoucherFactory()


def _credit_note():
    return factories.CreditNoteFactory(total=Decimal("10.00"))


def _booked_credit_note():
    return factories.CreditNoteFactory(
        total=Decimal("10.00"), status="booked", number="CN-2026-00001"
    )


def _credit_note_line():
    return factories.CreditNoteLineFactory()


def _refund():
    return factories.RefundFactory()


def _resolution():
    return factories.ReturnResolutionFactory(
        currency="EUR", amount=Decimal("5.00"), outcome="refund", resolved_by="system:test"
    )


def _credit_settings():
    return factories.CreditSettingsFactory()


# (what to build, the field, a value the database must refuse, a value it must accept)
CASES = [
    (_order, "currency", "eur", "SEK"),
    (_order, "currency", "E1R", "SEK"),
    (_order, "currency", "EU", "SEK"),
    (_order, "delivery_cost", Decimal("-0.01"), Decimal("0")),
    (_order, "total", Decimal("-1.00"), Decimal("0")),
    (_order_line, "quantity", 0, 1),
    (_order_line, "unit_price", Decimal("-0.01"), Decimal("0")),
    (_order_line, "tax_rate", Decimal("100.01"), Decimal("100")),
    (_order_line, "tax_rate", Decimal("-1"), Decimal("0")),
    (_return_request, "currency", "sek", "SEK"),
    (_return_request, "return_cost", Decimal("-4.95"), Decimal("0")),
    (_return_request, "refund_total", Decimal("-0.01"), Decimal("0")),
    (_return_line, "quantity", 0, 1),
    (_return_line, "unit_price", Decimal("-1.00"), Decimal("0")),
    (_return_line, "received_quantity", 3, 2),
    (_received_line, "accepted_amount", Decimal("-0.01"), Decimal("0")),
    (_received_line, "accepted_amount", Decimal("19.96"), Decimal("19.95")),
    (_voucher, "currency", "Eur", "SEK"),
    (_voucher, "amount", Decimal("0"), Decimal("25.00")),
    (_voucher, "amount", Decimal("24.99"), Decimal("30.00")),
    (_voucher, "bonus", Decimal("-1.00"), Decimal("1.00")),
    (_credit_note, "currency", "12A", "SEK"),
    (_credit_note, "total", Decimal("-10.00"), Decimal("0")),
    (_credit_note, "voucher_bonus", Decimal("-0.01"), None),
    (_booked_credit_note, "number", "", "CN-2026-00002"),
    (_credit_note_line, "quantity", 0, 2),
    (_credit_note_line, "tax_rate", Decimal("101"), Decimal("9")),
    (_refund, "currency", "usd", "USD"),
    (_refund, "amount", Decimal("0"), Decimal("0.01")),
    (_refund, "amount", Decimal("-19.95"), Decimal("0.01")),
    (_resolution, "currency", "EU", "SEK"),
    (_resolution, "amount", Decimal("-5.00"), Decimal("0")),
    (_resolution, "bonus", Decimal("-0.01"), Decimal("0")),
    (_credit_settings, "voucher_bonus_percent", Decimal("-5"), Decimal("10")),
    (_credit_settings, "voucher_bonus_percent", Decimal("150"), Decimal("100")),
]


def _case_id(case) -> str:
    build, field, bad, _good = case
    return f"{build.__name__.lstrip('_')}.{field}={bad!r}"


@pytest.mark.parametrize(("build", "field", "bad", "good"), CASES, ids=map(_case_id, CASES))
def test_the_database_refuses_a_bad_value_written_directly(in_tenant, build, field, bad, good):
    row = build()
    model = type(row)
    before = model.objects.filter(pk=row.pk).values_list(field, flat=True).get()

    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: bad})

    assert model.objects.filter(pk=row.pk).values_list(field, flat=True).get() == before
    # The constraint is not a blanket refusal: a valid value of the same field is stored.
    model.objects.filter(pk=row.pk).update(**{field: good})
    assert model.objects.filter(pk=row.pk).values_list(field, flat=True).get() == good


def test_a_shop_with_a_lower_case_currency_is_refused(tenant):
    from tenants.models import Tenant

    with pytest.raises(IntegrityError), transaction.atomic():
        Tenant.objects.filter(pk=tenant.pk).update(currency="eur")
    tenant.refresh_from_db()
    assert tenant.currency == "EUR"


def test_raw_sql_cannot_insert_an_order_line_of_zero_units(in_tenant):
    """The same guard for a statement that never went through the ORM's update."""
    line = factories.OrderLineFactory()
    table = line._meta.db_table
    columns = "tenant_id, order_id, position, sku, name, category, quantity, unit_price, "
    columns += "tax_rate, returnable, image_url, variants"
    values = [line.tenant_id, line.order_id, 99, "RAW", "Raw", "", 0, "1.00", "0", True, "", "[]"]
    marks = ", ".join(["%s"] * len(values))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # noqa: S608
    assert not type(line).objects.filter(sku="RAW").exists()


def test_a_ledger_entry_cannot_leave_a_negative_balance(in_tenant):
    """Ledger entries are append-only (PostgreSQL refuses any UPDATE), so the check is on
    the insert: an entry claiming a balance below zero is never stored."""
    from credits.models import VoucherEntry

    voucher = factories.VoucherFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        VoucherEntry.objects.create(
            voucher=voucher,
            kind="redeem",
            amount=Decimal("-25.01"),
            balance_after=Decimal("-0.01"),
            actor="system:test",
        )
    assert list(voucher.entries.values_list("balance_after", flat=True)) == [Decimal("25.00")]


def test_the_snapshot_migration_fills_existing_return_lines_from_their_order_lines(in_tenant):
    """Lines stored before the snapshot columns existed get their order line's values."""
    import importlib

    from returns.models import ReturnLine

    migration = importlib.import_module("returns.migrations.0008_return_line_snapshot")
    line = factories.ReturnLineFactory(
        order_line__sku="COAT-L", order_line__name="Coat L", order_line__tax_rate=Decimal("9")
    )
    other = factories.ReturnLineFactory(order_line__sku="HAT", order_line__name="Hat")
    ReturnLine.objects.update(sku="", name="", tax_rate=Decimal("0"))

    class Editor:  # the part of a schema editor the data migration uses
        @staticmethod
        def execute(sql, params=()):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

    migration.backfill(None, Editor())

    rows = dict(ReturnLine.objects.values_list("pk", "sku"))
    line.refresh_from_db()
    assert (line.sku, line.name, line.tax_rate) == ("COAT-L", "Coat L", Decimal("9.00"))
    assert rows[other.pk] == "HAT"


def test_an_exact_limit_is_allowed_even_where_decimals_are_floats(in_tenant):
    """SQLite stores decimals as floats: 109.85 + 5.49 and 3 x 19.95 must still equal
    their limits (a store-credit voucher with a bonus; three units accepted at full price)."""
    from returns.models import ReturnLine

    voucher = factories.VoucherFactory(amount=Decimal("109.85"), bonus=Decimal("5.49"))
    assert voucher.balance == Decimal("115.34")
    line = factories.ReturnLineFactory(quantity=3, order_line__quantity=3)
    ReturnLine.objects.filter(pk=line.pk).update(
        received_quantity=3, accepted_amount=Decimal("59.85")
    )
    line.refresh_from_db()
    assert line.accepted_amount == Decimal("59.85")
