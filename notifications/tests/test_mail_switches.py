"""Each mail can be switched off per shop (back office, template settings); on by default."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from notifications.mails import MAIL_EVENTS
from notifications.planning import ORDER_EVENTS, STAFF_MAIL_EVENTS, plan_mails
from notifications.samples import SAMPLE_DATA, SAMPLE_ORDER
from returns_platform.events import DomainEvent
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.credits import inspected_return
from testing.notifications import member_client

pytestmark = pytest.mark.django_db

EVENT_OF = {template: event for event, template in STAFF_MAIL_EVENTS.items()}
SUBJECT_TYPE = {"order": "order", "refund": "refund", "voucher": "voucher"}


def planned_templates(mail: str, switched_off: list[str]) -> list[str]:
    """The mails planned for the sample event of ``mail`` in a shop with ``switched_off``."""
    tenant = SimpleNamespace(
        name="Shop",
        slug="shop",
        brand_colour="#123456",
        logo=None,
        policy_url="",
        support_url="",
        currency="EUR",
        default_language="en",
        notification_email="team@shop.example",
        mails_switched_off=switched_off,
    )
    event_name = EVENT_OF.get(mail, mail)
    kind = event_name.split(".")[0]
    data = {**SAMPLE_DATA[mail], "email": "jan@example.nl", "is_free_return": True}
    event = DomainEvent(event_name, 1, SUBJECT_TYPE.get(kind, "return"), "x", data)
    order = SimpleNamespace(**vars(SAMPLE_ORDER), language="nl", customer=None)
    order = order if event_name in ORDER_EVENTS else None
    return [planned.template for planned in plan_mails(event, tenant, order=order)]


@pytest.mark.parametrize("mail", MAIL_EVENTS)
def test_every_mail_is_sent_by_default_and_not_once_switched_off(mail, tenant):
    with tenant_context(tenant):  # the facts are read in a shop (none recorded here)
        assert mail in planned_templates(mail, [])
        assert mail not in planned_templates(mail, [mail])


def test_switching_off_the_staff_mail_keeps_the_customers_and_the_other_way_round(tenant):
    with tenant_context(tenant):
        _check_staff_and_customer_apart()


def _check_staff_and_customer_apart():
    assert planned_templates("return.requested.staff", ["return.requested.staff"]) == [
        "return.requested"
    ]
    assert planned_templates("return.requested", ["return.requested"]) == ["return.requested.staff"]


def test_a_switched_off_mail_is_not_sent_by_the_service_and_the_others_are(
    shop, mailbox, django_capture_on_commit_callbacks
):
    shop.mails_switched_off = ["return.inspected"]
    shop.save()
    with tenant_context(shop), django_capture_on_commit_callbacks(execute=True):
        inspected_return(number="5001", resolution="refund")
    events = [m.extra_headers["X-Returns-Event"] for m in mailbox]
    assert "return.inspected" not in events
    assert "return.received" in events and "return.approved" in events


def test_the_back_office_switches_mails_off_and_on(shop):
    admin = member_client(shop, "admin@acme.example", "admin")
    page = admin.get("/backoffice/notifications/templates/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="sent-return.inspected" checked' in html

    sent = [mail for mail in MAIL_EVENTS if mail not in ("return.inspected", "return.in_transit")]
    response = admin.post("/backoffice/notifications/templates/sent/", {"sent": sent})
    assert response.status_code == 302
    shop.refresh_from_db()
    assert sorted(shop.mails_switched_off) == ["return.in_transit", "return.inspected"]
    html = admin.get("/backoffice/notifications/templates/").content.decode()
    assert 'data-testid="sent-return.inspected" checked' not in html
    assert 'data-testid="sent-return.approved" checked' in html
    with tenant_context(shop):
        assert AuditEvent.objects.filter(action="notifications.mails_switched").count() == 1

    admin.post("/backoffice/notifications/templates/sent/", {"sent": list(MAIL_EVENTS)})
    shop.refresh_from_db()
    assert shop.mails_switched_off == []


def test_an_unknown_mail_name_changes_nothing(shop):
    admin = member_client(shop, "admin@acme.example", "admin")
    response = admin.post(
        "/backoffice/notifications/templates/sent/", {"sent": ["return.approved", "nope"]}
    )
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.mails_switched_off == []


def test_agents_cannot_switch_mails(shop):
    agent = member_client(shop, "agent@acme.example", "agent")
    response = agent.post("/backoffice/notifications/templates/sent/", {"sent": []})
    assert response.status_code == 403
    shop.refresh_from_db()
    assert shop.mails_switched_off == []
