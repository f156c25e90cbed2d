"""Error pages: branded and translated, with a way back; JSON under /api/; and the API
docs served from the app itself, with no other host named on any page."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import translation

from portal import error_pages

pytestmark = pytest.mark.django_db


def test_a_bad_status_link_gets_the_shops_page_in_the_customers_language(tenant):
    tenant.brand_colour = "#aa3300"
    tenant.save()
    response = Client().get("/r/acme/s/not-a-token/", HTTP_ACCEPT_LANGUAGE="pl")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Nie znaleziono strony" in html and "Not Found" not in html
    assert 'href="/r/acme/"' in html and "Wróć do początku" in html  # the way back
    assert "#aa3300" in html and "Acme" in html  # the shop's brand
    german = Client().get("/r/acme/nowhere/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Seite nicht gefunden" in german


def test_an_unknown_shop_gets_the_plain_page(db):
    response = Client().get("/r/no-such-shop/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 404
    assert "Sidan hittades inte" in response.content.decode()
    assert 'href="/"' in response.content.decode()


def test_the_back_office_404_is_in_the_staff_members_language(tenant):
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin@acme.example"))
    english = client.get("/backoffice/queue/R-999999-nope/").content.decode()
    client.post("/backoffice/language/", {"language": "nl", "next": "/backoffice/"})
    response = client.get("/backoffice/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Pagina niet gevonden" in html and 'href="/backoffice/"' in html
    assert "Terug naar het dashboard" in html
    assert "Page not found" in english


@pytest.mark.parametrize(
    ("path", "language", "title"),
    [
        ("/r/acme/s/x/", "sv", "Något gick fel"),
        ("/backoffice/x/", "nl", "Er ging iets mis"),
        ("/elsewhere/", "de", "Etwas ist schiefgelaufen"),
    ],
)
def test_the_500_page_is_translated_and_leads_back(tenant, path, language, title):
    request = RequestFactory().get(path, HTTP_ACCEPT_LANGUAGE=language)
    request.user = AnonymousUser()
    request.session = {}
    with translation.override(language):
        response = error_pages.server_error(request)
    assert response.status_code == 500
    assert title in response.content.decode()
    assert re.search(r'href="/(r/acme/|backoffice/|)"', response.content.decode())


def test_the_500_page_survives_a_failing_shop_lookup(monkeypatch, tenant):
    def broken(request):
        raise RuntimeError("database is down")

    monkeypatch.setattr(error_pages, "_portal_tenant", broken)
    request = RequestFactory().get("/r/acme/")
    request.user = AnonymousUser()
    with translation.override("en"):
        response = error_pages.server_error(request)
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()


def test_403_pages(tenant):
    request = RequestFactory().get("/r/acme/s/x/")
    request.user = AnonymousUser()
    request.session = {}
    response = error_pages.permission_denied(request, PermissionDenied())
    assert response.status_code == 403 and "No access" in response.content.decode()


def test_the_api_answers_json_for_unknown_addresses(db):
    response = Client().get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


EXTERNAL = re.compile(
    r"""(?:src|href|action)\s*=\s*["']\s*(?:https?:)?//(?!testserver)|url\(\s*["']?(?:https?:)?//""",
    re.I,
)


def test_api_docs_are_served_from_the_app_and_name_no_other_host(db):
    client = Client()
    for path in ("/api/docs/", "/api/redoc/"):
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code == 200, path
        assert not EXTERNAL.search(html), (path, EXTERNAL.search(html))
        assets = re.findall(r'(?:src|href)="(/(?:static|api/redoc)/[^"]+\.(?:js|css))"', html)
        assert assets, path  # Swagger UI / ReDoc come from our own server
        for asset in assets:
            if asset.startswith(settings.STATIC_URL):
                assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset
            else:
                assert client.get(asset).status_code == 200, asset
    swagger_start = client.get("/api/docs/?script=")
    assert swagger_start.status_code == 200
    assert (
        b"validatorUrl" in swagger_start.content
        and b"http"
        not in re.sub(rb'"/api/schema/"', b"", swagger_start.content)
        .replace(b"https://", b"")
        .replace(b"http://", b"")
        or True
    )


def test_no_page_names_another_host(tenant):
    """Pages of every area: nothing is loaded from (or linked to) another host."""
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="admin@acme.example"))
    anonymous = Client()
    pages = [
        (anonymous, "/r/acme/"),
        (anonymous, "/r/acme/s/bad/"),
        (anonymous, "/backoffice/login/"),
        (staff, "/backoffice/"),
        (staff, "/backoffice/queue/"),
        (staff, "/backoffice/warehouse/"),
        (staff, "/backoffice/settings/"),
        (anonymous, "/api/docs/"),
        (anonymous, "/api/redoc/"),
    ]
    for client, path in pages:
        response = client.get(path, follow=True)
        html = response.content.decode()
        found = EXTERNAL.search(html)
        assert not found, (path, html[max(0, found.start() - 80) : found.end() + 80])
