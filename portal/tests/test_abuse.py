"""Abuse resistance: rate limits, indistinguishable failures, CSRF, tokens, isolation."""

from __future__ import annotations

import pytest
from django.test import Client

from portal import ratelimit
from returns.models import ReturnRequest
from returns_platform.tenancy import tenant_context
from testing.portal import Wizard, make_order, returns_of, token_of, without_csrf
from testing.returns import file_return
from testing.tenants import make_tenant


def test_a_wrong_postcode_and_an_unknown_order_get_the_same_answer(wizard, order):
    wrong_postcode = wizard.lookup("1001", "9999 ZZ")
    unknown_order = wizard.lookup("5555", "9999 ZZ")
    assert wrong_postcode.status_code == unknown_order.status_code == 200
    first = without_csrf(wrong_postcode.content).replace("1001", "NUMBER")
    second = without_csrf(unknown_order.content).replace("5555", "NUMBER")
    assert first == second
    assert "Order 1001" not in first and "Jan" not in first
    assert wizard.client.get("/r/acme/case/")["Location"] == "/r/acme/"


def test_a_wrong_email_is_refused_like_a_wrong_postcode(wizard, order):
    response = wizard.lookup("1001", "someone@example.nl")
    assert response.status_code == 200
    assert wizard.client.get("/r/acme/case/")["Location"] == "/r/acme/"


def test_lookups_are_limited_per_address(order):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for attempt in range(ratelimit.LOOKUPS_PER_IP.count):
        response = client.post("/r/acme/", {"reference": f"9{attempt}", "identity": "1 AA"})
        assert response.status_code == 200
    response = client.post("/r/acme/", {"reference": "1001", "identity": "1012 AB"})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "wait a few minutes" in response.content.decode()
    # Even the right details are refused while limited; another address is not limited.
    other = Client(REMOTE_ADDR="203.0.113.8")
    assert other.post("/r/acme/", {"reference": "1001", "identity": "1012 AB"}).status_code == 302


def test_lookups_are_limited_per_order_number_across_addresses(order):
    for attempt in range(ratelimit.LOOKUPS_PER_ORDER.count):
        client = Client(REMOTE_ADDR=f"198.51.100.{attempt + 1}")
        assert client.post("/r/acme/", {"reference": "1001", "identity": "0000"}).status_code == 200
    client = Client(REMOTE_ADDR="198.51.100.200")
    response = client.post("/r/acme/", {"reference": "1001", "identity": "1012 AB"})
    assert response.status_code == 429


def test_the_fixed_window_resets_in_the_next_period():
    limit = ratelimit.Limit("test", 2, 60)
    assert ratelimit.hit(limit, "x", now=120.0)
    assert ratelimit.hit(limit, "x", now=150.0)
    assert not ratelimit.hit(limit, "x", now=179.0)
    assert ratelimit.hit(limit, "x", now=180.0)  # a new window


@pytest.mark.parametrize(
    "path",
    ["/r/acme/", "/r/acme/case/", "/r/acme/language/", "/r/acme/restart/"],
)
def test_every_form_needs_its_csrf_token(order, path):
    client = Client(enforce_csrf_checks=True)
    assert client.post(path, {"reference": "1001", "identity": "1012 AB"}).status_code == 403


def test_the_lookup_form_carries_a_csrf_token(client, order):
    assert 'name="csrfmiddlewaretoken"' in client.get("/r/acme/").content.decode()


@pytest.fixture
def filed(tenant, order):
    with tenant_context(tenant):
        created = file_return(order)
        return created, created.access_token()


def test_the_status_page_needs_a_valid_token_of_this_shop(client, tenant, filed):
    created, token = filed
    assert client.get(f"/r/acme/s/{token}/").status_code == 200
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert client.get(f"/r/acme/s/{forged}/").status_code == 404
    assert client.get(f"/r/acme/s/{created.rma}/").status_code == 404
    make_tenant("globex")
    # The same token under another shop's address finds nothing.
    assert client.get(f"/r/globex/s/{token}/").status_code == 404
    assert client.get(f"/r/globex/s/{token}/label.pdf").status_code == 404
    assert client.post(f"/r/globex/s/{token}/withdraw/").status_code == 404
    with tenant_context(tenant):
        assert ReturnRequest.objects.get(pk=created.pk).status == "requested"


def test_another_shops_order_is_never_found(client, tenant, order):
    globex = make_tenant("globex")
    make_order(globex, "2002")
    response = client.post("/r/acme/", {"reference": "2002", "identity": "1012 AB"})
    assert response.status_code == 200
    assert client.get("/r/acme/case/")["Location"] == "/r/acme/"
    # The wizard of one shop is not the wizard of another in the same browser.
    assert (
        client.post("/r/globex/", {"reference": "2002", "identity": "1012 AB"}).status_code == 302
    )
    assert client.get("/r/acme/items/")["Location"] == "/r/acme/"
    assert returns_of(tenant) == []


def test_the_session_id_changes_at_lookup(client, order):
    client.get("/r/acme/")
    client.post("/r/acme/language/", {"language": "de", "next": "/r/acme/"})
    before = client.cookies["sessionid"].value
    client.post("/r/acme/", {"reference": "1001", "identity": "1012 AB"})
    assert client.cookies["sessionid"].value != before


def test_a_first_lookup_gets_a_new_session_with_one_write(client, order):
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.cookies["sessionid"] = "chosen-by-someone-else-0123456789"  # not a session
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/r/acme/", {"reference": "1001", "identity": "1012 AB"})
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    assert key != "chosen-by-someone-else-0123456789"
    stored = Session.objects.get(session_key=key).get_decoded()
    assert stored[f"portal:order-language:{order.tenant_id}"] == "nl"
    writes = [
        query["sql"]
        for query in queries
        if 'INSERT INTO "django_session"' in query["sql"]
        or 'UPDATE "django_session"' in query["sql"]
    ]
    assert len(writes) == 1, writes


def test_language_switch_refuses_foreign_next_addresses(client, order):
    response = client.post(
        "/r/acme/language/", {"language": "de", "next": "https://evil.example/phish"}
    )
    assert response["Location"] == "/r/acme/"


def test_portal_pages_are_private_and_not_indexed(client, order):
    response = client.get("/r/acme/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_token_in_location_is_readable(filed):
    created, token = filed
    assert token_of(f"/r/acme/s/{token}/confirmation/") == token


def _at_details(tenant, order, address: str) -> tuple[Wizard, int]:
    from testing.portal import lines_of

    wizard = Wizard(Client(REMOTE_ADDR=address))
    wizard.lookup()
    wizard.case("return")
    shirt = lines_of(tenant, order)[0]
    wizard.items({shirt.pk: 1})
    return wizard, shirt.pk


def test_the_details_step_is_limited_per_address(tenant, order):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.wizard import state_load
    from testing.images import photo_bytes

    wizard, shirt = _at_details(tenant, order, "203.0.113.20")
    for _attempt in range(ratelimit.DETAILS_PER_IP.count):
        assert wizard.details({shirt: ""}).status_code == 400  # no reason chosen: the form
    photo = SimpleUploadedFile("a.png", photo_bytes("PNG"), "image/png")
    refused = wizard.details({shirt: "too_small"}, photos={shirt: [photo]})

    assert refused.status_code == 429
    assert "Te veel pogingen in korte tijd" in refused.content.decode()  # order 1001 is Dutch
    request = type("R", (), {"session": wizard.client.session})()
    assert state_load(request, tenant).all_photos() == []  # the photo was not even stored
    as_json = wizard.client.post(
        "/r/acme/details/", {f"reason_{shirt}": "too_small"}, HTTP_ACCEPT="application/json"
    )
    assert (as_json.status_code, as_json.json()["code"]) == (429, "rate_limited")
    assert as_json["Retry-After"] == "600"
    # Another address is not limited.
    other, other_shirt = _at_details(tenant, order, "203.0.113.21")
    assert other.details({other_shirt: "too_small"}).status_code == 302
