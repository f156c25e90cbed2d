"""Sendcloud's polling fallback: parcels whose webhooks stay silent are asked about, within
Sendcloud's rate limit, and polling and webhooks store each status once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from responses import matchers

from carriers import tasks, tracking
from carriers.connectors.sendcloud import sign
from carriers.models import ReturnShipment, ShipmentEvent
from carriers.statuses import ShipmentStatus
from returns.models import ReturnRequest
from returns_platform.models import AuditEvent
from returns_platform.tenancy import clear_current_tenant, tenant_context
from testing import carriers as recorded
from testing.carriers import approve, record_sendcloud_booking
from testing.orders import create_order
from testing.returns import file_return

pytestmark = pytest.mark.django_db
LATER = datetime.timedelta(hours=4)


def parcels(mock, status_id, message, *, tracking=recorded.TRACKING, status=200, **extra):
    kwargs = {"json": recorded.parcels_answer(status_id, message, tracking=tracking)}
    if status != 200:
        kwargs = {"body": "", "status": status, **extra}
    mock.get(
        recorded.PARCELS_URL,
        match=[matchers.query_param_matcher({"tracking_number": tracking})],
        **kwargs,
    )


def polled(mock) -> list:
    return [c for c in mock.calls if c.request.url.startswith(recorded.PARCELS_URL + "?")]


@pytest.fixture
def booked(order, sendcloud, carrier_http, django_capture_on_commit_callbacks):
    record_sendcloud_booking(carrier_http)
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(order)
        approve(return_request)
    return ReturnShipment.objects.get(return_request=return_request)


def test_a_silent_parcel_is_polled_and_moves_the_return_in_transit(booked, carrier_http):
    parcels(carrier_http, 3, "En route to sorting center")
    assert tracking.tracking_poll_round() == 0  # just booked: the webhook may still come
    assert not polled(carrier_http)

    assert tracking.tracking_poll_round(timezone.now() + LATER) == 1
    shipment = ReturnShipment.objects.get(pk=booked.pk)
    assert shipment.status == ShipmentStatus.IN_TRANSIT
    # 10:15 in Amsterdam (winter time) is 09:15 UTC.
    assert shipment.in_transit_at == datetime.datetime(2026, 12, 1, 9, 15, tzinfo=datetime.UTC)
    assert ReturnRequest.objects.get(pk=booked.return_request_id).status == "in_transit"
    assert list(ShipmentEvent.objects.values_list("code", "description")) == [
        ("3", "En route to sorting center")
    ]


def test_webhook_and_polling_store_a_status_once_and_move_the_return_once(
    booked, carrier_http, client, tenant
):
    parcels(carrier_http, 3, "En route to sorting center")
    tracking.tracking_poll_round(timezone.now() + LATER)
    # The same status arrives by webhook afterwards, with Sendcloud's own moment.
    body = recorded.status_webhook(3, "En route to sorting center", timestamp=1796140800000)
    url = reverse("carriers:webhook", kwargs={"slug": tenant.slug, "carrier": "sendcloud"})
    answer = client.post(
        url,
        data=body,
        content_type="application/json",
        HTTP_SENDCLOUD_SIGNATURE=sign(recorded.SENDCLOUD_SECRET, body),
    )
    assert answer.json() == {"status": "ok", "events": 0}
    with tenant_context(tenant):
        assert ShipmentEvent.objects.count() == 1
        moves = AuditEvent.objects.filter(
            subject_id=booked.return_request.rma, action="return.in_transit"
        )
        assert moves.count() == 1


def test_a_parcel_with_a_recent_webhook_is_not_polled(booked, carrier_http):
    parcels(carrier_http, 3, "En route to sorting center")
    ReturnShipment.objects.filter(pk=booked.pk).update(tracked_at=timezone.now() + LATER)
    assert tracking.tracking_poll_round(timezone.now() + LATER) == 0
    assert not polled(carrier_http)


def test_a_rate_limit_pauses_the_account_for_its_retry_after(
    booked, carrier_http, recent_dates, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        second = file_return(create_order("1002", **recent_dates))
        approve(second)
    ReturnShipment.objects.filter(return_request=second).update(tracking_number="3SYZXG000000002")
    # Least recently tracked first: the never-tracked second shipment is asked first, and
    # Sendcloud answers 429.
    ReturnShipment.objects.filter(pk=booked.pk).update(tracked_at=timezone.now() - LATER)
    parcels(carrier_http, 3, "En route to sorting center")
    parcels(
        carrier_http, 0, "", tracking="3SYZXG000000002", status=429, headers={"Retry-After": "120"}
    )
    later = timezone.now() + LATER
    assert tracking.tracking_poll_round(later) == 0
    assert len(polled(carrier_http)) == 1  # the other shipment waits for the pause
    assert "3SYZXG000000002" in polled(carrier_http)[0].request.url
    assert tracking.tracking_poll_round(later) == 0
    assert len(polled(carrier_http)) == 1  # still paused: nothing asked


def test_each_round_asks_at_most_its_budget_per_account(
    booked, carrier_http, recent_dates, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        second = file_return(create_order("1002", **recent_dates))
        approve(second)
    ReturnShipment.objects.filter(return_request=second).update(tracking_number="3SYZXG000000002")
    parcels(carrier_http, 1000, "Ready to send")
    parcels(carrier_http, 1000, "Ready to send", tracking="3SYZXG000000002")
    monkeypatch.setattr(tracking, "ROUND_BUDGET", 1)
    tracking.tracking_poll_round(timezone.now() + LATER)
    assert len(polled(carrier_http)) == 1
    # Not moving yet: the return stays where it was, the status is kept as an event.
    assert ReturnRequest.objects.get(pk=booked.return_request_id).status == "label_created"


def test_the_periodic_task_includes_shops_with_sendcloud_parcels(booked, carrier_http):
    clear_current_tenant()
    assert tasks.poll_tracking() == 1
