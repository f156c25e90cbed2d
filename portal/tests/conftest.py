"""Fixtures of the portal tests: a shop with a delivered order, and a wizard driver."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from testing.portal import GIFT_CARD, Wizard, make_order


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def order(tenant):
    """Order 1001 of the acme shop: 2 T-shirts, 1 jeans and a non-returnable gift card;
    delivered two days ago to postcode 1012 AB, in Dutch."""
    return make_order(tenant, extra_lines=[GIFT_CARD])


@pytest.fixture
def wizard(client):
    return Wizard(client)
