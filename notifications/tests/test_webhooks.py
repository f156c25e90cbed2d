"""Webhooks: signed deliveries to a real receiver, retries, address rules, API and isolation."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import delivery
from notifications.models import (
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from notifications.signing import sign, verify_signature
from notifications.tasks import deliver_outbox_message
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.notifications import return_data, subscribe

pytestmark = pytest.mark.django_db


def test_delivery_is_signed_and_verified_by_the_receiver(api, shop, receiver, publish):
    created = subscribe(api, receiver.url, ["return.approved"])
    secret = created["secret"]
    assert secret.startswith("whsec_") and len(secret) > 40

    publish("return.approved", data=return_data("en"))
    publish("return.received", data=return_data("en"))  # not subscribed

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    headers, body = request["headers"], request["body"]
    assert verify_signature(secret, headers["X-Returns-Signature"], body)
    assert not verify_signature("whsec_wrong", headers["X-Returns-Signature"], body)
    assert not verify_signature(secret, headers["X-Returns-Signature"], body + b" ")
    assert headers["X-Returns-Event"] == "return.approved"
    assert headers["Content-Type"] == "application/json"
    payload = json.loads(body)
    assert set(payload) >= {"id", "type", "version", "created_at", "tenant", "data"}
    assert payload["type"] == "return.approved"
    assert payload["version"] == 1
    assert payload["tenant"] == "acme"
    assert payload["data"]["rma"] == "R-000042"
    assert payload["data"]["refund_total"] == "39.90"
    with tenant_context(shop):
        message = OutboxMessage.objects.get(kind=OutboxKind.WEBHOOK)
        attempt = WebhookDelivery.objects.get()
    assert headers["X-Returns-Delivery"] == f"{payload['id']}.{message.pk}"
    assert message.status == OutboxStatus.SENT
    assert (attempt.status_code, attempt.response_excerpt, attempt.error) == (200, "thanks", "")
    assert attempt.attempt == 1


def test_replayed_or_tampered_signatures_are_rejected():
    body = b'{"id":"1"}'
    now = time.time()
    fresh = sign("whsec_s", body, timestamp=int(now) - 10)
    assert verify_signature("whsec_s", fresh, body, now=now)
    stale = sign("whsec_s", body, timestamp=int(now) - 301)
    assert not verify_signature("whsec_s", stale, body, now=now)
    assert verify_signature("whsec_s", stale, body, tolerance=600, now=now)
    future = sign("whsec_s", body, timestamp=int(now) + 400)
    assert not verify_signature("whsec_s", future, body, now=now)
    timestamp, _, signature = fresh.partition(",")
    moved = f"t={int(now)},{signature}"  # a new timestamp on an old signature
    assert not verify_signature("whsec_s", moved, body, now=now)
    for header in ("", "garbage", "t=abc,v1=00", "v1=00", f"{timestamp}"):
        assert not verify_signature("whsec_s", header, body, now=now)


def test_failed_answers_are_retried_and_logged_per_attempt(api, shop, receiver, publish):
    created = subscribe(api, receiver.url)
    receiver.status = 503
    publish("return.received", data=return_data("en"))

    with tenant_context(shop):
        message = OutboxMessage.objects.get(kind=OutboxKind.WEBHOOK)
    assert (message.status, message.attempts, message.last_error) == ("queued", 1, "HTTP 503")
    assert message.next_attempt_at > timezone.now()

    receiver.status = 204
    with tenant_context(shop):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert deliver_outbox_message(shop.pk, message.pk) == delivery.SENT

    listed = api.get(f"/api/v1/webhooks/{created['id']}/deliveries/").json()["results"]
    assert [(d["attempt"], d["status_code"]) for d in listed] == [(2, 204), (1, 503)]
    assert listed[1]["response_excerpt"] == "try later"
    assert listed[0]["message_status"] == "sent"
    assert all(d["duration_ms"] >= 0 for d in listed)
    signatures = [r["headers"]["X-Returns-Signature"] for r in receiver.requests]
    body = receiver.requests[0]["body"]
    assert receiver.requests[1]["body"] == body  # the same payload, signed again when sent
    assert len(signatures) == 2
    assert all(verify_signature(created["secret"], signature, body) for signature in signatures)


def test_webhooks_give_up_after_24_hours(api, shop, receiver, publish):
    subscribe(api, receiver.url)
    receiver.status = 500
    publish("return.received", data=return_data("en"))
    with tenant_context(shop):
        message = OutboxMessage.objects.get(kind=OutboxKind.WEBHOOK)
        OutboxMessage.objects.filter(pk=message.pk).update(
            created_at=timezone.now() - timedelta(hours=23, minutes=59),
            next_attempt_at=timezone.now(),
        )
    assert deliver_outbox_message(shop.pk, message.pk) == delivery.FAILED
    with tenant_context(shop):
        message.refresh_from_db()
    assert (message.status, message.last_error) == ("failed", "HTTP 500")


def test_connection_errors_are_logged_and_retried(api, shop, settings, publish):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    from testing.notifications import closed_port

    subscribe(api, f"http://127.0.0.1:{closed_port()}/hook")
    publish("return.received", data=return_data("en"))
    with tenant_context(shop):
        message = OutboxMessage.objects.get(kind=OutboxKind.WEBHOOK)
        attempt = WebhookDelivery.objects.get()
    assert message.status == "queued" and "ConnectionRefusedError" in message.last_error
    assert attempt.status_code is None and "ConnectionRefusedError" in attempt.error


INTERNAL_URLS = [
    "http://127.0.0.1/hook",
    "http://localhost:8080/hook",
    "http://10.1.2.3/hook",
    "http://192.168.0.10/hook",
    "http://172.16.5.4/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[fe80::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://224.0.0.1/hook",
    "http://0.0.0.0/hook",
]


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_internal_addresses_are_refused_at_subscription(api, shop, url):
    response = api.post("/api/v1/webhooks/", {"url": url, "events": ["*"]}, format="json")
    assert response.status_code == 422, response.json()
    assert response.json()["code"] == "webhook_url_internal"
    assert response.json()["field"] == "url"
    with tenant_context(shop):
        assert WebhookSubscription.objects.count() == 0


def test_a_public_address_is_accepted(api, shop):
    created = subscribe(api, "https://93.184.215.14/hooks", ["order.shipped", "return.approved"])
    assert created["events"] == ["order.shipped", "return.approved"]
    assert created["active"] is True


def test_internal_addresses_are_refused_again_at_delivery(api, shop, receiver, settings, publish):
    subscribe(api, receiver.url)
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    publish("return.received", data=return_data("en"))
    assert receiver.requests == []
    with tenant_context(shop):
        message = OutboxMessage.objects.get(kind=OutboxKind.WEBHOOK)
        attempt = WebhookDelivery.objects.get()
    assert message.status == "failed"
    assert "internal address" in message.last_error
    assert "internal address" in attempt.error


def test_bad_input_is_refused_and_nothing_written(api, shop):
    cases = [
        ({"url": "ftp://93.184.215.14/x", "events": ["*"]}, 422, "webhook_url_scheme"),
        ({"url": "not a url", "events": ["*"]}, 400, "validation_error"),
        ({"url": "https://93.184.215.14/x", "events": []}, 400, "validation_error"),
        ({"url": "https://93.184.215.14/x", "events": ["return.x"]}, 400, "validation_error"),
        ({"url": "https://93.184.215.14/x", "events": "*"}, 400, "validation_error"),
        (
            {"url": "https://93.184.215.14/x", "events": ["*"], "secret": "s"},
            400,
            "validation_error",
        ),
        ({"url": "https://93.184.215.14/x"}, 400, "validation_error"),
    ]
    for body, status, code in cases:
        response = api.post("/api/v1/webhooks/", body, format="json")
        assert response.status_code == status, (body, response.json())
        assert response.json()["code"] == code
    malformed = api.generic(
        "POST", "/api/v1/webhooks/", "{not json", content_type="application/json"
    )
    assert malformed.status_code == 400 and malformed.json()["code"] == "malformed_json"
    with tenant_context(shop):
        assert WebhookSubscription.objects.count() == 0
        assert not AuditEvent.objects.filter(subject_type="webhook_subscription").exists()


def test_secret_is_shown_once_and_creation_and_deletion_are_audited(api, shop):
    created = subscribe(api, "https://93.184.215.14/hooks")
    listed = api.get("/api/v1/webhooks/").json()["results"]
    assert [item["id"] for item in listed] == [created["id"]]
    assert "secret" not in listed[0]
    detail = api.get(f"/api/v1/webhooks/{created['id']}/").json()
    assert "secret" not in detail and created["secret"] not in json.dumps(detail)

    assert api.delete(f"/api/v1/webhooks/{created['id']}/").status_code == 204
    assert api.get(f"/api/v1/webhooks/{created['id']}/").status_code == 404
    with tenant_context(shop):
        actions = list(
            AuditEvent.objects.filter(subject_type="webhook_subscription").values_list(
                "action", "actor_kind"
            )
        )
        assert created["secret"] not in json.dumps(list(AuditEvent.objects.values("data")))
    assert actions == [
        ("webhook_subscription.created", "api_key"),
        ("webhook_subscription.deleted", "api_key"),
    ]


def test_queued_messages_of_a_deleted_subscription_fail_instead_of_going_out(
    api, shop, receiver, shop_events_without_commit
):
    created = subscribe(api, receiver.url)
    message = shop_events_without_commit("return.received")
    assert api.delete(f"/api/v1/webhooks/{created['id']}/").status_code == 204
    assert deliver_outbox_message(shop.pk, message.pk) == delivery.FAILED
    assert receiver.requests == []


@pytest.fixture
def shop_events_without_commit(shop):
    from returns_platform import events

    def _publish(name):
        with tenant_context(shop):
            events.publish(name, subject_type="return", subject_id=1, data=return_data("en"))
            return OutboxMessage.objects.get(kind=OutboxKind.WEBHOOK)

    return _publish


def test_resend_a_delivery_queues_a_new_message(api, shop, receiver, publish):
    created = subscribe(api, receiver.url)
    publish("return.received", data=return_data("en"))
    listed = api.get(f"/api/v1/webhooks/{created['id']}/deliveries/").json()["results"]

    response = api.post(
        f"/api/v1/webhooks/{created['id']}/deliveries/{listed[0]['id']}/resend/", format="json"
    )

    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["kind"] == "webhook" and body["id"] != listed[0]["message"]
    assert len(receiver.requests) == 1  # the new row waits for commit in this test transaction
    assert deliver_outbox_message(shop.pk, body["id"]) == delivery.SENT
    assert len(receiver.requests) == 2
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]
    with tenant_context(shop):
        audit = AuditEvent.objects.get(action="outbox.resent")
    assert audit.data["new_message"] == body["id"]


def snapshot(tenant) -> dict:
    with tenant_context(tenant):
        return {
            "subscriptions": list(WebhookSubscription.objects.order_by("pk").values()),
            "deliveries": list(WebhookDelivery.objects.order_by("pk").values()),
            "outbox": list(OutboxMessage.objects.order_by("pk").values()),
            "audit": AuditEvent.objects.count(),
        }


def test_other_tenants_get_404_on_every_webhook_endpoint_and_change_nothing(
    api, colleague_api, outsider_api, shop, receiver, publish
):
    created = subscribe(api, receiver.url)
    publish("return.received", data=return_data("en"))
    delivery_id = api.get(f"/api/v1/webhooks/{created['id']}/deliveries/").json()["results"][0][
        "id"
    ]
    base = f"/api/v1/webhooks/{created['id']}/"
    before = snapshot(shop)

    assert outsider_api.get("/api/v1/webhooks/").json()["results"] == []
    attempts = [
        outsider_api.get(base),
        outsider_api.delete(base),
        outsider_api.get(base + "deliveries/"),
        outsider_api.post(base + f"deliveries/{delivery_id}/resend/"),
    ]
    for response in attempts:
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert snapshot(shop) == before

    # A colleague of the same shop sees it; a delivery of another subscription is 404.
    assert colleague_api.get(base).status_code == 200
    other = subscribe(colleague_api, receiver.url)
    wrong_parent = f"/api/v1/webhooks/{other['id']}/deliveries/{delivery_id}/resend/"
    assert colleague_api.post(wrong_parent).status_code == 404
    assert api.get("/api/v1/webhooks/999999/").status_code == 404


def test_list_query_counts_do_not_grow_with_the_number_of_subscriptions(
    api, shop, django_assert_num_queries
):
    subscribe(api, "https://93.184.215.14/a")
    with django_assert_num_queries(1):  # the page (the API key comes from its cache)
        first = api.get("/api/v1/webhooks/")
    assert len(first.json()["results"]) == 1
    with tenant_context(shop):
        WebhookSubscription.objects.bulk_create(
            WebhookSubscription(url=f"https://93.184.215.14/{n}", events=["*"], secret="s")
            for n in range(30)
        )
    with django_assert_num_queries(1):
        many = api.get("/api/v1/webhooks/")
    assert len(many.json()["results"]) == 31


def test_delivery_list_query_counts_do_not_grow_with_the_number_of_deliveries(
    api, shop, receiver, publish, django_assert_num_queries
):
    created = subscribe(api, receiver.url)
    publish("return.received", data=return_data("en"))
    url = f"/api/v1/webhooks/{created['id']}/deliveries/"
    with django_assert_num_queries(2):  # the subscription, the page (key from its cache)
        assert len(api.get(url).json()["results"]) == 1
    for index in range(10):
        publish("return.received", data=return_data("en", rma=f"R-{index}"))
    with django_assert_num_queries(2):
        assert len(api.get(url).json()["results"]) == 11


def test_a_delivered_webhook_is_recorded_once_across_a_short_database_outage(
    api, shop, receiver, publish, monkeypatch
):
    """The database goes away right after the receiver answered 200: the delivery's log
    and the message's ``sent`` wait for it together, and nothing is sent again."""
    from django.db import OperationalError, connection

    subscribe(api, receiver.url, ["return.approved"])
    failures = []

    def database_away_after_the_answer(execute, sql, params, many, context):
        if receiver.requests and len(failures) < 2:
            failures.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    monkeypatch.setattr(delivery.time, "sleep", lambda seconds: None)
    with connection.execute_wrapper(database_away_after_the_answer):
        publish("return.approved", data=return_data("en"))

    assert len(failures) == 2
    assert len(receiver.requests) == 1
    with tenant_context(shop):
        message = OutboxMessage.objects.get(kind=OutboxKind.WEBHOOK)
        logged = list(WebhookDelivery.objects.values_list("message_id", "attempt", "status_code"))
    assert (message.status, message.attempts, message.last_error) == ("sent", 1, "")
    assert logged == [(message.pk, 1, 200)]
