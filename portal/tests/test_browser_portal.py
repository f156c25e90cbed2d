"""The portal in a real browser: Debian's chromium driven by Playwright for Python.

A complete return in Dutch from look-up to label download (keyboard only for the first
steps, on a 360 px wide screen), a blocked non-returnable line, a complaint with a
photo, a reply on the status page, and the same return in English, German, Polish and
Swedish down to a scanned label. Screenshots go to var/screenshots/.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from testing.barcodes import decode_pdf
from testing.images import photo_bytes
from testing.portal import GIFT_CARD, make_order, returns_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"


@pytest.fixture
def phone(browser):
    """A 360 px wide phone screen that accepts downloads."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, accept_downloads=True, locale="nl-NL"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def look_up(page, base: str, number="1001", postcode="1012 AB") -> None:
    page.goto(base)
    page.get_by_label("Bestelnummer of trackingnummer").fill(number)
    page.get_by_label("Postcode of e-mailadres").fill(postcode)
    page.get_by_role("button", name="Zoek mijn bestelling").click()


def test_a_complete_return_in_dutch_from_lookup_to_label_download(live_server, phone, tenant):
    order = make_order(tenant, extra_lines=[GIFT_CARD])
    base = f"{live_server.url}/r/acme/"
    page = phone
    page.goto(base)
    assert fits_the_screen(page)
    shot(page, "nl-01-lookup")
    # Keyboard only: skip link, language switcher, then the two fields and Enter.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_label("Bestelnummer of trackingnummer").focus()
    page.keyboard.type("1001")
    page.keyboard.press("Tab")
    page.keyboard.type("1012ab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/case/")
    assert page.get_by_role("heading", name="Wat wil je doen?").is_visible()
    page.get_by_label("Retourneren (herroeping)").focus()
    page.keyboard.press("Space")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    shot(page, "nl-02-case")
    page.get_by_role("button", name="Volgende").press("Enter")
    page.wait_for_url("**/items/")
    assert fits_the_screen(page)
    shot(page, "nl-03-items")
    shirt = order.lines.model.unscoped.filter(order=order).order_by("position").first()
    page.get_by_label(f"Aantal van {shirt.name}").select_option("2")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/details/")
    page.get_by_label("Reden", exact=True).select_option("too_small")
    page.get_by_label("Opmerking (optioneel)").fill("Valt klein")
    shot(page, "nl-04-details")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/resolution/")
    page.get_by_label("Geld terug").check()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/method/")
    assert page.get_by_text("4,95 EUR").first.is_visible()
    page.get_by_label("Afgeven bij een servicepunt").check()
    shot(page, "nl-05-method")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/review/")
    assert page.get_by_text("34,95 EUR").is_visible()
    assert fits_the_screen(page)
    shot(page, "nl-06-review")
    page.get_by_role("button", name="Retour bevestigen").click()
    page.wait_for_url("**/confirmation/")
    rma = page.get_by_test_id("rma").inner_text()
    assert rma.startswith("R-")
    shot(page, "nl-07-confirmation")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Retourlabel downloaden (A6)").click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        pdf = handle.read()
    found = decode_pdf(pdf)
    assert found["Code128"] == rma
    assert "/r/acme/s/" in found["QRCode"]
    page.get_by_role("link", name="Volg je retour op de statuspagina").click()
    assert page.get_by_test_id("status").inner_text() == "Aangevraagd"
    shot(page, "nl-08-status")
    (created,) = returns_of(tenant)
    assert created.rma == rma and created.lines.get().quantity == 2


def test_a_blocked_non_returnable_line_is_shown_with_its_reason(live_server, phone, tenant):
    make_order(tenant, extra_lines=[GIFT_CARD])
    page = phone
    look_up(page, f"{live_server.url}/r/acme/")
    page.get_by_label("Retourneren (herroeping)").check()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/items/")
    blocked = page.locator(".line.blocked")
    assert blocked.count() == 1
    assert "Gift card 25" in blocked.inner_text()
    assert "kan niet worden geretourneerd" in blocked.inner_text()
    assert page.get_by_label("Aantal van Gift card 25").count() == 0
    shot(page, "nl-blocked-line")


def test_a_complaint_with_a_photo(live_server, phone, tenant, tmp_path):
    make_order(tenant, extra_lines=[GIFT_CARD])
    photo = tmp_path / "kapot.jpg"
    photo.write_bytes(photo_bytes(exif=True, size=(800, 600)))
    page = phone
    look_up(page, f"{live_server.url}/r/acme/")
    page.get_by_label("Klacht of garantie").check()
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Aantal van Jeans 32").select_option("1")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/details/")
    page.get_by_label("Reden", exact=True).select_option("defective")
    page.get_by_role("button", name="Volgende").click()
    assert page.get_by_text("Voeg ten minste één foto van het probleem toe.").is_visible()
    page.get_by_label("Reden", exact=True).select_option("defective")
    page.get_by_label("Foto's (verplicht)").set_input_files(str(photo))
    shot(page, "nl-complaint-photo")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/resolution/")
    page.get_by_label("Geld terug").check()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**/method/")
    assert page.get_by_text("Het terugsturen van deze retour is gratis.").is_visible()
    page.get_by_label("Afgeven bij een servicepunt").check()
    page.get_by_role("button", name="Volgende").click()
    page.get_by_role("button", name="Retour bevestigen").click()
    page.wait_for_url("**/confirmation/")
    (created,) = returns_of(tenant)
    assert created.case_type == "complaint"
    (attachment,) = created.attachments.all()
    assert attachment.original_name == "kapot.jpg"
    with attachment.file.open("rb") as handle:
        assert b"SecretCam" not in handle.read()


def test_the_consumer_replies_on_the_status_page(live_server, phone, tenant):
    from conversations.services import conversation_post
    from returns import services
    from returns_platform.audit import Actor
    from returns_platform.tenancy import tenant_context

    order = make_order(tenant)
    with tenant_context(tenant):
        created = services.return_request_create(
            order=order,
            case_type="return",
            resolution="refund",
            method="qr_drop_off",
            lines=[
                {"order_line": order.lines.first().pk, "quantity": 1, "reason_code": "too_small"}
            ],
            actor=Actor.consumer(order.email),
        )
        conversation_post(
            return_request=created, body="Is de doos nog heel?", actor=Actor.system("Demo")
        )
        token = created.access_token()
    page = phone
    page.goto(f"{live_server.url}/r/acme/s/{token}/")
    assert page.get_by_text("Is de doos nog heel?").is_visible()
    assert page.locator(".qr svg").count() == 1  # label-less: a QR code instead of a label
    page.get_by_label("Je bericht").fill("Ja, de doos is nog heel.")
    page.get_by_role("button", name="Bericht versturen").click()
    assert page.get_by_text("Je bericht is verstuurd.").is_visible()
    assert page.get_by_text("Ja, de doos is nog heel.").is_visible()
    assert fits_the_screen(page)
    shot(page, "nl-status-reply")


# The same return in the other four languages: the order's language drives the pages,
# the label is downloaded and both of its codes scan. Selectors are language-neutral;
# each step checks the page's language and a sentence of its own catalogue.
OTHER_LANGUAGES = {
    "en": ("Return cost", "Download return label (A6)"),
    "de": ("Rücksendekosten", "Rücksendeetikett herunterladen (A6)"),
    "pl": ("Koszt zwrotu", "Pobierz etykietę zwrotną (A6)"),
    "sv": ("Returkostnad", "Ladda ner returetikett (A6)"),
}


@pytest.mark.parametrize("language", sorted(OTHER_LANGUAGES))
def test_a_complete_return_in_each_language(live_server, browser, tenant, language):
    from django.utils import translation

    cost_label, download_label = OTHER_LANGUAGES[language]
    with translation.override(language):  # the catalogue itself says the same
        assert translation.gettext("Download return label (A6)") == download_label
    make_order(tenant, extra_lines=[GIFT_CARD], language=language)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, accept_downloads=True, locale="nl-NL"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)

    def next_step(url_part: str) -> None:
        page.locator("main button.primary").click()
        page.wait_for_url(f"**/{url_part}/")
        assert page.evaluate("document.documentElement.lang") == language

    page.goto(f"{live_server.url}/r/acme/")
    page.fill("#id_reference", "1001")
    page.fill("#id_identity", "1012 AB")
    next_step("case")
    page.check("#case-return")
    next_step("items")
    page.locator("main select").first.select_option("1")
    next_step("details")
    page.locator("main select").first.select_option("too_small")
    next_step("resolution")
    page.check("#resolution-refund")
    next_step("method")
    page.check("#method-drop_off")
    next_step("review")
    assert page.get_by_text(cost_label).first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, f"{language}-06-review")
    next_step("confirmation")
    rma = page.get_by_test_id("rma").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=download_label).click()
    with open(download_info.value.path(), "rb") as handle:
        found = decode_pdf(handle.read())
    assert found["Code128"] == rma
    assert "/r/acme/s/" in found["QRCode"]
    shot(page, f"{language}-07-confirmation")
    context.close()
