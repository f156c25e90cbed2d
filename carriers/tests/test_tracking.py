"""Tracking: Sendcloud's signed webhooks move a return to in transit; polling for DHL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carriers.connectors.sendcloud import sign
from carriers.models import ReturnShipment, ShipmentEvent
from carriers.statuses import ShipmentStatus
from carriers.tests import recorded
from carriers.tests.conftest import approve, file_return, record_sendcloud_booking
from returns.models import ReturnRequest
from returns_platform.tenancy import tenant_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(order, sendcloud, carrier_http, django_capture_on_commit_callbacks):
    record_sendcloud_booking(carrier_http)
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(order)
        approve(return_request)
    return ReturnShipment.objects.get(return_request=return_request)


def post_hook(client, tenant, body: bytes, signature: str):
    url = reverse("carriers:webhook", kwargs={"slug": tenant.slug, "carrier": "sendcloud"})
    return client.post(
        url, data=body, content_type="application/json", HTTP_SENDCLOUD_SIGNATURE=signature
    )


def test_signed_webhook_moves_the_return_in_transit_once(client, tenant, booked):
    body = recorded.status_webhook(3, "En route to sorting center")
    answer = post_hook(client, tenant, body, sign(recorded.SENDCLOUD_SECRET, body))
    assert answer.status_code == 200 and answer.json() == {"status": "ok", "events": 1}
    with tenant_context(tenant):
        shipment = ReturnShipment.objects.get(pk=booked.pk)
        assert shipment.status == ShipmentStatus.IN_TRANSIT
        assert shipment.in_transit_at is not None
        assert ReturnRequest.objects.get(pk=shipment.return_request_id).status == "in_transit"
        event = ShipmentEvent.objects.get()
        assert (event.code, event.description) == ("3", "En route to sorting center")
    # The carrier resends: nothing is added twice, the status stays.
    again = post_hook(client, tenant, body, sign(recorded.SENDCLOUD_SECRET, body))
    assert again.json() == {"status": "ok", "events": 0}


def test_delivery_flags_the_return_as_delivered_to_the_warehouse(client, tenant, booked):
    moving = recorded.status_webhook(3, "En route to sorting center", timestamp=1796119200000)
    delivered = recorded.status_webhook(11, "Delivered", timestamp=1796205600000)
    for body in (moving, delivered):
        assert (
            post_hook(client, tenant, body, sign(recorded.SENDCLOUD_SECRET, body)).status_code
            == 200
        )
    with tenant_context(tenant):
        shipment = ReturnShipment.objects.get(pk=booked.pk)
        assert shipment.status == ShipmentStatus.DELIVERED
        assert shipment.days_in_transit == 1
        # Staff still receive the parcel: the carrier's delivery is not the inspection.
        assert ReturnRequest.objects.get(pk=shipment.return_request_id).status == "in_transit"


@pytest.mark.parametrize("signature", ["", "00" * 32, "not-hex"])
def test_webhook_with_a_bad_signature_changes_nothing(client, tenant, booked, signature):
    body = recorded.status_webhook(3, "En route to sorting center")
    answer = post_hook(client, tenant, body, signature)
    assert answer.status_code == 401 and answer.json() == {"code": "bad_signature"}
    with tenant_context(tenant):
        assert ReturnShipment.objects.get(pk=booked.pk).status == ShipmentStatus.BOOKED
        assert not ShipmentEvent.objects.exists()


def test_webhook_signed_with_another_shops_secret_is_refused(client, tenant, booked):
    body = recorded.status_webhook(3, "En route to sorting center")
    answer = post_hook(client, tenant, body, sign("someone-elses-secret", body))
    assert answer.status_code == 401


def test_webhook_for_an_unknown_shop_or_parcel(client, tenant, booked):
    body = recorded.status_webhook(3, "En route")
    url = reverse("carriers:webhook", kwargs={"slug": "nobody", "carrier": "sendcloud"})
    assert client.post(url, data=body, content_type="application/json").status_code == 404
    other = body.replace(recorded.TRACKING.encode(), b"UNKNOWN123")
    answer = post_hook(client, tenant, other, sign(recorded.SENDCLOUD_SECRET, other))
    assert answer.json() == {"status": "ignored"}


def test_webhook_for_a_carrier_without_webhooks_is_404(client, tenant, booked):
    url = reverse("carriers:webhook", kwargs={"slug": tenant.slug, "carrier": "dpd"})
    assert client.post(url, data=b"{}", content_type="application/json").status_code == 404
