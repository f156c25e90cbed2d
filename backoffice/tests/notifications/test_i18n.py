"""The notifications back office speaks Dutch to a Dutch staff user; the mails do not move."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import trans_real

import notifications
from backoffice.tests.notifications.helpers import BASE, EDIT, client_for, queue_mails
from notifications.models import OutboxMessage, OutboxStatus
from notifications.rendering import render_mail
from notifications.samples import sample_context
from notifications.tests.test_mails import return_data
from returns_platform.tenancy import tenant_context
from tenants.models import Role

pytestmark = pytest.mark.django_db

CATALOGUE = Path(notifications.__file__).resolve().parent / "locale/nl/LC_MESSAGES/django.po"
DUTCH = {"HTTP_ACCEPT_LANGUAGE": "nl"}


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogues():
    """The *.mo files are build output (``make install``); make sure they are current."""
    call_command("compile_catalogs", verbosity=0)
    trans_real._translations = {}
    trans_real._default = None
    yield


@pytest.fixture
def admin(shop):
    return client_for(shop, "admin@acme.example")


@pytest.fixture
def agent(shop):
    return client_for(shop, "agent@acme.example", Role.AGENT)


def heading(page: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", page, re.S).group(1).strip()


def test_the_notifications_page_is_dutch_for_a_dutch_user_and_english_otherwise(agent):
    dutch = agent.get(BASE, **DUTCH).content.decode()
    assert '<html lang="nl">' in dutch
    assert heading(dutch) == "Meldingen"
    assert "Elke mail aan klanten en aan de winkel" in dutch
    assert "Geen mislukte mails." in dutch

    english = agent.get(BASE).content.decode()
    assert heading(english) == "Notifications"
    assert "No failed mails." in english


def test_a_user_who_chose_dutch_in_the_back_office_gets_dutch_notification_pages(agent):
    response = agent.post("/backoffice/language/", {"language": "nl"})
    assert response.status_code == 302
    page = agent.get(BASE + "mails/").content.decode()  # no Accept-Language: the choice
    assert heading(page) == "Maillogboek"
    agent.post("/backoffice/language/", {"language": "en"})
    assert heading(agent.get(BASE + "mails/").content.decode()) == "Mail log"


def test_the_mail_log_is_dutch_but_the_mails_keep_the_customer_language(agent, shop):
    [failed] = queue_mails(shop, 2, language="en")[:1]
    with tenant_context(shop):
        OutboxMessage.objects.filter(pk=failed.pk).update(
            status=OutboxStatus.FAILED, attempts=3, last_error="550 mailbox unavailable"
        )
    page = agent.get(BASE + "mails/", **DUTCH).content.decode()

    assert heading(page) == "Maillogboek"
    for text in ("Aan", "Laatste fout", "Bestelling / retour", "Elke status", "In de wachtrij"):
        assert text in page
    assert "Ontvanger, bestelling of RMA" in page  # a form label
    assert '<tr data-status="failed">' in page
    assert 'Mislukt <span class="muted">(3 pogingen)</span>' in page  # choices, plural
    assert "Retour ontvangen · EN" in page  # the mail's name on the screen
    # The mail itself is what the customer got: English, not the screen's Dutch.
    assert "We have received your return R-000042" in page

    detail = agent.get(f"{BASE}mails/{failed.pk}/", **DUTCH).content.decode()
    assert "Opnieuw versturen" in detail
    assert "Mislukt · 3 pogingen" in detail


def test_templates_and_their_errors_are_dutch(admin):
    page = admin.get(BASE + "templates/", **DUTCH).content.decode()
    assert heading(page) == "Mailsjablonen"
    assert "Retour goedgekeurd" in page
    assert "Bericht van de klant (aan de winkel)" in page
    assert ">standaard<" in page

    edit = admin.get(EDIT, **DUTCH).content.decode()
    assert "Dit is de standaardtekst." in edit
    assert "Onderwerp" in edit and "Opslaan" in edit
    # The preview shows the default English mail, untouched by the screen language.
    assert "We have received your return R-000123" in edit

    response = admin.post(
        EDIT, {"subject": "x", "body": "{% load secrets %}", "action": "save"}, **DUTCH
    )
    assert response.status_code == 422
    refused = response.content.decode()
    assert "Het sjabloon voor de tekst bevat een fout op regel 1" in refused
    assert "is niet toegestaan in mailsjablonen" in refused


def test_webhook_screens_and_their_errors_are_dutch(admin):
    page = admin.get(BASE + "webhooks/", **DUTCH).content.decode()
    assert heading(page) == "Webhooks"
    assert "Abonnement toevoegen" in page
    assert "Alle gebeurtenissen" in page

    response = admin.post(
        BASE + "webhooks/", {"url": "http://127.0.0.1/hook", "events": ["*"]}, **DUTCH
    )
    assert response.status_code == 422
    assert "verwijst naar een intern adres (127.0.0.1)" in response.content.decode()


def test_mail_texts_do_not_follow_the_active_language(shop, publish, mailbox):
    with translation.override("nl"):
        for language, subject in (
            ("en", "We have received your return R-000123"),
            ("de", "Wir haben Ihre Rücksendung R-000123 erhalten"),
        ):
            rendered = render_mail(
                event="return.received",
                language=language,
                context=sample_context("return.received", shop, language),
            )
            assert rendered.subject == subject
        publish("return.received", data=return_data("en"))
    assert [m.subject for m in mailbox] == ["We have received your return R-000042"]


def test_the_dutch_catalogue_is_complete_and_keeps_every_placeholder():
    catalogue = polib.pofile(str(CATALOGUE))
    assert len(catalogue) > 100
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    placeholder = re.compile(r"%\(\w+\)s|\{[^{}]*\}")
    for entry in catalogue.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(placeholder.findall(text)) == sorted(placeholder.findall(entry.msgid))
