"""Fixtures of the carriers tests: a shop with a recorded Sendcloud account and returns."""

from __future__ import annotations

import pytest
import responses
from django.core.cache import cache

from carriers.services import carrier_account_save
from carriers.tests import recorded
from orders.tests.factories import create_order
from returns.tests.conftest import TEST_ACTOR, file_return, recent_dates  # noqa: F401
from returns.workflow import return_transition


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def carrier_http():
    """Every HTTP call answered from recordings; an unrecorded call fails the test."""
    cache.clear()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def order(in_tenant, recent_dates):  # noqa: F811
    return create_order("1001", **recent_dates)


@pytest.fixture
def sendcloud(in_tenant):
    return carrier_account_save(
        carrier="sendcloud",
        actor=TEST_ACTOR,
        values={
            "methods": ["drop_off", "qr_drop_off", "pickup"],
            "countries": ["NL", "BE"],
            "service_code": "postnl:small/return",
            "return_street": "Warehouseweg",
            "return_house_number": "5",
            "return_postcode": "3542AB",
            "return_city": "Utrecht",
            "return_country": "NL",
        },
        credentials={
            "public_key": recorded.SENDCLOUD_PUBLIC,
            "secret_key": recorded.SENDCLOUD_SECRET,
        },
    )


def record_sendcloud_booking(mock, *, announce_status=201, announce_body=None) -> None:
    mock.post(
        recorded.ANNOUNCE_URL,
        json=announce_body if announce_body is not None else recorded.ANNOUNCED,
        status=announce_status,
    )
    mock.get(recorded.PARCEL_URL, json=recorded.PARCEL)
    mock.get(recorded.LABEL_URL, body=recorded.LABEL_PDF, content_type="application/pdf")


def approve(return_request):
    return return_transition(
        return_request=return_request, to="approved", actor=TEST_ACTOR, reason="ok"
    )


__all__ = ["approve", "file_return", "record_sendcloud_booking"]
