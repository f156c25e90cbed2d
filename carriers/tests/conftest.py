"""Fixtures of the carriers tests: a shop with a recorded Sendcloud account and returns."""

from __future__ import annotations

import pytest
import responses
from django.core.cache import cache

from carriers.services import carrier_account_save
from testing import carriers as recorded
from testing.orders import create_order
from testing.staff import TEST_ACTOR


@pytest.fixture
def carrier_http():
    """Every HTTP call answered from recordings; an unrecorded call fails the test."""
    cache.clear()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def order(in_tenant, recent_dates):
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
