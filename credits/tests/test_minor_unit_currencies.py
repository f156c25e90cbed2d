"""A currency's minor units decide an amount's decimals end to end: BHD has three, JPY
none. Stored, written by the API, in webhook payloads, on the credit note and in mails."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdfium2
import pytest
from django.db import connection

from credits.models import CreditNote, Refund
from credits.settings import credit_settings_get
from notifications.planning import event_context
from notifications.rendering import render_mail
from orders.models import Order
from returns import services as returns_services
from returns.models import ReturnPolicy
from returns.selectors import return_policy_get
from returns.workflow import return_move
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from testing.credits import STAFF, receive_as_new
from testing.dates import recent_dates
from testing.orders import order_payload
from testing.pdf_layout import assert_clean_layout, read_pdf, save_png

pytestmark = pytest.mark.django_db


def _pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def _line(sku: str, price: str, quantity: int) -> dict:
    return {
        "sku": sku,
        "name": f"Item {sku}",
        "category": "misc",
        "quantity": quantity,
        "unit_price": price,
        "tax_rate": "10.00",
        "returnable": True,
    }


def _stored_text(table: str, column: str, pk: int, expected: str) -> str:
    """The column's text as the database holds it; SQLite keeps no scale, so only the value."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CAST({column} AS TEXT) FROM {table} WHERE id = %s", [pk])  # noqa: S608
        stored = cursor.fetchone()[0]
    if connection.vendor != "postgresql":
        return expected if Decimal(stored) == Decimal(expected) else stored
    return stored


def _returned(tenant, number: str, resolution: str):
    """Every unit of order ``number`` asked back and approved; the drop-off costs 0.50."""
    with tenant_context(tenant):
        policy = return_policy_get()
        methods = {**policy.methods, "drop_off": {"default": "0.50"}}
        ReturnPolicy.objects.filter(pk=policy.pk).update(
            methods=methods, resolutions=["refund", "store_credit"]
        )
        order = Order.objects.get(number=number)
        return_request = returns_services.return_request_create(
            order=order,
            case_type="return",
            resolution=resolution,
            method="drop_off",
            lines=[
                {"order_line": line.pk, "quantity": line.quantity, "reason_code": "too_small"}
                for line in order.lines.order_by("position")
            ],
            actor=Actor.consumer(order.email),
        )
        return_move(return_request=return_request, to="approved", actor=STAFF)
        return return_request


def _receive_everything(api, rma: str) -> dict:
    lines = api.get(f"/api/v1/returns/{rma}/").json()["lines"]
    response = receive_as_new(api, rma, lines)
    assert response.status_code == 200, response.json()
    return response.json()


def _mail(tenant, published, name: str) -> str:
    event = next(event for event in published if event.name == name)
    context = event_context(name, event.data, tenant, "nl")
    return render_mail(event=name, language="nl", context=context).text


def test_a_bhd_return_keeps_three_decimals_from_the_order_to_the_refund(
    api, tenant, published, django_capture_on_commit_callbacks
):
    payload = order_payload(
        "B-1",
        currency="BHD",
        delivery_cost="1.500",
        invoice_number="INV-B-1",
        lines=None,
        **recent_dates(),
    )
    payload["lines"] = [_line("TEA", "1.250", 2), _line("CUP", "0.755", 1)]
    created = api.post("/api/v1/orders/", payload, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["delivery_cost"] == "1.500"
    assert [line["unit_price"] for line in body["lines"]] == ["1.250", "0.755"]
    assert [line["tax_rate"] for line in body["lines"]] == ["10.00", "10.00"]
    with tenant_context(tenant):
        order = Order.objects.get(number="B-1")
        line = order.lines.get(sku="CUP")
        assert line.unit_price == Decimal("0.755")
        assert _stored_text("orders_orderline", "unit_price", line.pk, "0.755") == "0.755"
        assert _stored_text("orders_order", "delivery_cost", order.pk, "1.500") == "1.500"
    total = order.total
    assert body["total"] == f"{total:.3f}"

    # Four decimals are more than any currency has; three are too many for EUR.
    payload["lines"][1]["unit_price"] = "0.7555"
    refused = api.post("/api/v1/orders/", {**payload, "number": "B-2"}, format="json")
    assert refused.status_code == 400
    eur = {**payload, "number": "E-1", "currency": "EUR", "delivery_cost": "1.505"}
    eur["lines"] = [_line("TEA", "1.25", 1)]
    refused = api.post("/api/v1/orders/", eur, format="json")
    assert refused.json()["code"] == "validation_error"
    assert refused.json()["errors"][0]["code"] == "invalid_precision"

    return_request = _returned(tenant, "B-1", "refund")
    rma = return_request.rma
    detail = api.get(f"/api/v1/returns/{rma}/").json()
    assert [line["unit_price"] for line in detail["lines"]] == ["1.250", "0.755"]
    assert detail["return_cost"] == "0.500"
    received = _receive_everything(api, rma)
    assert [line["accepted_amount"] for line in received["lines"]] == ["2.500", "0.755"]

    with django_capture_on_commit_callbacks(execute=True):
        resolved = api.post(f"/api/v1/returns/{rma}/resolution/", {}, format="json")
    assert resolved.status_code == 200, resolved.json()
    body = resolved.json()
    # 2 x 1.250 + 0.755 = 3.255 accepted, less the 0.500 drop-off, plus the 1.500
    # delivery cost (every unit came back): 4.255 BHD.
    assert body["calculation"]["subtotal"] == "3.255"
    assert body["calculation"]["return_cost"] == "0.500"
    assert body["calculation"]["delivery_cost_refund"] == "1.500"
    assert body["amount"] == "4.255"
    assert body["refund"]["amount"] == "4.255"
    assert body["credit_note"]["total"] == "4.255"

    note = api.get(f"/api/v1/credit-notes/{body['credit_note']['id']}/").json()
    assert note["total"] == "4.255"
    assert [(line["description"], line["total"]) for line in note["lines"]] == [
        ("Item TEA", "2.500"),
        ("Item CUP", "0.755"),
        ("Return cost", "-0.500"),
        ("Original delivery cost", "1.500"),
    ]
    assert all(len(line["tax_amount"].partition(".")[2]) == 3 for line in note["lines"])
    refunds = api.get("/api/v1/refunds/").json()["results"]
    assert [refund["amount"] for refund in refunds] == ["4.255"]
    with tenant_context(tenant):
        stored = CreditNote.objects.get(return_rma=rma)
        assert stored.total == Decimal("4.255")
        assert _stored_text("credits_creditnote", "total", stored.pk, "4.255") == "4.255"
        assert Refund.objects.get().amount == Decimal("4.255")

    pdf = api.get(body["credit_note"]["document_url"])
    assert pdf.status_code == 200
    text = _pdf_text(pdf.content)
    assert "4,255" in text and "1,250" in text and "0,755" in text  # the order is in Dutch
    save_png(pdf.content, "credit-note-nl-bhd")
    assert_clean_layout(read_pdf(pdf.content))  # three decimals still fit their columns

    booked = next(event for event in published if event.name == "credit_note.booked")
    assert (booked.data["amount"], booked.data["currency"]) == ("4.255", "BHD")
    assert "4,255 BHD" in _mail(tenant, published, "credit_note.booked")


def test_a_jpy_store_credit_has_no_decimals(
    api, tenant, published, django_capture_on_commit_callbacks
):
    payload = order_payload("Y-1", currency="JPY", delivery_cost="500", **recent_dates())
    payload["lines"] = [_line("TEA", "1200", 2), _line("CUP", "850", 1)]
    created = api.post("/api/v1/orders/", payload, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["delivery_cost"], body["total"]) == ("500", "3750")
    assert [line["unit_price"] for line in body["lines"]] == ["1200", "850"]
    refused = api.post(
        "/api/v1/orders/", {**payload, "number": "Y-2", "delivery_cost": "0.5"}, format="json"
    )
    assert refused.json()["errors"][0]["code"] == "invalid_precision"

    rma = _returned(tenant, "Y-1", "store_credit").rma
    with tenant_context(tenant):  # the API keys' voucher limit is 1000 (of any currency)
        settings = credit_settings_get()
        settings.api_voucher_limit = None
        settings.save(update_fields=["api_voucher_limit"])
    assert api.get(f"/api/v1/returns/{rma}/").json()["return_cost"] == "1"  # 0.50 rounded
    received = _receive_everything(api, rma)
    assert [line["accepted_amount"] for line in received["lines"]] == ["2400", "850"]
    with django_capture_on_commit_callbacks(execute=True):
        resolved = api.post(f"/api/v1/returns/{rma}/resolution/", {}, format="json")
    assert resolved.status_code == 200, resolved.json()
    body = resolved.json()
    # 3250 accepted - 1 drop-off + 500 delivery = 3749 JPY on a voucher.
    assert (body["amount"], body["bonus"]) == ("3749", "0")
    assert body["voucher"]["balance"] == "3749"
    code = body["voucher"]["code"]
    voucher = api.get(f"/api/v1/vouchers/{code}/").json()
    assert (voucher["amount"], voucher["balance"], voucher["initial_amount"]) == (
        "3749",
        "3749",
        "3749",
    )
    redeemed = api.post(f"/api/v1/vouchers/{code}/redemptions/", {"amount": "749"}, format="json")
    assert redeemed.status_code == 201, redeemed.json()
    assert redeemed.json()["balance"] == "3000"
    assert redeemed.json()["entry"]["amount"] == "-749"
    half = api.post(f"/api/v1/vouchers/{code}/redemptions/", {"amount": "0.5"}, format="json")
    assert half.json()["code"] == "invalid_precision"

    note = api.get(f"/api/v1/credit-notes/{body['credit_note']['id']}/").json()
    assert note["total"] == "3749"
    text = _pdf_text(api.get(body["credit_note"]["document_url"]).content)
    assert "3.749" in text and "3.749,00" not in text  # Dutch grouping, no decimals
    issued = next(event for event in published if event.name == "voucher.issued")
    assert (issued.data["amount"], issued.data["currency"]) == ("3749", "JPY")
    assert "3.749 JPY" in _mail(tenant, published, "voucher.issued")
