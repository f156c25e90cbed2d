"""Swagger UI and ReDoc render in a real browser from the app's own files: no request
leaves the server, and the Content-Security-Policy is not violated."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.mark.parametrize(
    ("path", "rendered"),
    [("/api/docs/", ".swagger-ui .info .title"), ("/api/redoc/", "redoc h1, .api-info h1")],
)
def test_the_api_docs_render_offline(browser, live_server, path, rendered):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    own_host = urlsplit(live_server.url).netloc
    elsewhere, violations = [], []
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if urlsplit(request.url).scheme in ("http", "https")
            and urlsplit(request.url).netloc != own_host
            else None
        ),
    )
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}{path}")
    page.wait_for_selector(rendered)
    assert "Returns platform API" in page.inner_text(rendered)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"api-docs-{path.strip('/').replace('/', '-')}.png"))
    context.close()
    assert elsewhere == []
    assert violations == []
