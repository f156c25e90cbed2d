"""The start page comes from a per-process cache: the same page, the request's own token."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client, RequestFactory

from portal import startpage

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LANGUAGES = ("en", "nl", "de", "pl", "sv")


def _without_token(page: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="-"', page)


def _rendered(path: str, monkeypatch, **headers) -> tuple[str, dict]:
    """The page as the view renders it without the cache."""
    with monkeypatch.context() as patch:
        patch.setattr(startpage, "cacheable", lambda request: False)
        response = Client().get(path, **headers)
    return response.content.decode(), dict(response.headers)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/r/acme/", "/r/acme/?utm_source=mail&x=%3Cb%3E%22"])
def test_the_cached_page_is_the_rendered_page(tenant, monkeypatch, path):
    for language in LANGUAGES:
        headers = {"HTTP_ACCEPT_LANGUAGE": language}
        expected, expected_headers = _rendered(path, monkeypatch, **headers)
        client = Client()
        client.get(path, **headers)  # fills the cache
        assert startpage._pages
        response = client.get(path, **headers)
        page = response.content.decode()
        assert f'<html lang="{language}">' in page
        assert _without_token(page) == _without_token(expected)
        assert {k: v for k, v in response.headers.items() if k != "Set-Cookie"} == {
            k: v for k, v in expected_headers.items() if k != "Set-Cookie"
        }
    assert len(startpage._pages) == len(LANGUAGES)


@pytest.mark.django_db
def test_the_language_switcher_returns_to_this_requests_address(client, tenant):
    client.get("/r/acme/")
    page = client.get("/r/acme/?campaign=%22x%22%3E").content.decode()
    assert '<input type="hidden" name="next" value="/r/acme/?campaign=%22x%22%3E">' in page
    # A query string as a browser may send it: escaped like any template value.
    page = client.get("/r/acme/", QUERY_STRING="a=1&b='x'\"<").content.decode()
    assert (
        '<input type="hidden" name="next" value="/r/acme/?a=1&amp;b=&#x27;x&#x27;%22%3C">' in page
    )


@pytest.mark.django_db
def test_each_request_gets_its_own_token_and_it_is_accepted(order):
    first = Client(enforce_csrf_checks=True)
    first.get("/r/acme/")
    client = Client(enforce_csrf_checks=True)
    response = client.get("/r/acme/")
    tokens = TOKEN.findall(response.content.decode())
    assert len(tokens) == 2 and tokens[0] == tokens[1]
    assert startpage.CSRF_MARK not in response.content.decode()
    assert "csrftoken" in response.cookies
    assert tokens[0] not in first.get("/r/acme/").content.decode()
    found = client.post(
        "/r/acme/",
        {"reference": "1001", "identity": "1012 AB", "csrfmiddlewaretoken": tokens[0]},
    )
    assert found.status_code == 302 and found["Location"] == "/r/acme/case/"
    refused = Client(enforce_csrf_checks=True).post(
        "/r/acme/", {"reference": "1001", "identity": "1012 AB", "csrfmiddlewaretoken": tokens[0]}
    )
    assert refused.status_code == 403


@pytest.mark.django_db
def test_waiting_messages_are_shown(client, tenant):
    client.get("/r/acme/")
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Message for you")])
    page = client.get("/r/acme/").content.decode()
    assert '<li class="message success">Message for you</li>' in page
    assert "Message for you" not in client.get("/r/acme/").content.decode()


@pytest.mark.django_db
def test_two_shops_two_pages(client, tenant):
    from testing.tenants import make_tenant

    make_tenant("globex", brand_colour="#00aa00")
    for _ in range(2):
        acme = client.get("/r/acme/").content.decode()
        globex = client.get("/r/globex/").content.decode()
        assert "Return an item to Acme" in acme and "--brand: #1f4b99;" in acme
        assert "Return an item to Globex" in globex and "--brand: #00aa00;" in globex
