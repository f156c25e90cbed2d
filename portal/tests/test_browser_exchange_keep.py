"""The replacement step and the keep-the-item offer in a real browser on a 360 px phone,
in Dutch. Screenshots: var/screenshots/nl-exchange.png, nl-keep-item.png."""

from __future__ import annotations

import pytest

from orders.services import order_upsert
from returns.policy import return_policy_update
from returns.selectors import return_policy_get
from returns_platform.tenancy import tenant_context
from testing.browser import screenshot
from testing.dates import recent_dates
from testing.orders import order_payload, service_data
from testing.portal import returns_of
from testing.staff import TEST_ACTOR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VARIANTS = [
    {"sku": "TSHIRT-L", "name": "T-shirt L", "unit_price": "19.95"},
    {"sku": "TSHIRT-L-PREMIUM", "name": "T-shirt L premium", "unit_price": "24.95"},
]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def start(page, live_server, tenant, resolution: str) -> None:
    payload = order_payload("1001", **recent_dates())
    payload["lines"][0]["variants"] = VARIANTS
    with tenant_context(tenant):
        return_policy_get()
        order_upsert(data=service_data(payload), actor=TEST_ACTOR)
    page.goto(f"{live_server.url}/r/acme/")
    page.get_by_label("Bestelnummer of trackingnummer").fill("1001")
    page.get_by_label("Postcode of e-mailadres").fill("1012 AB")
    page.get_by_role("button", name="Zoek mijn bestelling").click()
    page.wait_for_url("**/case/")
    page.get_by_label("Retourneren (herroeping)").check()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/items/")
    page.get_by_label("Aantal van T-shirt").select_option("1")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/details/")
    page.get_by_label("Reden", exact=True).select_option("too_small")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/resolution/")
    page.get_by_label(resolution).check()
    page.get_by_role("button", name="Volgende").click()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_customer_picks_a_premium_replacement_on_a_phone(live_server, phone, tenant):
    start(phone, live_server, tenant, "Ruil")
    phone.wait_for_url("**/exchange/")
    assert phone.get_by_role("heading", name="Kies je vervanging").is_visible()
    assert phone.get_by_text("5,00 EUR extra te betalen").is_visible()
    phone.get_by_label("T-shirt L premium").check()
    assert fits(phone)
    screenshot(phone, "nl-exchange")
    phone.get_by_role("button", name="Volgende").click()
    phone.wait_for_url("**/method/")
    phone.get_by_label("Afgeven bij een servicepunt").check()
    phone.get_by_role("button", name="Volgende").click()
    phone.wait_for_url("**/review/")
    assert phone.get_by_text("Vervanging: T-shirt L premium (24,95 EUR)").is_visible()
    phone.get_by_role("button", name="Retour bevestigen").click()
    phone.wait_for_url("**/confirmation/")
    (created,) = returns_of(tenant)
    assert created.lines.get().exchange_sku == "TSHIRT-L-PREMIUM"


def test_the_keep_the_item_offer_on_a_phone(live_server, phone, tenant):
    with tenant_context(tenant):
        return_policy_update(changes={"keep_item_below": {"EUR": "25.00"}}, actor=TEST_ACTOR)
    start(phone, live_server, tenant, "Geld terug")
    phone.wait_for_url("**/method/")
    assert phone.get_by_test_id("keep-item-offer").is_visible()
    assert phone.get_by_text("Je krijgt 19,95 EUR en stuurt niets terug").is_visible()
    phone.get_by_label("Houd de artikelen").check()
    assert fits(phone)
    screenshot(phone, "nl-keep-item")
    phone.get_by_role("button", name="Volgende").click()
    phone.wait_for_url("**/review/")
    phone.get_by_role("button", name="Retour bevestigen").click()
    phone.wait_for_url("**/confirmation/")
    (created,) = returns_of(tenant)
    assert created.keep_item is True
