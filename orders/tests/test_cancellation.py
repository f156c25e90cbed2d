"""Cancelling an order: one rule in every interface; the mail states only recorded refunds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from credits.models import CreditNote, Refund
from orders.models import Order, OrderEvent
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from testing.orders import create_order
from testing.staff import add_staff, client_for

pytestmark = pytest.mark.django_db


def placed(tenant, number="3001"):
    with tenant_context(tenant):
        return create_order(
            number,
            language="en",
            placed_at=timezone.now().isoformat(),
            shipped_at=None,
            delivered_at=None,
        )


def shipped(tenant, number="3002"):
    with tenant_context(tenant):
        now = timezone.now().isoformat()
        return create_order(number, placed_at=now, shipped_at=now, delivered_at=None)


def cancel(api, number, **extra):
    return api.post(
        f"/api/v1/orders/{number}/events/",
        {"type": "cancelled", "reason": "Out of stock", **extra},
        format="json",
    )


def cancel_mail(django_capture_on_commit_callbacks, send):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = send()
    mails = [m for m in mail.outbox if "cancelled" in m.subject]
    return response, mails


def test_a_shipped_order_is_refused_in_the_api_and_the_back_office(api, tenant):
    order = shipped(tenant)
    refused = cancel(api, order.number)
    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_order_event"
    staff = client_for(add_staff(tenant, "agent@acme.example", Role.AGENT))
    page = staff.get(f"/backoffice/orders/{order.number}/")
    assert 'data-action="cancel-order"' not in page.content.decode()
    posted = staff.post(f"/backoffice/orders/{order.number}/cancel/", {"reason": "x"}, follow=True)
    assert "cannot be marked cancelled" in posted.content.decode()
    with tenant_context(tenant):
        assert Order.objects.get(pk=order.pk).status == "shipped"
        assert not OrderEvent.objects.filter(order=order).exists()


def test_without_a_refund_the_mail_promises_none(api, tenant, django_capture_on_commit_callbacks):
    order = placed(tenant)
    response, mails = cancel_mail(
        django_capture_on_commit_callbacks, lambda: cancel(api, order.number)
    )
    assert response.status_code == 201, response.json()
    assert "refund" not in response.json()["data"]
    assert len(mails) == 1
    # It says that none is due, and promises nothing else.
    body = mails[0].body
    assert "No refund is due for this order." in body
    assert "refund" not in body.replace("No refund is due for this order.", "").lower()


def test_the_shops_own_refund_is_recorded_and_mailed(
    api, tenant, django_capture_on_commit_callbacks
):
    order = placed(tenant)
    response, mails = cancel_mail(
        django_capture_on_commit_callbacks,
        lambda: cancel(api, order.number, refund={"amount": "50.00", "reference": "PSP-991"}),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["data"]["refund"] == {
        "amount": "50.00",
        "currency": "EUR",
        "by": "shop",
        "reference": "PSP-991",
    }
    assert "50.00" in mails[0].body or "50,00" in mails[0].body
    with tenant_context(tenant):
        assert not CreditNote.objects.exists()


@pytest.mark.parametrize(
    "refund",
    [{"amount": "0"}, {"amount": "99999"}, {"amount": "ten"}, "maybe", ["x"]],
)
def test_a_bad_refund_is_refused_and_nothing_changes(api, tenant, refund):
    order = placed(tenant)
    response = cancel(api, order.number, refund=refund)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_refund"
    with tenant_context(tenant):
        assert Order.objects.get(pk=order.pk).status == "placed"
        assert not OrderEvent.objects.exists()


def test_a_refund_on_another_event_is_refused(api, tenant):
    order = placed(tenant)
    response = api.post(
        f"/api/v1/orders/{order.number}/events/",
        {"type": "delivered", "refund": "issue"},
        format="json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_refund"


def test_issue_books_a_credit_note_and_refunds_it(api, tenant, django_capture_on_commit_callbacks):
    order = placed(tenant)
    response, mails = cancel_mail(
        django_capture_on_commit_callbacks, lambda: cancel(api, order.number, refund="issue")
    )
    assert response.status_code == 201, response.json()
    recorded = response.json()["data"]["refund"]
    with tenant_context(tenant):
        note = CreditNote.objects.get()
        refund = Refund.objects.get()
    assert note.status == "booked" and note.reason == "order_cancelled"
    assert note.total == order.total == Decimal(recorded["amount"])
    assert (recorded["credit_note"], recorded["by"]) == (note.number, "platform")
    assert refund.credit_note_id == note.pk and refund.amount == order.total
    assert len(mails) == 1


def test_back_office_cancel_with_the_shops_refund_and_with_issue(tenant):
    staff = client_for(add_staff(tenant, "agent@acme.example", Role.AGENT))
    first, second = placed(tenant, "3101"), placed(tenant, "3102")
    missing = staff.post(
        f"/backoffice/orders/{first.number}/cancel/", {"reason": "x", "refund": "shop"}
    )
    assert missing.status_code == 302
    with tenant_context(tenant):
        assert Order.objects.get(pk=first.pk).status == "placed"
    staff.post(
        f"/backoffice/orders/{first.number}/cancel/",
        {"reason": "x", "refund": "shop", "refund_amount": "10.00", "refund_reference": "R1"},
    )
    staff.post(f"/backoffice/orders/{second.number}/cancel/", {"reason": "x", "refund": "issue"})
    with tenant_context(tenant):
        events = {e.order.number: e.data for e in OrderEvent.objects.select_related("order")}
        assert CreditNote.objects.get().order_id == second.pk
    assert events["3101"]["refund"]["reference"] == "R1"
    assert events["3102"]["refund"]["by"] == "platform"
