"""In a real browser: staff find a voucher by its printed code, redeem part of it, and see
the refusal when they try to take more than the balance."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from credits.codes import format_code
from credits.tests.conftest import STAFF
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from tenants.services import membership_set, user_get_or_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
SCREENSHOTS = Path("var/screenshots")


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en")
    yield context.new_page()
    context.close()


def test_find_and_redeem_a_voucher(page, live_server, tenant, make_voucher, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    agent = user_get_or_create(email="agent@acme.example", password="browser-pw")
    with tenant_context(tenant):
        membership_set(user=agent, role=Role.AGENT, actor=STAFF)
    voucher = make_voucher("25.00")
    code = format_code(voucher.code)

    page.goto(f"{live_server.url}/backoffice/credits/")
    page.fill("#id_username", "agent@acme.example")
    page.fill("#id_password", "browser-pw")
    page.click("button[type=submit]")
    page.wait_for_url("**/backoffice/credits/")

    page.fill("#id_code", code.lower().replace("-", " "))  # as read over the phone
    page.click("button:has-text('Find')")
    page.wait_for_url(f"**/backoffice/credits/vouchers/{voucher.pk}/")
    assert page.inner_text("[data-testid=balance]") == "25.00 EUR"

    page.fill("#id_amount", "30.00")
    page.click("button:has-text('Redeem')")
    assert "The voucher's balance is 25.00 EUR." in page.inner_text("#id_amount-error")

    page.fill("#id_amount", "10.00")
    page.fill("#id_reference", "Store Utrecht till 2")
    page.click("button:has-text('Redeem')")
    page.wait_for_selector(".messages")
    assert page.inner_text("[data-testid=balance]") == "15.00 EUR"
    assert "Store Utrecht till 2" in page.inner_text("#ledger")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "credits-voucher-redeemed.png"), full_page=True)
    with tenant_context(tenant):
        voucher.refresh_from_db()
    assert voucher.balance == Decimal("15.00")
