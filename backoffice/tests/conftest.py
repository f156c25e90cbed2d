"""Fixtures of the back-office tests: a shop with a request, an outsider, a signed-in browser
(staff of each role come from testing.fixtures)."""

from __future__ import annotations

import pytest

from returns_platform.tenancy import tenant_context
from testing.analytics import counted  # noqa: F401 (fixture of the analytics screen)
from testing.orders import make_order
from testing.returns import file_return as file_request
from testing.staff import PASSWORD


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
