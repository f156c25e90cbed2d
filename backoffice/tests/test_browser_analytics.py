"""The analytics page in a real browser, in English and in Dutch (screenshots in
var/screenshots/)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from analytics.aggregation import analytics_rebuild
from returns_platform.tenancy import tenant_context
from testing.analytics import build_shop
from testing.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PERIOD = "start=2026-10-01&end=2026-10-10"


@pytest.fixture
def counted_shop(tenant):
    with tenant_context(tenant):
        build_shop()
        analytics_rebuild()
    return tenant


def test_analytics_in_english_and_dutch(counted_shop, agent, login, live_server):
    page = login("agent@acme.example")
    page.goto(f"{live_server.url}/backoffice/analytics/?{PERIOD}")
    expect(page.locator("h1")).to_have_text("Analytics")
    expect(page.get_by_test_id("return-rate")).to_have_text("55.6\u00a0%")
    expect(page.get_by_test_id("chart-reasons").locator("rect")).to_have_count(2)
    expect(page.get_by_test_id("table-reasons").locator("tbody tr").first).to_contain_text(
        "Wrong size"
    )
    # The comments of the top reasons are one click away (no script needed).
    comments = page.get_by_test_id("reason-comments")
    expect(comments.get_by_text("Too small")).to_be_hidden()
    comments.locator("summary").click()
    expect(comments.get_by_text("Too small")).to_be_visible()
    screenshot(page, "backoffice-analytics-en")

    page.select_option("#bo-language", "nl")
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Analyse")
    expect(page.get_by_test_id("return-rate")).to_have_text("55,6\u00a0%")
    expect(page.get_by_test_id("table-reasons").locator("tbody tr").first).to_contain_text(
        "Verkeerde maat"
    )
    expect(page.get_by_role("heading", name="Retourpercentage per kanaal")).to_be_visible()
    screenshot(page, "backoffice-analytics-nl")

    # Filtering by channel reloads the figures for that channel.
    page.select_option("#id_channel", "market")
    page.click("form[role=search] button[type=submit]")
    expect(page.get_by_test_id("return-rate")).to_have_text("50,0\u00a0%")
