"""Language: the consumer's choice, else the order's, else the browser's, else the shop's."""

from __future__ import annotations

import pytest

HEADINGS = {
    "en": "Return an item to Acme",
    "nl": "Een artikel retourneren aan Acme",
    "de": "Einen Artikel an Acme zurücksenden",
    "pl": "Zwróć produkt do Acme",
    "sv": "Returnera en vara till Acme",
}


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_the_portal_speaks_the_browsers_language(client, tenant, language):
    page = client.get("/r/acme/", HTTP_ACCEPT_LANGUAGE=f"{language};q=0.9")
    text = page.content.decode()
    assert HEADINGS[language] in text
    assert f'<html lang="{language}">' in text


def test_without_a_browser_preference_the_shops_language(client, tenant):
    tenant.default_language = "sv"
    tenant.save(update_fields=["default_language"])
    assert HEADINGS["sv"] in client.get("/r/acme/").content.decode()


def test_an_unsupported_browser_language_falls_back_to_the_shop(client, tenant):
    assert HEADINGS["en"] in client.get("/r/acme/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_the_orders_language_wins_over_the_browser(wizard, order):
    wizard.lookup(HTTP_ACCEPT_LANGUAGE="de")
    page = wizard.client.get("/r/acme/case/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Wat wil je doen?" in page


def test_the_switcher_wins_over_everything(wizard, order):
    wizard.lookup()
    response = wizard.client.post("/r/acme/language/", {"language": "pl", "next": "/r/acme/case/"})
    assert response["Location"] == "/r/acme/case/"
    assert "Co chcesz zrobić?" in wizard.client.get("/r/acme/case/").content.decode()
