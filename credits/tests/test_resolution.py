"""Return resolution: completing an inspected return pays out once, from what was accepted."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdfium2
import pytest
import responses
from django.utils import timezone

from credits.models import CreditNote, CreditSettings, Refund, ReturnResolution, Voucher
from credits.services import discount_cheque_refund, return_resolve
from returns.models import ReturnRequest
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.credits import STAFF, inspected_return, recent_order

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def snapshot(tenant) -> dict:
    with tenant_context(tenant):
        return {
            "returns": list(ReturnRequest.objects.order_by("pk").values("rma", "status")),
            "notes": CreditNote.objects.count(),
            "vouchers": Voucher.objects.count(),
            "refunds": Refund.objects.count(),
            "resolutions": ReturnResolution.objects.count(),
            "audit": AuditEvent.objects.count(),
        }


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_store_credit_return_gets_a_voucher_with_bonus_and_a_booked_credit_note(
    api, tenant, published, django_capture_on_commit_callbacks
):
    with tenant_context(tenant):
        # Both shirts back as new; the jeans came back damaged and are accepted at 50.00.
        return_request = inspected_return(
            resolution="store_credit", accepted={"JEANS-32": (1, "50.00")}, bonus_percent="10"
        )
    rma = return_request.rma

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/returns/{rma}/resolution/", {}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    # 2 x 19.95 + 50.00 accepted = 89.90; drop-off cost 4.95 charged; every unit of the
    # order came back (full withdrawal), so the 4.95 delivery cost is refunded; bonus
    # 10% of 89.90 = 8.99 goes on the voucher only.
    assert body["outcome"] == "store_credit"
    assert (body["amount"], body["bonus"]) == ("89.90", "8.99")
    assert body["calculation"]["subtotal"] == "89.90"
    assert body["calculation"]["return_cost"] == "4.95"
    assert body["calculation"]["delivery_cost_refund"] == "4.95"
    assert body["credit_note"]["number"] == f"CN-{YEAR}-00001"
    assert body["credit_note"]["status"] == "booked"
    assert body["voucher"]["balance"] == "98.89"
    assert body["voucher"]["bonus"] == "8.99"
    assert body["refund"] is None

    # The voucher's code works in the redemption API.
    code = body["voucher"]["code"]
    redeemed = api.post(
        f"/api/v1/vouchers/{code}/redemptions/",
        {"amount": "20.00", "reference": "POS-7"},
        format="json",
    )
    assert redeemed.status_code == 201, redeemed.json()
    assert redeemed.json()["balance"] == "78.89"

    # The booked credit note: goods, minus the return cost, plus the delivery cost.
    note = api.get(f"/api/v1/credit-notes/{body['credit_note']['id']}/").json()
    assert note["reason"] == "return" and note["return_rma"] == rma
    assert note["total"] == "89.90"
    assert [(line["description"], line["quantity"], line["total"]) for line in note["lines"]] == [
        ("T-shirt M", 2, "39.90"),
        ("Jeans 32", 1, "50.00"),
        ("Return cost", 1, "-4.95"),
        ("Original delivery cost", 1, "4.95"),
    ]
    assert note["payout"] == {"method": "voucher", "voucher": code}
    pdf = api.get(body["credit_note"]["document_url"])
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    assert f"CN-{YEAR}-00001" in text and "89,90" in text and "INV-2001" in text

    detail = api.get(f"/api/v1/returns/{rma}/").json()
    assert detail["status"] == "completed"

    # Every step is in the order's document history, with who did it.
    history = api.get("/api/v1/orders/2001/history/").json()
    steps = [(event["action"], event["actor"]["kind"]) for event in history]
    assert steps[-7:] == [
        ("return.inspected", "system"),
        ("credit_note.created", "system"),
        ("voucher.issued", "api_key"),
        ("credit_note.booked", "api_key"),
        ("return.resolved", "api_key"),
        ("return.completed", "api_key"),
        ("voucher.redeemed", "api_key"),
    ]
    assert history[-6]["actor"]["label"] == f"return resolution {rma}"
    names = [event.name for event in published]
    assert names.count("voucher.issued") == 1
    assert names.count("credit_note.booked") == 1
    assert names.count("return.completed") == 1


def test_refund_return_is_paid_once_however_often_it_is_resolved(api, colleague_api, tenant):
    with tenant_context(tenant):
        return_request = inspected_return(resolution="refund")
    rma = return_request.rma

    first = api.post(f"/api/v1/returns/{rma}/resolution/", {}, format="json")
    assert first.status_code == 200, first.json()
    body = first.json()
    # 2 x 19.95 + 69.95 = 109.85, minus the 4.95 return cost, plus 4.95 delivery.
    assert body["outcome"] == "refund"
    assert body["amount"] == "109.85"
    assert body["bonus"] == "0.00"
    assert body["voucher"] is None
    assert body["refund"]["status"] == "pending"
    assert body["refund"]["provider"] == "manual"
    assert body["refund"]["amount"] == "109.85"
    before = snapshot(tenant)

    # A double click, a retried call by another system of the shop: nothing more is paid.
    again = colleague_api.post(f"/api/v1/returns/{rma}/resolution/", {}, format="json")
    assert again.status_code == 200
    assert again.json() == body
    with tenant_context(tenant):
        assert return_resolve(return_request=return_request, actor=STAFF).pk
    assert snapshot(tenant) == before
    assert api.get(f"/api/v1/returns/{rma}/resolution/").json() == body
    refunds = api.get("/api/v1/refunds/").json()["results"]
    assert len(refunds) == 1 and refunds[0]["credit_note"] == f"CN-{YEAR}-00001"


@responses.activate
def test_refund_through_stripe_is_requested_once(
    api, tenant, stripe_account, django_capture_on_commit_callbacks
):
    call = responses.add(
        responses.POST,
        "https://api.stripe.com/v1/refunds",
        json={
            "id": "re_9",
            "object": "refund",
            "amount": 10985,
            "currency": "eur",
            "status": "succeeded",
        },
    )
    with tenant_context(tenant):
        return_request = inspected_return(resolution="refund")
    url = f"/api/v1/returns/{return_request.rma}/resolution/"
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url, {"payment_reference": "pi_42"}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        api.post(url, {"payment_reference": "pi_42"}, format="json")
    assert response.status_code == 200, response.json()
    assert call.call_count == 1
    assert "payment_intent=pi_42" in responses.calls[0].request.body
    assert "amount=10985" in responses.calls[0].request.body
    refund = api.get("/api/v1/refunds/").json()["results"][0]
    assert (refund["status"], refund["provider_reference"]) == ("succeeded", "re_9")


def test_a_refund_needing_a_payment_reference_changes_nothing_without_one(
    api, tenant, stripe_account
):
    with tenant_context(tenant):
        return_request = inspected_return(resolution="refund")
    before = snapshot(tenant)
    response = api.post(f"/api/v1/returns/{return_request.rma}/resolution/", {}, format="json")
    assert response.status_code == 422
    assert response.json()["code"] == "payment_reference_required"
    assert snapshot(tenant) == before


@pytest.mark.parametrize("resolution", ["exchange", "replacement"])
def test_exchange_creates_the_new_order_with_the_accepted_lines(api, tenant, published, resolution):
    with tenant_context(tenant):
        return_request = inspected_return(resolution=resolution, accepted={"JEANS-32": (0, "0.00")})
    response = api.post(f"/api/v1/returns/{return_request.rma}/resolution/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["outcome"] == resolution
    assert body["credit_note"] is None
    number = f"{return_request.rma}-X"
    assert body["exchange_order"]["number"] == number
    assert body["exchange_order"]["price_difference"] == "0.00"
    created = [event for event in published if event.name == "order.exchange_created"]
    assert len(created) == 1
    data = created[0].data
    assert (data["number"], data["exchange_for"], data["original_order"]) == (
        number,
        return_request.rma,
        "2001",
    )
    assert [(line["sku"], line["quantity"]) for line in data["lines"]] == [("TSHIRT-M", 2)]
    order = api.get(f"/api/v1/orders/{number}/").json()
    assert (order["kind"], order["exchange_for"]) == ("exchange", return_request.rma)
    assert [(line["sku"], line["quantity"], line["unit_price"]) for line in order["lines"]] == [
        ("TSHIRT-M", 2, "19.95")
    ]
    with tenant_context(tenant):
        assert CreditNote.objects.count() == 0
        assert Voucher.objects.count() == 0
        assert ReturnRequest.objects.get(pk=return_request.pk).status == "completed"


def test_nothing_accepted_completes_without_paying(api, tenant):
    with tenant_context(tenant):
        return_request = inspected_return(
            resolution="refund",
            accepted={"TSHIRT-M": (2, "0.00"), "JEANS-32": (0, "0.00")},
        )
    response = api.post(f"/api/v1/returns/{return_request.rma}/resolution/")
    assert response.status_code == 200, response.json()
    assert (response.json()["outcome"], response.json()["amount"]) == ("nothing", "0.00")
    with tenant_context(tenant):
        assert (CreditNote.objects.count(), Refund.objects.count()) == (0, 0)


def test_a_partial_return_keeps_the_delivery_cost_and_pays_the_accepted_part(api, tenant):
    with tenant_context(tenant):
        # One of the two shirts came back: no full withdrawal, no delivery cost refund.
        return_request = inspected_return(
            resolution="refund", accepted={"TSHIRT-M": (1, None), "JEANS-32": (1, "33.33")}
        )
    body = api.post(f"/api/v1/returns/{return_request.rma}/resolution/").json()
    assert body["calculation"]["delivery_cost_refund"] == "0.00"
    # 19.95 + 33.33 - 4.95
    assert body["amount"] == "48.33"


def test_only_an_inspected_return_is_resolved(api, tenant):
    with tenant_context(tenant):
        approved = inspected_return(inspect=False)
    before = snapshot(tenant)
    response = api.post(f"/api/v1/returns/{approved.rma}/resolution/")
    assert response.status_code == 409
    assert response.json()["code"] == "not_resolvable"
    assert snapshot(tenant) == before
    missing = api.get(f"/api/v1/returns/{approved.rma}/resolution/")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_resolved")
    bad = api.post(
        f"/api/v1/returns/{approved.rma}/resolution/", {"provider": "paypal"}, format="json"
    )
    assert bad.status_code == 400
    assert snapshot(tenant) == before


def test_another_tenant_gets_404_and_changes_nothing(api, outsider_api, tenant, other_tenant):
    with tenant_context(tenant):
        open_return = inspected_return(number="2001")
        done = inspected_return(number="2002")
    api.post(f"/api/v1/returns/{done.rma}/resolution/")
    with tenant_context(other_tenant):
        recent_order("2001")  # the outsider has an order with the same number
    before = snapshot(tenant)
    for rma in (open_return.rma, done.rma):
        url = f"/api/v1/returns/{rma}/resolution/"
        assert outsider_api.post(url).status_code == 404
        assert outsider_api.get(url).status_code == 404
    assert snapshot(tenant) == before
    with tenant_context(other_tenant):
        assert ReturnResolution.objects.count() == 0


def test_four_eyes_shops_book_the_computed_note_by_the_resolving_staff_member(
    tenant, django_user_model
):
    clerk = django_user_model.objects.create_user("clerk", password="x")
    with tenant_context(tenant):
        CreditSettings.objects.create(four_eyes_booking=True)
        return_request = inspected_return(resolution="refund")
        resolution = return_resolve(return_request=return_request, actor=Actor.staff(clerk))
        note = CreditNote.objects.get(pk=resolution.credit_note_id)
    assert note.status == "booked"
    assert note.created_by_actor == "system:"
    assert note.created_by_label == f"return resolution {return_request.rma}"
    assert note.booked_by == clerk


def test_missing_item_is_refunded_without_a_parcel(tenant):
    with tenant_context(tenant):
        return_request = inspected_return(
            resolution="refund", case_type="missing_item", method="own_shipping", inspect=False
        )
        resolution = return_resolve(return_request=return_request, actor=STAFF)
        status = ReturnRequest.objects.get(pk=return_request.pk).status
    assert status == "completed"
    # The requested units at their paid price; the shop pays the way back, and the
    # delivery cost is refunded only for a withdrawal (case type "return").
    assert resolution.amount == Decimal("109.85")
    assert resolution.calculation["return_cost"] == "0.00"


def test_forgotten_discount_cheque_becomes_a_refund_through_a_credit_note(tenant, order):
    with tenant_context(tenant):
        note = discount_cheque_refund(order=order, amount=Decimal("7.50"), actor=STAFF)
        refund = Refund.objects.get(credit_note=note)
        assert (note.reason, note.status, note.number) == (
            "discount_cheque",
            "booked",
            f"CN-{YEAR}-00001",
        )
        assert (refund.amount, refund.status) == (Decimal("7.50"), "pending")
        with pytest.raises(DomainError) as caught:
            discount_cheque_refund(order=order, amount=Decimal("0"), actor=STAFF)
        assert caught.value.code == "invalid_amount"

        CreditSettings.objects.update_or_create(defaults={"four_eyes_booking": True})
        draft = discount_cheque_refund(order=order, amount=Decimal("2.50"), actor=STAFF)
        assert (draft.status, draft.number) == ("draft", "")
        assert Refund.objects.count() == 1
