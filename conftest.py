"""Shared fixtures: tenants, the three actors, API clients, and the services gate.

The rest of what tests share is the ``testing`` package: its fixtures are registered
here (``pytest_plugins``), its factories and helpers are imported by the tests.

Tests marked ``postgres``, ``redis`` or ``browser`` need the real service (or Debian's
chromium). Without it they skip and say why; with ``REQUIRE_SERVICES=1`` (CI) a missing
service fails them instead.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from returns_platform.celery import app as celery_app
from returns_platform.tenancy import clear_current_tenant, tenant_context
from testing.tenants import api_client_for, make_tenant

pytest_plugins = ["testing.fixtures", "testing.faults"]

# Property tests judge outcomes, not speed: on a shared two-core machine a slow example is
# not a defect, so neither the per-example deadline nor the too-slow health check applies.
hypothesis_settings.register_profile(
    "shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("shared-machine")

CHROMIUM = "/usr/bin/chromium"
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def _redis_available() -> str | None:
    if not settings.REDIS_URL:
        return "REDIS_URL is not set"
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
    except Exception as error:  # noqa: BLE001
        return f"Redis at REDIS_URL does not answer ({error})"
    return None


def pytest_runtest_setup(item):
    missing = []
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        missing.append("needs PostgreSQL (set DATABASE_URL=postgres://...)")
    if item.get_closest_marker("redis"):
        problem = _redis_available()
        if problem:
            missing.append(f"needs Redis: {problem}")
    if item.get_closest_marker("browser") and not os.path.exists(CHROMIUM):
        missing.append(f"needs Debian's chromium at {CHROMIUM}")
    if missing:
        reason = "; ".join(missing)
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True, scope="session")
def _eager_celery():
    """Tasks run in process in tests; the queue integration tests start real workers."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium per test process, shared by every browser test (a
    second Playwright instance cannot start inside the first one's event loop).

    Playwright's sync API keeps an event loop in this thread while the browser lives; the
    tests' ORM calls are still synchronous, so Django's async guard is lifted for that
    time only (the deploy check test runs its subprocess without it)."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _no_tenant_leaks():
    from portal import startpage
    from tenants import keycache
    from tenants import portal as portal_tenants

    clear_current_tenant()
    keycache.forget()  # keys resolved in one test (and rolled back) never serve another
    portal_tenants.forget()  # nor shops resolved by slug
    startpage.forget()
    yield
    clear_current_tenant()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tenant(db):
    """The owner's shop."""
    return make_tenant("acme")


@pytest.fixture
def other_tenant(db):
    """The outsider's shop."""
    return make_tenant("globex")


@pytest.fixture
def api(tenant):
    """The owner's shop system."""
    return api_client_for(tenant)


@pytest.fixture
def colleague_api(tenant):
    """A second key of the same shop (another system of the owner)."""
    return api_client_for(tenant)


@pytest.fixture
def outsider_api(other_tenant):
    """Another shop's system."""
    return api_client_for(other_tenant)


@pytest.fixture
def in_tenant(tenant):
    with tenant_context(tenant):
        yield tenant
