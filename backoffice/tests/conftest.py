"""Fixtures of the back-office tests: a shop with its three roles, requests, an outsider."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from orders.tests.factories import create_order
from returns.models import ReturnRequest
from returns.tests.conftest import file_return
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from tenants.services import membership_set, user_get_or_create

TEST_ACTOR = Actor.system("test")
PASSWORD = "pw-for-tests"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def recent_dates() -> dict:
    now = timezone.now()
    return {
        "placed_at": (now - timezone.timedelta(days=4)).isoformat(),
        "shipped_at": (now - timezone.timedelta(days=3)).isoformat(),
        "delivered_at": (now - timezone.timedelta(days=2)).isoformat(),
    }


def add_staff(tenant, email: str, role: str):
    with tenant_context(tenant):
        user = user_get_or_create(email=email, password=PASSWORD)
        membership_set(user=user, role=role, actor=TEST_ACTOR)
    return user


# Requests are filed the way the returns core's own tests file them.
file_request = file_return


def make_order(number: str, *, lines: int | None = None, **overrides):
    return create_order(number, lines=lines, **{**recent_dates(), **overrides})


@pytest.fixture
def admin_user(tenant):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin@acme.example")


@pytest.fixture
def agent(tenant):
    return add_staff(tenant, "agent@acme.example", Role.AGENT)


@pytest.fixture
def colleague(tenant):
    return add_staff(tenant, "colleague@acme.example", Role.AGENT)


@pytest.fixture
def warehouse_user(tenant):
    return add_staff(tenant, "warehouse@acme.example", Role.WAREHOUSE)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def shop(tenant):
    """The owner's shop with an order and a fresh request R-000001."""
    with tenant_context(tenant):
        order = make_order("1001")
        return_request = file_request(order)
    return {"tenant": tenant, "order": order, "request": return_request}


@pytest.fixture
def outsider(other_tenant):
    """Another shop with orders and requests whose numbers the owner's shop lacks."""
    with tenant_context(other_tenant):
        orders = [make_order(number) for number in ("1001", "7001", "7002")]
        requests = [file_request(order) for order in orders]
        data = {
            "tenant": other_tenant,
            "order": orders[-1],
            "request": requests[-1],
            "requests": requests,
        }
    return data


def reload(tenant, return_request) -> ReturnRequest:
    with tenant_context(tenant):
        return ReturnRequest.objects.select_related("held_by", "assignee").get(pk=return_request.pk)


# Browser tests ------------------------------------------------------------------------
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def login(browser, live_server):
    """``login(email, password)`` -> a page signed in to the back office (own context)."""
    contexts = []

    def sign_in(email: str, password: str = PASSWORD):
        context = browser.new_context(locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/backoffice/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/backoffice/")
        return page

    yield sign_in
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
