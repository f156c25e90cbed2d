"""The back office on a phone: at a 390 px viewport no page scrolls sideways (queue as
cards, request and order pages, warehouse scan and receipt with the camera as photo
input, settings > payments). Screenshots: var/screenshots/phone-*.png."""

from __future__ import annotations

import pytest

from testing.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_the_back_office_fits_a_phone(browser, live_server, shop):
    context = browser.new_context(locale="en-GB", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/backoffice/login/")
    page.fill("#id_username", "admin@acme.example")
    page.fill("#id_password", "pw-acme")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/backoffice/")
    rma = shop["request"].rma
    widths = {}
    for name, path in [
        ("dashboard", "/backoffice/"),
        ("queue", "/backoffice/queue/"),
        ("request", f"/backoffice/requests/{rma}/"),
        ("order", "/backoffice/orders/1001/"),
        ("settings-payments", "/backoffice/settings/payments/"),
        ("warehouse-scan", "/backoffice/warehouse/"),
        ("warehouse-receipt", f"/backoffice/warehouse/{rma}/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
        screenshot(page, f"phone-{name}")
    photo = page.locator("input[type=file]").first
    capture = photo.get_attribute("capture")
    context.close()
    assert widths == dict.fromkeys(widths, 390), widths
    assert capture == "environment"
