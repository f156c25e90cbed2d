"""Signed-in staff of each role for the notifications screens, and the shop they work for."""

from __future__ import annotations

import pytest

from backoffice.tests.notifications.helpers import client_for
from notifications.tests.conftest import mailbox, publish, receiver, shop
from tenants.models import Role


@pytest.fixture
def admin(shop):
    return client_for(shop, "admin@acme.example")


@pytest.fixture
def agent(shop):
    return client_for(shop, "agent@acme.example", Role.AGENT)


@pytest.fixture
def warehouse(shop):
    return client_for(shop, "dock@acme.example", Role.WAREHOUSE)


@pytest.fixture
def outsider(other_tenant):
    """The admin of another shop."""
    return client_for(other_tenant, "admin@globex.example")
