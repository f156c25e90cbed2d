"""Fixtures every test can use (registered by the root ``conftest.py``)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from returns_platform import doccache, events
from returns_platform.event_catalogue import webhook_events
from tenants import keycache
from tenants.models import Role
from testing.dates import recent_dates as _recent_dates
from testing.staff import add_staff


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Shops are created with an admin user in most tests; hash passwords cheaply.

    A test of password hashing itself sets ``settings.PASSWORD_HASHERS`` back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _api_keys_stay_cached(monkeypatch):
    """API keys stay in the process cache for the whole test: query counts assume a warm
    cache, and on a loaded machine the production TTL (seconds) could expire between two
    requests of one test. The expiry itself is tested by moving the cache's clock."""
    keycache.forget()
    monkeypatch.setattr(keycache, "TTL_SECONDS", 3600.0)
    yield
    keycache.forget()


@pytest.fixture(autouse=True)
def _document_cache_per_test():
    """Each test starts with no list documents kept (returns_platform/doccache.py)."""
    doccache.documents.clear()
    yield
    doccache.documents.clear()


@pytest.fixture
def document_cache(settings):
    """The document cache on (1,000 documents), for a test that relies on it whatever
    the settings say."""
    settings.API_DOCUMENT_CACHE_SIZE = 1000
    return doccache.documents


@pytest.fixture
def recent_dates() -> dict:
    """Order dates inside every return window (delivered two days ago)."""
    return _recent_dates()


@pytest.fixture
def published():
    """Domain events the platform tells others about (webhooks, mails, analytics) while the
    test runs; the subscriber is removed afterwards."""
    seen: list[events.DomainEvent] = []
    handler = seen.append
    events.subscribe(handler, names=webhook_events())
    yield seen
    events.unsubscribe(handler)


# Staff of the owner's shop (``tenant``), one per role; the password is testing.staff.PASSWORD
# (the admin's is the shop's: pw-acme).
@pytest.fixture
def admin_user(tenant):
    return get_user_model().objects.get(username="admin@acme.example")


@pytest.fixture
def agent(tenant):
    return add_staff(tenant, "agent@acme.example", Role.AGENT)


@pytest.fixture
def colleague(tenant):
    """A second agent."""
    return add_staff(tenant, "colleague@acme.example", Role.AGENT)


@pytest.fixture
def warehouse_user(tenant):
    return add_staff(tenant, "warehouse@acme.example", Role.WAREHOUSE)
