"""Staff for tests: the system actor services are called with, users with a role."""

from __future__ import annotations

from django.test import Client

from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants.services import membership_set, user_get_or_create

TEST_ACTOR = Actor.system("test")
PASSWORD = "pw-for-tests"


def add_staff(tenant, email: str, role: str):
    """A user with ``role`` in ``tenant`` (password ``PASSWORD``)."""
    with tenant_context(tenant):
        user = user_get_or_create(email=email, password=PASSWORD)
        membership_set(user=user, role=role, actor=TEST_ACTOR)
    return user


def client_for(user) -> Client:
    """A Django test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client
