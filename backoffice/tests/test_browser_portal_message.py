"""A message sent from the back office appears on the customer's status page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from returns_platform.tenancy import tenant_context
from testing.browser import screenshot
from testing.orders import make_order
from testing.returns import file_return as file_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_message_from_the_back_office_appears_on_the_status_page(
    tenant, agent, login, browser, live_server
):
    with tenant_context(tenant):
        return_request = file_request(make_order("1001"))
        token = return_request.access_token()
    page = login("agent@acme.example")
    page.goto(f"{live_server.url}/backoffice/requests/{return_request.rma}/")
    page.fill("#id_body", "Your parcel is welcome at any service point.")
    page.click("button[data-action=send-message]")
    expect(page.locator("[data-testid=thread]")).to_contain_text("any service point")
    page.fill("#id_body", "Internal: customer is a regular.")
    page.check("#id_is_internal")
    page.click("button[data-action=send-message]")
    expect(page.locator("[data-testid=thread]")).to_contain_text("customer is a regular")

    consumer = browser.new_context().new_page()
    consumer.goto(f"{live_server.url}/r/{tenant.slug}/s/{token}/")
    expect(consumer.locator("body")).to_contain_text("Your parcel is welcome at any service point.")
    expect(consumer.locator("body")).not_to_contain_text("customer is a regular")
    screenshot(consumer, "portal-status-with-message")
    consumer.context.close()
