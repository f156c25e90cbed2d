"""Staff screens in English and Dutch."""

from __future__ import annotations

import pytest
from django.conf import settings

from testing.staff import client_for

pytestmark = pytest.mark.django_db


def test_switching_to_dutch(shop, agent):
    client = client_for(agent)
    assert "Request queue" in client.get("/backoffice/queue/").content.decode()
    switched = client.post(
        "/backoffice/language/", {"language": "nl", "next": "/backoffice/queue/"}
    )
    assert switched.url == "/backoffice/queue/"
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    page = client.get("/backoffice/queue/").content.decode()
    assert "Wachtrij aanvragen" in page and "Aangevraagd" in page
    detail = client.get("/backoffice/requests/R-000001/").content.decode()
    assert "Voorbeeld terugbetaling" in detail and "Goedkeuren" in detail
    # An unknown language or a foreign "next" changes nothing and stays on the site.
    response = client.post(
        "/backoffice/language/", {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.url == "/backoffice/"


def test_a_held_request_refusal_reads_in_dutch(shop, agent, colleague):
    client_for(agent).post("/backoffice/requests/R-000001/transition/", {"to": "on_hold"})
    other = client_for(colleague)
    other.post("/backoffice/language/", {"language": "nl"})
    page = other.post(
        "/backoffice/requests/R-000001/transition/", {"to": "approved"}, follow=True
    ).content.decode()
    assert "R-000001 staat in de wacht bij agent@acme.example" in page


def test_every_dutch_message_is_translated():
    import polib

    from backoffice import __file__ as package

    catalogue = polib.pofile(package.replace("__init__.py", "locale/nl/LC_MESSAGES/django.po"))
    assert catalogue.percent_translated() == 100
    assert not [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
