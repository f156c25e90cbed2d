"""An admin books a credit note above the order's total from the screen, with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credits.models import CreditNote
from credits.services import credit_note_create
from credits.services.credit_notes import Payout
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from tenants.services import membership_set, user_get_or_create
from testing.credits import STAFF

pytestmark = pytest.mark.django_db


def _signed_in(client, tenant, email: str, role: str):
    user = user_get_or_create(email=email, password="pw")
    with tenant_context(tenant):
        membership_set(user=user, role=role, actor=STAFF)
    client.force_login(user)
    return client


@pytest.fixture
def over_cap_draft(tenant, order):
    """200.00 on order 1001, whose total is 114.80."""
    with tenant_context(tenant):
        return credit_note_create(
            order=order,
            reason="goodwill",
            payout=Payout(method="voucher"),
            actor=STAFF,
            description="Broken sofa",
            amount=Decimal("200.00"),
        )


def _book(client, note, **data):
    return client.post(f"/backoffice/credits/credit-notes/{note.pk}/book/", data)


def test_an_admin_sees_the_override_and_books_with_a_reason(client, tenant, over_cap_draft):
    admin = _signed_in(client, tenant, "admin@acme.example", Role.ADMIN)

    refused = _book(admin, over_cap_draft)
    assert refused.status_code == 409
    assert 'name="override_reason"' in refused.content.decode()

    booked = _book(admin, over_cap_draft, override_reason="Sofa destroyed, agreed by phone")
    assert booked.status_code == 302
    with tenant_context(tenant):
        note = CreditNote.objects.get(pk=over_cap_draft.pk)
        event = AuditEvent.objects.get(action="credit_note.booked")
    assert note.status == "booked" and note.number
    assert event.data["over_order_total"]["reason"] == "Sofa destroyed, agreed by phone"
    assert event.data["over_order_total"]["creditable"] == "114.80"


def test_an_agent_gets_no_override_and_cannot_force_one(client, tenant, over_cap_draft):
    agent = _signed_in(client, tenant, "agent@acme.example", Role.AGENT)

    refused = _book(agent, over_cap_draft)
    forced = _book(agent, over_cap_draft, override_reason="I say so")

    assert refused.status_code == 409
    assert 'name="override_reason"' not in refused.content.decode()
    assert forced.status_code == 403
    with tenant_context(tenant):
        assert CreditNote.objects.get(pk=over_cap_draft.pk).status == "draft"
