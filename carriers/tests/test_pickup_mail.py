"""The approval mail (the one that brings the label) names the pickup the customer chose."""

from __future__ import annotations

import datetime

import pytest

from carriers.services import shipment_choose
from returns_platform.dates import format_date
from testing import carriers as recorded
from testing.carriers import approve, record_sendcloud_booking
from testing.returns import file_return

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 2)


def test_the_approval_mail_names_the_pickup_day_and_window(
    order, sendcloud, carrier_http, mailoutbox, django_capture_on_commit_callbacks
):
    record_sendcloud_booking(carrier_http)
    carrier_http.post(recorded.PICKUPS_URL, json=recorded.PICKUP_BOOKED, status=201)
    return_request = file_return(order, method="pickup")
    shipment_choose(return_request=return_request, pickup_date=DAY, pickup_slot="09:00-13:00")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve(return_request)
    (mail,) = [m for m in mailoutbox if order.email in m.to]
    # The order is in Dutch.
    assert f"Ophalen op je adres: {format_date(DAY, 'nl')}, 09:00-13:00." in mail.body


def test_a_drop_off_approval_mail_names_no_pickup(
    order, sendcloud, carrier_http, mailoutbox, django_capture_on_commit_callbacks
):
    record_sendcloud_booking(carrier_http)
    return_request = file_return(order)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve(return_request)
    (mail,) = [m for m in mailoutbox if order.email in m.to]
    assert "Ophalen op je adres" not in mail.body
