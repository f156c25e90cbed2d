"""Signed-in staff of each role for the notifications screens, and the shop they work for."""

from __future__ import annotations

import pytest

from tenants.models import Role
from testing.notifications import mailbox, publish, receiver, shop  # noqa: F401 (fixtures)
from testing.notifications import member_client as client_for


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
