"""The new mails as a phone shows them: each HTML mail rendered in chromium at 390 px,
saved to var/screenshots/mail-<kind>.png for a reviewer, without sideways scrolling."""

from __future__ import annotations

import base64
from types import SimpleNamespace

import pytest

from notifications.delivery import qr_png
from notifications.rendering import render_mail
from notifications.samples import sample_context
from testing.browser import screenshot

pytestmark = pytest.mark.browser

NEW_MAILS = (
    "return.label_created",
    "return.in_transit",
    "return.inspected",
    "return.completed",
    "return.free_return_set",
    "return.decided",
    "order.exchange_created",
    "refund.succeeded",
    "voucher.issued",
    "order.cancelled",
    "return.requested.staff",
)
LONG_TOKEN = "eyJ0IjoxLCJyIjoiUi0wMDAwMDEifQ:1xXqo4:bNwACVW/"
SHOP = SimpleNamespace(
    name="Acme Outdoor",
    slug="acme",
    brand_colour="#0b6e4f",
    logo=None,
    policy_url="https://acme.example/returns-policy",
    support_url="https://acme.example/help",
    currency="EUR",
    default_language="nl",
    notification_email="returns@acme.example",
)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("kind", NEW_MAILS)
def test_each_new_mail_fits_a_phone_and_is_saved_for_review(phone, kind):
    context = sample_context(kind, SHOP, "nl")
    # A real status-page token is long: the page must wrap it, not scroll sideways.
    for key in ("status_url", "label_url", "backoffice_url"):
        if context.get(key):
            context[key] = context[key].rstrip("/") + LONG_TOKEN
    rendered = render_mail(event=kind, language="nl", context=context)
    html = rendered.html
    if "cid:qr-code" in html:
        png = base64.b64encode(qr_png(context["qr_url"])).decode()
        html = html.replace("cid:qr-code", f"data:image/png;base64,{png}")
    phone.set_content(html)

    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert rendered.subject in phone.title()
    body = phone.inner_text("body")
    assert "Acme Outdoor" in body
    first_sentence = rendered.text.split("\n\n")[1].splitlines()[0]
    assert first_sentence[:30] in body
    screenshot(phone, f"mail-{kind}")
