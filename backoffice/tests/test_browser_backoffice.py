"""The back office in a real browser (Playwright driving Debian's chromium)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from returns.workflow import return_transition
from returns_platform.tenancy import tenant_context
from testing.browser import screenshot
from testing.orders import make_order
from testing.returns import file_return as file_request
from testing.returns import reload
from testing.staff import TEST_ACTOR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bulk_approve_from_concept(tenant, agent, login, live_server):
    with tenant_context(tenant):
        made = [file_request(make_order(str(1000 + index))) for index in range(3)]
        for return_request in made[:2]:
            return_transition(return_request=return_request, to="concept", actor=TEST_ACTOR)
    page = login("agent@acme.example")
    page.goto(f"{live_server.url}/backoffice/queue/?status=concept")
    expect(page.locator("tbody tr[data-rma]")).to_have_count(2)
    expect(page.locator(".counts [data-status=approved]")).to_have_text("0")
    page.check("thead input[data-select-all]")
    page.select_option("#bulk-action", "approved")
    page.click("[data-testid=bulk-apply]")
    # The queue is swapped in place (htmx): the counts follow, the filtered list empties.
    expect(page.locator(".counts [data-status=approved]")).to_have_text("2")
    expect(page.locator(".counts [data-status=concept]")).to_have_text("0")
    expect(page.locator("#queue .message.success")).to_contain_text("R-000001, R-000002")
    expect(page.locator("tbody tr[data-rma]")).to_have_count(0)
    assert page.url.endswith("/backoffice/queue/?status=concept")
    screenshot(page, "backoffice-bulk-approve")
    assert [reload(tenant, rr).status for rr in made] == ["approved", "approved", "requested"]


def test_a_colleague_is_refused_on_a_held_request(tenant, agent, colleague, login, live_server):
    with tenant_context(tenant):
        file_request(make_order("1001"))
    holder = login("agent@acme.example")
    holder.goto(f"{live_server.url}/backoffice/requests/R-000001/")
    holder.click("button[data-action=on_hold]")
    expect(holder.locator("[data-testid=status]")).to_have_text("On hold")
    expect(holder.locator("[data-testid=held-banner]")).to_contain_text("You hold this request")

    other = login("colleague@acme.example")
    other.goto(f"{live_server.url}/backoffice/requests/R-000001/")
    expect(other.locator("[data-testid=held-banner]")).to_contain_text(
        "On hold by agent@acme.example"
    )
    other.click("button[data-action=approved]")
    expect(other.locator(".message.error")).to_have_text(
        "R-000001 is on hold by agent@acme.example; only they or an admin can change it."
    )
    expect(other.locator("[data-testid=status]")).to_have_text("On hold")
    screenshot(other, "backoffice-held-refused")

    holder.click("button[data-action=approved]")
    expect(holder.locator("[data-testid=status]")).to_have_text("Approved")


def test_partial_receipt_by_barcode(tenant, warehouse_user, login, live_server):
    with tenant_context(tenant):
        return_request = file_request(make_order("1001"), quantities=[2, 1])
        for to in ("approved", "label_created", "in_transit"):
            return_transition(return_request=return_request, to=to, actor=TEST_ACTOR)
        first, second = return_request.lines.order_by("id")
    page = login("warehouse@acme.example")
    page.goto(f"{live_server.url}/backoffice/warehouse/")
    expect(page.locator("[data-testid=scan-input]")).to_be_focused()
    # A USB scanner types the label's code and presses Enter.
    page.keyboard.type("R000001")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/backoffice/warehouse/R-000001/$"))
    page.fill(f"#id_line-{first.pk}-received_quantity", "1")
    page.select_option(f"#id_line-{first.pk}-condition", "opened")
    page.fill(f"#id_line-{second.pk}-received_quantity", "0")
    page.click("button[data-action=book]")
    expect(page.locator("[data-testid=receipt-state]")).to_have_text("partly received")
    expect(page.locator("[data-testid=status]")).to_have_text("Received")
    screenshot(page, "backoffice-partial-receipt")
    with tenant_context(tenant):
        lines = list(reload(tenant, return_request).lines.order_by("id"))
    assert [(line.received_quantity, line.condition) for line in lines] == [
        (1, "opened"),
        (None, ""),
    ]
