"""Domain events end to end: each recorded event is one history row and one webhook, and
webhooks name their subject by the identifier the shop knows (RMA, order number, credit
note number, voucher code prefix), never by a primary key."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credits.services import (
    credit_note_book,
    credit_note_create,
    refund_confirm_manual,
    refund_create,
    voucher_issue,
)
from credits.services.credit_notes import Payout
from notifications.models import OutboxKind, OutboxMessage
from orders.services import order_event_record
from returns.workflow import return_transition
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.event_catalogue import EVENT_TYPES, webhook_events
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.factories import WebhookSubscriptionFactory
from testing.orders import create_order, make_order
from testing.returns import file_return
from testing.staff import TEST_ACTOR

pytestmark = pytest.mark.django_db

# Plain values for every field a catalogued payload may need (anything else: "x"). No
# e-mail address, so no mail is planned: the test counts history rows and webhooks.
SAMPLE = {
    "email": "",
    "language": "en",
    "currency": "EUR",
    "amount": "5.00",
    "refund_total": "5.00",
    "total": "5.00",
    "lines": [],
    "days": [],
    "count": 1,
    "expires_at": None,
    "expected_at": None,
}


def _webhooks(**filters) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=OutboxKind.WEBHOOK, **filters).order_by("pk"))


@pytest.fixture
def hooked(tenant):
    """The owner's shop with a webhook subscription to every event."""
    with tenant_context(tenant):
        WebhookSubscriptionFactory(events=["*"])
    return tenant


def test_each_recorded_event_writes_one_history_row_and_one_webhook(hooked):
    wrong = []
    with tenant_context(hooked):
        for kind in EVENT_TYPES:
            audit_before = AuditEvent.objects.count()
            webhooks_before = len(_webhooks())
            events.record(
                kind.name,
                actor=TEST_ACTOR,
                subject_id="S-1",
                data={field: SAMPLE.get(field, "x") for field in kind.fields},
            )
            rows = AuditEvent.objects.count() - audit_before
            webhooks = _webhooks()[webhooks_before:]
            expected = (int(kind.audit), int(kind.webhook))
            if (rows, len(webhooks)) != expected:
                wrong.append((kind.name, rows, len(webhooks)))
            for webhook in webhooks:
                assert webhook.payload["type"] == kind.name
                assert webhook.payload["subject"] == {"type": kind.subject_type, "id": "S-1"}
    assert wrong == []


@pytest.fixture
def order(hooked):
    with tenant_context(hooked):
        return make_order("1001")


def test_return_webhooks_name_the_rma(hooked, order):
    with tenant_context(hooked):
        return_request = file_return(order, quantities=[1])
        return_transition(return_request=return_request, to="approved", actor=TEST_ACTOR)
        webhooks = _webhooks(subject_type="return")
        history = AuditEvent.objects.filter(action="return.approved").get()
    assert [w.event for w in webhooks] == ["return.requested", "return.approved"]
    for webhook in webhooks:
        assert webhook.subject_id == return_request.rma
        assert webhook.payload["subject"] == {"type": "return", "id": return_request.rma}
    assert history.subject_id == return_request.rma
    assert str(return_request.pk) != return_request.rma


def test_order_webhooks_name_the_order_number(hooked):
    with tenant_context(hooked):
        placed = create_order("1002", shipped_at=None, delivered_at=None)
        order_event_record(order=placed, event_type="shipped", actor=TEST_ACTOR, carrier="dhl")
        [webhook] = _webhooks(event="order.shipped")
        [upserted] = _webhooks(event="order.upserted")
    assert webhook.payload["subject"] == {"type": "order", "id": "1002"}
    assert upserted.payload["subject"] == {"type": "order", "id": "1002"}
    assert webhook.payload["data"]["order_number"] == "1002"
    assert webhook.payload["data"]["carrier"] == "dhl"


def test_credit_note_webhooks_name_the_credit_note_number(hooked, order):
    with tenant_context(hooked):
        note = credit_note_create(
            order=order,
            reason="Missed discount",
            payout=Payout(method="gift_card", gift_card_provider="VVV", gift_card_reference="G1"),
            actor=TEST_ACTOR,
            amount=Decimal("5.00"),
        )
        created = AuditEvent.objects.get(action="credit_note.created")
        note = credit_note_book(credit_note=note, actor=Actor.system("second pair of eyes"))
        [webhook] = _webhooks(event="credit_note.booked")
        booked = AuditEvent.objects.get(action="credit_note.booked")
    assert note.number.startswith("CN-")
    assert webhook.payload["subject"] == {"type": "credit_note", "id": note.number}
    assert booked.subject_id == note.number
    assert created.subject_id == f"draft-{note.pk}"  # no number before booking


def test_voucher_webhooks_name_the_code_prefix_never_the_code(hooked, order):
    with tenant_context(hooked):
        voucher = voucher_issue(
            amount=Decimal("10.00"), currency="EUR", actor=TEST_ACTOR, order=order
        )
        [webhook] = _webhooks(event="voucher.issued")
        history = AuditEvent.objects.get(action="voucher.issued")
    assert webhook.payload["subject"] == {"type": "voucher", "id": voucher.code[:4]}
    assert webhook.subject_id == voucher.code[:4] == history.subject_id
    assert voucher.code not in webhook.subject_id
    assert webhook.payload["data"]["code"] == voucher.display_code  # the customer needs it


def test_a_paid_refund_is_recorded_once(hooked, order):
    with tenant_context(hooked):
        refund = refund_create(
            order=order,
            amount=Decimal("5.00"),
            provider="manual",
            payment_reference="",
            actor=TEST_ACTOR,
        )
        refund_confirm_manual(refund=refund, actor=TEST_ACTOR, provider_reference="bank-1")
        [history] = AuditEvent.objects.filter(action="refund.succeeded")
        [webhook] = _webhooks(event="refund.succeeded")
    assert history.subject_id == webhook.subject_id == str(refund.pk)
    assert history.data["provider_reference"] == "bank-1"
    assert webhook.payload["data"]["order_number"] == "1001"


def test_notifications_plan_mails_only_for_catalogued_webhook_events():
    from notifications.mails import MAIL_EVENTS
    from notifications.planning import ALL_EVENTS, CUSTOMER_MAIL_EVENTS, STAFF_MAIL_EVENTS

    published = set(webhook_events())
    assert set(CUSTOMER_MAIL_EVENTS) <= published
    assert set(STAFF_MAIL_EVENTS) <= published
    assert set(ALL_EVENTS) == published
    staff_templates = set(STAFF_MAIL_EVENTS.values())
    assert set(MAIL_EVENTS) - staff_templates <= published


def test_every_webhook_event_has_a_title_on_the_subscription_screen():
    from django.utils import translation

    from backoffice.forms.notifications import EVENT_TITLES

    assert [name for name in webhook_events() if name not in EVENT_TITLES] == []
    for language in ("nl", "de", "pl", "sv"):
        with translation.override(language):
            titles = [str(EVENT_TITLES[name]) for name in ("return.decided", "order.upserted")]
        assert titles != ["Decision on a complaint", "Orders created or changed"], language
