"""A return pays out what it returned, as the order said when the request was made.

Return lines keep the sku, name, unit price and tax rate of their order line (and the
request its currency). The order upsert refuses to change a held line; a write that
skips that guard (an admin edit, a script) still changes nothing the return shows or pays,
and a changed currency stops the payout instead of paying in another currency.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from credits.models import CreditNote, CreditNoteLine, Refund, ReturnResolution, Voucher
from credits.services import return_resolve
from orders.models import Order, OrderLine
from returns.models import ReturnLine
from returns_platform.errors import ConflictError
from returns_platform.tenancy import tenant_context
from testing.credits import STAFF, inspected_return

pytestmark = pytest.mark.django_db


def _rewrite_order_lines(order_id: int) -> None:
    """What an edit that bypassed the upsert's guard would leave behind."""
    OrderLine.objects.filter(order_id=order_id).update(
        sku="OTHER", name="Something else", unit_price=Decimal("999.00"), tax_rate=Decimal("6")
    )


def test_return_lines_keep_what_the_order_said_when_requested(tenant):
    with tenant_context(tenant):
        return_request = inspected_return(resolution="refund", inspect=False)
        lines = {
            line.sku: (line.name, line.unit_price, line.tax_rate)
            for line in ReturnLine.objects.filter(request=return_request)
        }
    assert lines == {
        "TSHIRT-M": ("T-shirt M", Decimal("19.95"), Decimal("21.00")),
        "JEANS-32": ("Jeans 32", Decimal("69.95"), Decimal("21.00")),
    }


def test_resolution_pays_the_snapshot_after_the_order_line_changed(tenant):
    with tenant_context(tenant):
        return_request = inspected_return(resolution="refund")
        _rewrite_order_lines(return_request.order_id)
        resolution = return_resolve(return_request=return_request, actor=STAFF)

        resolution = ReturnResolution.objects.get(pk=resolution.pk)
        notes = list(
            CreditNoteLine.objects.filter(credit_note_id=resolution.credit_note_id)
            .exclude(order_line=None)
            .values_list("description", "quantity", "unit_amount", "tax_rate")
        )
        refund_currency = resolution.refund.currency
        note_currency = resolution.credit_note.currency
        refunded = resolution.refund.amount
    assert sorted(notes) == [
        ("Jeans 32", 1, Decimal("69.95"), Decimal("21.00")),
        ("T-shirt M", 2, Decimal("19.95"), Decimal("21.00")),
    ]
    assert {line["sku"] for line in resolution.lines} == {"TSHIRT-M", "JEANS-32"}
    assert (resolution.currency, note_currency, refund_currency) == ("EUR", "EUR", "EUR")
    # 2 x 19.95 + 69.95, less the 4.95 drop-off, plus the 4.95 delivery (full withdrawal).
    assert resolution.amount == refunded == Decimal("109.85")


@pytest.mark.parametrize("resolution", ["refund", "store_credit"])
def test_nothing_is_paid_when_the_order_changed_currency_under_the_return(tenant, resolution):
    with tenant_context(tenant):
        return_request = inspected_return(resolution=resolution)
        Order.objects.filter(pk=return_request.order_id).update(currency="SEK")
        with pytest.raises(ConflictError) as refused:
            return_resolve(return_request=return_request, actor=STAFF)
        written = [model.objects.count() for model in (CreditNote, Refund, Voucher)]
        return_request.refresh_from_db()
    assert refused.value.code == "currency_locked"
    assert written == [0, 0, 0]
    assert return_request.status == "inspected"


def test_a_return_shows_what_was_returned_after_the_order_line_changed(api, tenant):
    with tenant_context(tenant):
        return_request = inspected_return(resolution="refund")
        return_resolve(return_request=return_request, actor=STAFF)
        _rewrite_order_lines(return_request.order_id)

    body = api.get(f"/api/v1/returns/{return_request.rma}/").json()
    shown = sorted((line["sku"], line["name"], line["unit_price"]) for line in body["lines"])
    assert shown == [("JEANS-32", "Jeans 32", "69.95"), ("TSHIRT-M", "T-shirt M", "19.95")]
