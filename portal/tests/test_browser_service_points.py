"""The drop-off step in Debian's chromium: the list alone without JavaScript, the
self-drawn map with it (a marker picks its point). Sendcloud answers from recordings."""

from __future__ import annotations

import pytest
import responses
from django.conf import settings
from django.core.cache import cache

from carriers.services import carrier_account_save
from carriers.tests import recorded
from portal.tests.conftest import make_order
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"


@pytest.fixture
def shop(tenant):
    make_order(tenant)
    with tenant_context(tenant):
        carrier_account_save(
            carrier="sendcloud",
            actor=Actor.system("test"),
            values={"methods": ["drop_off"]},
            credentials={
                "public_key": recorded.SENDCLOUD_PUBLIC,
                "secret_key": recorded.SENDCLOUD_SECRET,
            },
        )
    cache.clear()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(recorded.SERVICE_POINTS_URL, json=recorded.SERVICE_POINTS)
        yield tenant


def to_dropoff(page, base: str) -> None:
    page.goto(base)
    page.locator("input[name=reference]").fill("1001")
    page.locator("input[name=identity]").fill("1012 AB")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/case/")
    page.locator("input[name=case_type][value=return]").check()
    page.locator("button.primary").click()
    page.wait_for_url("**/items/")
    page.locator("select[name^=quantity_]").first.select_option("1")
    page.locator("button.primary").click()
    page.wait_for_url("**/details/")
    page.locator("select[name^=reason_]").first.select_option("too_small")
    page.locator("button.primary").click()
    page.wait_for_url("**/resolution/")
    page.locator("input[name=resolution][value=refund]").check()
    page.locator("button.primary").click()
    page.wait_for_url("**/method/")
    page.locator("input[name=method][value=drop_off]").check()
    page.locator("button.primary").click()
    page.wait_for_url("**/dropoff/")


@pytest.mark.parametrize("javascript", [True, False])
def test_service_points_list_and_map(live_server, browser, shop, javascript):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=javascript, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        to_dropoff(page, f"{live_server.url}/r/acme/")
        points = page.locator("ol.points li")
        assert points.count() == 2
        assert "Primera Damrak" in points.first.inner_text()
        map_box = page.locator("[data-points-map]")
        assert map_box.is_visible() is javascript
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        suffix = "js" if javascript else "nojs"
        page.screenshot(path=str(SCREENSHOTS / f"service-points-{suffix}.png"), full_page=True)
        if javascript:
            page.locator('.marker[data-point="10875350"]').click()
            assert page.locator("#point-10875350").is_checked()
            assert "selected" in page.locator('.marker[data-point="10875350"]').get_attribute(
                "class"
            )
        else:
            page.locator("#point-10875350").check()
        page.locator("button.primary").click()
        page.wait_for_url("**/review/")
        assert "Bruna Centrum" in page.content()
    finally:
        context.close()
