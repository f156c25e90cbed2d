"""Notifications screens: webhook subscriptions, their secrets and delivery log."""

from __future__ import annotations

import pytest

from backoffice.tests.notifications.helpers import BASE, count_queries, snapshot
from notifications.models import (
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from notifications.signing import verify_signature
from notifications.tests.test_mails import return_data
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context

pytestmark = pytest.mark.django_db


# --- Webhooks ---------------------------------------------------------------------------


def subscribe(admin, url, events=("*",)) -> tuple[WebhookSubscription, str]:
    response = admin.post(BASE + "webhooks/", {"url": url, "events": list(events)})
    assert response.status_code == 200, response.content.decode()[:2000]
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    return response.context["subscription"], secret


def test_subscribe_shows_the_secret_once(admin, shop, receiver):
    subscription, secret = subscribe(admin, receiver.url, ["return.approved"])
    assert secret.startswith("whsec_")
    with tenant_context(shop):
        stored = WebhookSubscription.objects.get()
        audit = AuditEvent.objects.get(action="webhook_subscription.created")
    assert (stored.url, stored.events, stored.secret) == (
        receiver.url,
        ["return.approved"],
        secret,
    )
    assert audit.actor_label == "admin@acme.example" and secret not in str(audit.data)
    for url in (BASE + "webhooks/", f"{BASE}webhooks/{stored.pk}/"):
        page = admin.get(url).content.decode()
        assert receiver.url.replace("&", "&amp;") in page
        assert secret not in page


def test_rotating_the_secret_shows_the_new_one_once_and_signs_with_it(
    admin, shop, receiver, publish
):
    subscription, old = subscribe(admin, receiver.url)
    response = admin.post(f"{BASE}webhooks/{subscription.pk}/rotate/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    new = response.context["secret"]
    assert new != old and new in response.content.decode()
    assert new not in admin.get(f"{BASE}webhooks/{subscription.pk}/").content.decode()
    with tenant_context(shop):
        assert AuditEvent.objects.filter(action="webhook_subscription.secret_rotated").exists()

    publish("return.approved", data=return_data("en"))
    request = receiver.requests[-1]
    signature = request["headers"]["X-Returns-Signature"]
    assert verify_signature(new, signature, request["body"])
    assert not verify_signature(old, signature, request["body"])


def test_internal_addresses_and_bad_input_are_refused_and_nothing_is_stored(admin, shop):
    before = snapshot(shop)
    for data in (
        {"url": "http://127.0.0.1:8000/hook", "events": ["*"]},
        {"url": "http://10.0.0.7/hook", "events": ["*"]},
        {"url": "http://[::1]/hook", "events": ["*"]},
        {"url": "https://hooks.example.com/x", "events": []},
        {"url": "https://hooks.example.com/x", "events": ["order.exploded"]},
        {"url": "ftp://hooks.example.com/x", "events": ["*"]},
    ):
        response = admin.post(BASE + "webhooks/", data)
        assert response.status_code == 422, data
        assert "whsec_" not in response.content.decode()
    assert (
        "internal address"
        in admin.post(
            BASE + "webhooks/", {"url": "http://127.0.0.1/h", "events": ["*"]}
        ).content.decode()
    )
    assert snapshot(shop) == before


def test_edit_pause_and_remove_a_subscription(admin, shop, receiver, publish):
    subscription, _ = subscribe(admin, receiver.url)
    url = f"{BASE}webhooks/{subscription.pk}/"
    response = admin.post(url, {"url": receiver.url, "events": ["return.received"]})
    assert response.status_code == 302  # "active" unticked: paused
    with tenant_context(shop):
        stored = WebhookSubscription.objects.get()
    assert (stored.events, stored.active) == (["return.received"], False)
    publish("return.received", data=return_data("en"))
    assert receiver.requests == []

    admin.post(url, {"url": receiver.url, "events": ["return.received"], "active": "on"})
    publish("return.received", data=return_data("en"))
    assert len(receiver.requests) == 1

    assert admin.post(url + "delete/").status_code == 302
    with tenant_context(shop):
        assert not WebhookSubscription.objects.exists()
        assert AuditEvent.objects.filter(action="webhook_subscription.deleted").exists()


def test_delivery_log_shows_response_codes_and_resends(
    admin, shop, receiver, publish, django_capture_on_commit_callbacks
):
    subscription, secret = subscribe(admin, receiver.url)
    receiver.status = 503
    publish("return.approved", data=return_data("en"))
    receiver.status = 200
    with tenant_context(shop):
        message = OutboxMessage.objects.get(kind=OutboxKind.WEBHOOK)
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED)
        delivery = WebhookDelivery.objects.get()
    page = admin.get(f"{BASE}webhooks/{subscription.pk}/").content.decode()
    assert 'data-status-code="503"' in page and "try later" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"{BASE}webhooks/{subscription.pk}/deliveries/{delivery.pk}/resend/")

    assert response.status_code == 302
    assert len(receiver.requests) == 2
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]
    assert verify_signature(
        secret, receiver.requests[1]["headers"]["X-Returns-Signature"], receiver.requests[1]["body"]
    )
    page = admin.get(f"{BASE}webhooks/{subscription.pk}/").content.decode()
    assert 'data-status-code="200"' in page
    with tenant_context(shop):
        audit = AuditEvent.objects.get(action="outbox.resent")
    assert audit.actor_label == "admin@acme.example"


def test_other_shops_subscriptions_are_404_and_change_nothing(
    admin, outsider, shop, receiver, publish
):
    subscription, secret = subscribe(admin, receiver.url)
    publish("return.approved", data=return_data("en"))
    with tenant_context(shop):
        delivery = WebhookDelivery.objects.get()
    before = snapshot(shop)
    base = f"{BASE}webhooks/{subscription.pk}/"
    assert outsider.get(base).status_code == 404
    for url, data in (
        (base, {"url": "https://evil.example/", "events": ["*"], "active": "on"}),
        (base + "rotate/", {}),
        (base + "delete/", {}),
        (f"{base}deliveries/{delivery.pk}/resend/", {}),
    ):
        response = outsider.post(url, data)
        assert response.status_code == 404, url
        assert secret not in response.content.decode()
    assert snapshot(shop) == before
    assert len(receiver.requests) == 1


def test_delivery_log_queries_do_not_grow_with_the_deliveries(
    admin, shop, django_assert_num_queries
):
    with tenant_context(shop):
        subscription = WebhookSubscription.objects.create(
            url="https://hooks.example.com/", events=["*"], secret="whsec_x"
        )

    def add_deliveries(count):
        with tenant_context(shop):
            for index in range(count):
                message = OutboxMessage.objects.create(
                    kind=OutboxKind.WEBHOOK,
                    event="return.approved",
                    event_id=str(index),
                    recipient=subscription.url,
                    subscription=subscription,
                    status=OutboxStatus.SENT,
                    next_attempt_at=subscription.created_at,
                    created_at=subscription.created_at,
                )
                WebhookDelivery.objects.create(
                    subscription=subscription,
                    message=message,
                    attempt=1,
                    status_code=200,
                    created_at=subscription.created_at,
                )

    add_deliveries(2)
    url = f"{BASE}webhooks/{subscription.pk}/"
    baseline = count_queries(admin, url)
    add_deliveries(25)
    with django_assert_num_queries(baseline):
        page = admin.get(url)
    assert page.content.decode().count('data-status-code="200"') == 27

    list_baseline = count_queries(admin, BASE + "webhooks/")
    with tenant_context(shop):
        for index in range(10):
            WebhookSubscription.objects.create(
                url=f"https://hooks.example.com/{index}", events=["*"], secret="whsec_x"
            )
    with django_assert_num_queries(list_baseline):
        admin.get(BASE + "webhooks/")
