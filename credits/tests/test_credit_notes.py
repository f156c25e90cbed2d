"""Credit notes: draft, booking with a yearly number, payout, immutability, PDF."""

from __future__ import annotations

import io
from decimal import Decimal
from urllib.parse import parse_qs

import pypdfium2
import pytest
import responses
from django.utils import timezone

from credits.models import CreditNote, CreditNoteLine, CreditSettings, Refund, Voucher
from credits.services import (
    credit_note_book,
    credit_note_create,
    credit_note_update,
    refund_create,
)
from credits.services.credit_notes import Payout
from orders.models import OrderLine
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.models import AuditEvent, DocumentCounter
from returns_platform.tenancy import tenant_context
from testing.credits import STAFF

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def snapshot(tenant) -> dict:
    with tenant_context(tenant):
        return {
            "notes": list(CreditNote.objects.order_by("pk").values()),
            "lines": list(CreditNoteLine.objects.order_by("pk").values()),
            "vouchers": Voucher.objects.count(),
            "refunds": Refund.objects.count(),
            "counters": list(DocumentCounter.objects.values()),
            "audit": AuditEvent.objects.count(),
        }


def create(api, **fields):
    body = {
        "order": "1001",
        "reason": "goodwill",
        "description": "Sorry for the late delivery",
        "amount": "10.00",
        "payout": {"method": "voucher"},
        **fields,
    }
    return api.post("/api/v1/credit-notes/", body, format="json")


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_fixed_amount_draft_then_booking_numbers_and_pays_out_a_voucher(
    api, colleague_api, tenant, order, published, django_capture_on_commit_callbacks
):
    created = create(api)
    assert created.status_code == 201, created.json()
    draft = created.json()
    assert draft["status"] == "draft"
    assert draft["number"] == ""
    assert draft["total"] == "10.00"
    assert draft["invoice_reference"] == "INV-2026-0042"
    assert draft["document_url"] is None

    with django_capture_on_commit_callbacks(execute=True):
        booked = colleague_api.post(f"/api/v1/credit-notes/{draft['id']}/book/")
    assert booked.status_code == 200, booked.json()
    note = booked.json()
    assert note["status"] == "booked"
    assert note["number"] == f"CN-{YEAR}-00001"
    assert note["created_by"] == "test" and note["booked_by"] == "test"
    voucher_code = note["payout"]["voucher"]
    voucher = api.get(f"/api/v1/vouchers/{voucher_code}/").json()
    assert voucher["balance"] == "10.00"
    assert voucher["order"] == "1001"

    event = [e for e in published if e.name == "credit_note.booked"][0]
    assert event.data == {
        "number": f"CN-{YEAR}-00001",
        "amount": "10.00",
        "currency": "EUR",
        "email": "jan@example.nl",
        "language": "nl",
        "order_number": "1001",
        "customer_name": "Jan Jansen",
        "document_path": f"credit_notes/{tenant.pk}/CN-{YEAR}-00001.pdf",
    }
    assert [e.name for e in published].count("voucher.issued") == 1
    with tenant_context(tenant):
        booking = AuditEvent.objects.get(action="credit_note.booked")
        stored = CreditNote.objects.get(pk=draft["id"])
    assert booking.order_number == "1001"
    assert booking.actor_id == str(colleague_api.api_key.pk)
    assert booking.data["number"] == f"CN-{YEAR}-00001"
    # The PDF was built after commit and is kept.
    assert stored.document.name == f"credit_notes/{tenant.pk}/CN-{YEAR}-00001.pdf"

    second = create(api, amount="4.50").json()
    assert (
        api.post(f"/api/v1/credit-notes/{second['id']}/book/").json()["number"]
        == f"CN-{YEAR}-00002"
    )


def test_voucher_bonus_and_validity_come_from_the_credit_settings(api, tenant, order):
    with tenant_context(tenant):
        CreditSettings.objects.create(
            voucher_bonus_percent=Decimal("10.00"), voucher_validity_days=30
        )
    note = create(api, amount="19.95").json()
    booked = api.post(f"/api/v1/credit-notes/{note['id']}/book/").json()
    voucher = api.get(f"/api/v1/vouchers/{booked['payout']['voucher']}/").json()
    assert voucher["amount"] == "19.95"
    assert voucher["bonus"] == "2.00"  # 1.995 rounded half up
    assert voucher["balance"] == "21.95"
    assert voucher["expires_at"] == str(timezone.localdate() + timezone.timedelta(days=30))


def test_lines_from_order_lines_and_free_text(api, tenant, order):
    with tenant_context(tenant):
        shirt = OrderLine.objects.get(order=order, sku="TSHIRT-M")
    response = create(
        api,
        amount=None,
        lines=[
            {"order_line": shirt.pk, "quantity": 1},
            {"description": "Shipping refund", "unit_amount": "4.95", "tax_rate": "21.00"},
        ],
        reason="damaged_item",
    )
    assert response.status_code == 201, response.json()
    note = response.json()
    assert [line["description"] for line in note["lines"]] == ["T-shirt M", "Shipping refund"]
    assert note["lines"][0]["unit_amount"] == "19.95"
    assert note["total"] == "24.90"
    # Tax contained in tax-inclusive amounts: 19.95 * 21/121 = 3.46, 4.95 * 21/121 = 0.86.
    assert note["tax_total"] == "4.32"


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"amount": "0.00"}, 422, "invalid_amount"),
        ({"amount": "-10.00"}, 422, "invalid_amount"),
        ({"amount": None}, 422, "amount_or_lines"),
        ({"lines": [{"description": "x", "unit_amount": "1.00"}]}, 422, "amount_or_lines"),
        ({"amount": None, "lines": [{"order_line": 999999}]}, 422, "unknown_order_line"),
        ({"reason": "because"}, 400, "validation_error"),
        ({"order": "9999"}, 404, "not_found"),
        (
            {
                "payout": {
                    "method": "bank_transfer",
                    "iban": "NL91ABNA0417164301",
                    "account_holder": "Jan Jansen",
                }
            },
            422,
            "invalid_iban",
        ),
        ({"payout": {"method": "bank_transfer", "iban": "NL91ABNA0417164300"}}, 422, "required"),
        ({"payout": {"method": "gift_card"}}, 422, "required"),
        (
            {"payout": {"method": "original_payment", "provider": "stripe"}},
            422,
            "provider_not_configured",
        ),
        ({"payout": {"method": "cash"}}, 400, "validation_error"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(api, tenant, order, fields, status, code):
    before = snapshot(tenant)
    response = create(api, **fields)
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code
    assert snapshot(tenant) == before


def test_valid_iban_is_kept_compact(api, order):
    note = create(
        api,
        payout={
            "method": "bank_transfer",
            "iban": "nl91 abna 0417 1643 00",
            "account_holder": "Jan Jansen",
        },
    ).json()
    assert note["payout"] == {
        "method": "bank_transfer",
        "iban": "NL91ABNA0417164300",
        "account_holder": "Jan Jansen",
    }


def test_booking_twice_and_editing_a_booked_note_are_refused(api, tenant, order):
    note = create(api).json()
    draft_edit = api.patch(
        f"/api/v1/credit-notes/{note['id']}/", {"description": "Fixed text"}, format="json"
    )
    assert draft_edit.status_code == 200
    assert draft_edit.json()["description"] == "Fixed text"
    api.post(f"/api/v1/credit-notes/{note['id']}/book/")
    before = snapshot(tenant)

    again = api.post(f"/api/v1/credit-notes/{note['id']}/book/")
    assert again.status_code == 409
    assert again.json()["code"] == "already_booked"
    edit = api.patch(f"/api/v1/credit-notes/{note['id']}/", {"description": "x"}, format="json")
    assert edit.status_code == 409
    assert edit.json()["code"] == "credit_note_booked"
    with tenant_context(tenant), pytest.raises(DomainError) as caught:
        credit_note_update(
            credit_note=CreditNote.objects.get(pk=note["id"]), actor=STAFF, description="y"
        )
    assert caught.value.code == "credit_note_booked"
    assert snapshot(tenant) == before


def test_four_eyes_booking_needs_a_second_person(api, colleague_api, tenant, order):
    with tenant_context(tenant):
        CreditSettings.objects.create(four_eyes_booking=True)
    note = create(api).json()
    before = snapshot(tenant)
    refused = api.post(f"/api/v1/credit-notes/{note['id']}/book/")
    assert refused.status_code == 403
    assert refused.json()["code"] == "four_eyes_required"
    assert snapshot(tenant) == before
    assert colleague_api.post(f"/api/v1/credit-notes/{note['id']}/book/").status_code == 200


def test_staff_author_and_booker_are_recorded_as_users(tenant, order, django_user_model):
    alice = django_user_model.objects.create_user("alice", password="x")
    bob = django_user_model.objects.create_user("bob", password="x")
    with tenant_context(tenant):
        CreditSettings.objects.create(four_eyes_booking=True)
        note = credit_note_create(
            order=order,
            reason="missed_discount",
            amount=Decimal("5.00"),
            payout=Payout(method="gift_card", gift_card_provider="VVV", gift_card_reference="G1"),
            actor=Actor.staff(alice),
        )
        with pytest.raises(DomainError):
            credit_note_book(credit_note=note, actor=Actor.staff(alice))
        note = credit_note_book(credit_note=note, actor=Actor.staff(bob))
        note.refresh_from_db()
    assert (note.created_by, note.booked_by) == (alice, bob)
    assert note.booked_at is not None


def test_original_payment_payout_creates_a_pending_refund(api, tenant, order, published):
    note = create(
        api,
        payout={"method": "original_payment", "provider": "manual", "payment_reference": "P1"},
    ).json()
    booked = api.post(f"/api/v1/credit-notes/{note['id']}/book/").json()
    refunds = api.get("/api/v1/refunds/").json()["results"]
    assert len(refunds) == 1
    assert refunds[0]["status"] == "pending"
    assert refunds[0]["amount"] == "10.00"
    assert refunds[0]["provider"] == "manual"
    assert refunds[0]["credit_note"] == booked["number"]


def test_a_payout_that_fails_rolls_the_booking_and_its_number_back(api, tenant, order):
    # Most of the order was refunded outside any credit note: the note fits the order's
    # credit cap, but paying it to the original payment would refund more than was paid.
    with tenant_context(tenant):
        refund_create(order=order, amount=order.total - Decimal("1.00"), actor=STAFF)
    big = create(
        api,
        amount="5.00",
        payout={"method": "original_payment", "provider": "manual"},
    ).json()
    before = snapshot(tenant)
    refused = api.post(f"/api/v1/credit-notes/{big['id']}/book/")
    assert refused.status_code == 422
    assert refused.json()["code"] == "refund_exceeds_order"
    assert snapshot(tenant) == before
    ok = create(api).json()
    assert api.post(f"/api/v1/credit-notes/{ok['id']}/book/").json()["number"] == (
        f"CN-{YEAR}-00001"
    )


def test_document_pdf_has_the_number_and_amount(api, tenant, order):
    note = create(api, amount="12.34").json()
    draft_pdf = api.get(f"/api/v1/credit-notes/{note['id']}/document.pdf")
    assert draft_pdf.status_code == 409
    assert draft_pdf.json()["code"] == "credit_note_not_booked"
    api.post(f"/api/v1/credit-notes/{note['id']}/book/")  # no on-commit run: built on demand

    response = api.get(f"/api/v1/credit-notes/{note['id']}/document.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert f"CN-{YEAR}-00001" in text
    assert "12,34" in text  # a Dutch order: its document writes Dutch amounts
    assert "1001" in text and "INV-2026-0042" in text
    assert "Acme" in text
    # Second call serves the stored file.
    assert api.get(f"/api/v1/credit-notes/{note['id']}/document.pdf").content == pdf


def test_another_tenant_gets_404_everywhere_and_changes_nothing(api, outsider_api, tenant, order):
    draft = create(api).json()
    booked = create(api).json()
    api.post(f"/api/v1/credit-notes/{booked['id']}/book/")
    before = snapshot(tenant)
    for note in (draft, booked):
        base = f"/api/v1/credit-notes/{note['id']}/"
        responses = [
            outsider_api.get(base),
            outsider_api.patch(base, {"description": "x"}, format="json"),
            outsider_api.post(f"{base}book/"),
            outsider_api.get(f"{base}document.pdf"),
        ]
        assert [r.status_code for r in responses] == [404] * 4
    assert outsider_api.get("/api/v1/credit-notes/").json()["results"] == []
    assert outsider_api.get("/api/v1/refunds/").json()["results"] == []
    assert create(outsider_api).status_code == 404  # order 1001 is not theirs
    assert snapshot(tenant) == before


def test_list_and_detail_query_counts_are_constant(api, tenant, order, django_assert_num_queries):
    with tenant_context(tenant):
        lines = list(OrderLine.objects.filter(order=order))
    for count in (1, 2, 5):
        create(
            api,
            amount=None,
            lines=[{"description": f"Item {i}", "unit_amount": "1.00"} for i in range(count)]
            + [{"order_line": lines[0].pk}],
        )
    api.get("/api/v1/credit-notes/")
    # Notes with order and voucher, their lines (the API key comes from its cache).
    with django_assert_num_queries(2):
        assert len(api.get("/api/v1/credit-notes/?limit=1").json()["results"]) == 1
    with django_assert_num_queries(2):
        assert len(api.get("/api/v1/credit-notes/?limit=3").json()["results"]) == 3
    notes = api.get("/api/v1/credit-notes/").json()["results"]
    for note in notes:
        with django_assert_num_queries(2):
            api.get(f"/api/v1/credit-notes/{note['id']}/")
    # Refunds with order and credit note.
    with django_assert_num_queries(1):
        api.get("/api/v1/refunds/")


def test_quantity_above_the_order_line_is_refused(api, tenant, order):
    with tenant_context(tenant):
        jeans = OrderLine.objects.get(order=order, sku="JEANS-32")
    before = snapshot(tenant)
    response = create(api, amount=None, lines=[{"order_line": jeans.pk, "quantity": 2}])
    assert response.status_code == 422
    assert response.json()["code"] == "quantity_exceeds_order_line"
    assert response.json()["field"] == "lines[0].quantity"
    assert snapshot(tenant) == before


@responses.activate
def test_booking_with_original_payment_refunds_through_stripe_once(
    api, tenant, order, stripe_account, published, django_capture_on_commit_callbacks
):
    call = responses.add(
        responses.POST,
        "https://api.stripe.com/v1/refunds",
        json={
            "id": "re_1",
            "object": "refund",
            "amount": 1000,
            "currency": "eur",
            "status": "succeeded",
        },
    )
    note = create(api, payout={"method": "original_payment", "payment_reference": "pi_123"}).json()
    assert note["payout"] == {
        "method": "original_payment",
        "provider": "stripe",  # the tenant's default account
        "payment_reference": "pi_123",
    }
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"/api/v1/credit-notes/{note['id']}/book/")
    assert call.call_count == 1
    assert parse_qs(responses.calls[0].request.body)["amount"] == ["1000"]
    refund = api.get("/api/v1/refunds/").json()["results"][0]
    assert (refund["status"], refund["provider_reference"]) == ("succeeded", "re_1")
    names = [event.name for event in published]
    assert names.index("credit_note.booked") < names.index("refund.succeeded")


def test_a_booking_and_its_refund_stay_committed_when_the_broker_refuses_their_tasks(
    api, tenant, order, stripe_account, published, django_capture_on_commit_callbacks
):
    """The document and refund hand-offs after commit may fail (Redis down): the booking
    answers 200, the refund waits for the periodic sweep, the PDF renders on download."""
    from unittest import mock

    from kombu.exceptions import OperationalError as BrokerDown

    from credits.selectors import refunds_due

    note = create(
        api,
        payout={"method": "original_payment", "provider": "stripe", "payment_reference": "pi_1"},
    )
    assert note.status_code == 201, note.json()
    refused = mock.patch("celery.app.task.Task.apply_async", side_effect=BrokerDown("refused"))
    with refused, django_capture_on_commit_callbacks(execute=True) as callbacks:
        booked = api.post(f"/api/v1/credit-notes/{note.json()['id']}/book/")
    assert len(callbacks) >= 2  # the document and the refund hand-offs ran and failed
    assert booked.status_code == 200, booked.json()
    with tenant_context(tenant):
        stored = CreditNote.objects.get(pk=note.json()["id"])
        assert stored.number == booked.json()["number"]
        assert not stored.document  # its task never ran
        (refund,) = Refund.objects.all()
        assert refund.provider == "stripe" and refund.status == "pending"
        assert list(refunds_due(Refund.objects.all(), now=timezone.now())) == [refund]
    document = api.get(f"/api/v1/credit-notes/{stored.pk}/document.pdf")
    assert document.status_code == 200
    assert booked.json()["number"] in pdf_text(document.content)
