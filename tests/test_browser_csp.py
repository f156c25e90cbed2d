"""The pages work under their Content-Security-Policy in a real browser (no violations)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_portal_and_back_office_run_without_policy_violations(browser, live_server, tenant):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = _watch_violations(page)
    page.goto(f"{live_server.url}/r/acme/")
    page.goto(f"{live_server.url}/backoffice/login/")
    page.fill("#id_username", "admin@acme.example")
    page.fill("#id_password", "pw-acme")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/backoffice/")
    for path in ["/backoffice/queue/", "/backoffice/settings/api-keys/"]:
        page.goto(f"{live_server.url}{path}")
    # The language picker submits itself through the site's script (no inline handler).
    page.select_option("#bo-language", "nl")
    page.wait_for_load_state()
    page.wait_for_function("document.documentElement.lang === 'nl'")
    context.close()
    assert violations == []
