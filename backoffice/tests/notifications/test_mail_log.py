"""Notifications screens: the mail log (overall, per order, per return) and re-sending."""

from __future__ import annotations

import pytest

from backoffice.tests.notifications.helpers import BASE, count_queries, queue_mails, snapshot
from notifications.models import (
    NotificationTemplate,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
)
from notifications.tests.test_mails import return_data
from orders.tests.factories import create_order
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context

pytestmark = pytest.mark.django_db


# --- Mail log ---------------------------------------------------------------------------


def test_mail_log_overall_per_order_and_per_return(admin, shop, other_tenant, publish, mailbox):
    with tenant_context(shop):
        create_order("1001")
        create_order("2002")
    with tenant_context(other_tenant):
        create_order("7007")
    publish("return.approved", data=return_data("nl"))
    publish("return.received", data=return_data("en", rma="R-000099", order_number="2002"))
    publish(
        "return.received",
        data=return_data("de", rma="R-000555", email="x@globex.example"),
        tenant=other_tenant,
    )

    overall = admin.get(BASE + "mails/").content.decode()
    assert overall.count('data-status="sent"') == 2
    assert "Je retour R-000042 is goedgekeurd" in overall
    assert "We have received your return R-000099" in overall
    assert "x@globex.example" not in overall

    order_page = admin.get(BASE + "mails/order/1001/").content.decode()
    assert "Je retour R-000042 is goedgekeurd" in order_page and "R-000099" not in order_page
    assert "jan@example.nl" in order_page

    filtered = admin.get(BASE + "mails/", {"q": "R-000099"}).content.decode()
    assert filtered.count('data-status="sent"') == 1


def test_mail_log_of_a_return(admin, shop, publish):
    from returns.tests.conftest import file_return

    with tenant_context(shop):
        order = create_order("3003", language="sv")
        request = file_return(order)
    page = admin.get(f"{BASE}mails/return/{request.rma}/").content.decode()
    assert f"Vi har tagit emot din returbegäran {request.rma}" in page
    assert "returns@acme.example" in page  # the shop's own notification


def test_failed_mail_shows_its_error_and_is_resent_and_audited(
    admin, shop, mailbox, django_capture_on_commit_callbacks
):
    [failed] = queue_mails(shop, 1, status=OutboxStatus.FAILED)
    page = admin.get(BASE + "mails/?status=failed").content.decode()
    assert "SMTPServerDisconnected: down" in page
    assert f'action="{BASE}mails/{failed.pk}/resend/"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"{BASE}mails/{failed.pk}/resend/", {"next": BASE + "mails/"})

    assert (response.status_code, response.url) == (302, BASE + "mails/")
    assert [m.subject for m in mailbox] == ["We have received your return R-000042"]
    with tenant_context(shop):
        copy = OutboxMessage.objects.get(resend_of=failed)
        audit = AuditEvent.objects.get(action="outbox.resent")
        original = OutboxMessage.objects.get(pk=failed.pk)
    assert (copy.status, copy.recipient, copy.attempts) == ("sent", "jan@example.nl", 1)
    assert original.status == OutboxStatus.FAILED  # the history stays as it was
    assert (audit.actor_kind, audit.actor_label) == ("staff", "admin@acme.example")
    assert audit.data["new_message"] == copy.pk
    detail = admin.get(f"{BASE}mails/{copy.pk}/").content.decode()
    assert f'href="{BASE}mails/{failed.pk}/"' in detail  # "re-send of"


def test_resend_refuses_an_unfinished_mail_and_an_outside_redirect(admin, shop, mailbox):
    [queued] = queue_mails(shop, 1)
    before = snapshot(shop)
    response = admin.post(
        f"{BASE}mails/{queued.pk}/resend/", {"next": "https://evil.example/"}, follow=True
    )
    assert response.redirect_chain[0][0] == f"{BASE}mails/{queued.pk}/"
    assert "Only a sent or failed message can be sent again" in response.content.decode()
    assert snapshot(shop) == before and mailbox == []


def test_resend_needs_a_post(admin, shop):
    [failed] = queue_mails(shop, 1, status=OutboxStatus.FAILED)
    assert admin.get(f"{BASE}mails/{failed.pk}/resend/").status_code == 405


def test_other_shops_mails_orders_and_returns_are_404_and_change_nothing(
    admin, outsider, shop, other_tenant, mailbox
):
    with tenant_context(shop):
        create_order("1001")
    [failed] = queue_mails(shop, 1, status=OutboxStatus.FAILED)
    with tenant_context(shop):
        webhook_message = OutboxMessage.objects.create(
            kind=OutboxKind.WEBHOOK,
            event="x",
            event_id="e",
            recipient="https://hooks.example.com/",
            next_attempt_at=failed.created_at,
            created_at=failed.created_at,
        )
    before = snapshot(shop)
    for url in (
        f"{BASE}mails/{failed.pk}/",
        f"{BASE}mails/order/1001/",
        f"{BASE}mails/return/R-000042/",
        f"{BASE}mails/order/unknown/",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"{BASE}mails/{failed.pk}/resend/").status_code == 404
    # A webhook message is not a mail, even for its own shop.
    assert admin.get(f"{BASE}mails/{webhook_message.pk}/").status_code == 404
    assert snapshot(shop) == before and mailbox == []


def test_mail_log_queries_do_not_grow_with_the_rows(
    admin, shop, django_assert_num_queries, mailbox
):
    with tenant_context(shop):
        create_order("1001")
    queue_mails(shop, 2, status=OutboxStatus.FAILED)
    urls = [BASE + "mails/", BASE + "mails/order/1001/", BASE + "mails/?status=failed"]
    baseline = {url: count_queries(admin, url) for url in urls}
    queue_mails(shop, 28)
    for url in urls:
        with django_assert_num_queries(baseline[url]):
            response = admin.get(url)
        assert response.content.decode().count("<tr data-status=") in (30, 2)


def test_template_list_queries_are_constant(admin, shop, django_assert_num_queries):
    baseline = count_queries(admin, BASE + "templates/")
    with tenant_context(shop):
        for language in ("en", "nl", "de", "pl", "sv"):
            for event in ("return.approved", "return.received", "order.shipped"):
                NotificationTemplate.objects.create(
                    event=event, language=language, subject="s", body="b"
                )
    with django_assert_num_queries(baseline):
        admin.get(BASE + "templates/")
