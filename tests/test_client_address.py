"""Client address and scheme: believed from trusted proxies only; sign-in throttling uses it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory

from returns_platform.proxies import TrustedProxyMiddleware, resolve_client_address

PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _through_middleware(settings, *, peer: str, **headers):
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        seen["secure"] = request.is_secure()
        seen["forwarded_for"] = request.META.get("HTTP_X_FORWARDED_FOR")
        return HttpResponse()

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = RequestFactory().get("/", REMOTE_ADDR=peer, **headers)
    TrustedProxyMiddleware(view)(request)
    return seen


def test_without_trusted_proxies_the_peer_is_the_client():
    assert resolve_client_address(peer="203.0.113.9", forwarded_for="1.2.3.4", trusted=[]) == (
        "203.0.113.9"
    )


@pytest.mark.parametrize(
    ("forwarded_for", "client"),
    [
        ("198.51.100.7", "198.51.100.7"),
        # The client's own entries (left of what our proxy appended) are ignored.
        ("6.6.6.6, 7.7.7.7, 198.51.100.7", "198.51.100.7"),
        # Two of our proxies in a row: the right-most untrusted hop is the client.
        ("6.6.6.6, 198.51.100.7, 10.1.2.3", "198.51.100.7"),
        # Garbage behind our proxy: the nearest known address stands in.
        ("not-an-address", PROXY),
        ("", PROXY),
    ],
)
def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client(forwarded_for, client):
    resolved = resolve_client_address(
        peer=PROXY, forwarded_for=forwarded_for, trusted=["10.0.0.0/8"]
    )
    assert resolved == client


def test_an_untrusted_peer_cannot_claim_https_or_another_address(settings):
    settings.TRUSTED_PROXIES = []
    seen = _through_middleware(
        settings,
        peer="203.0.113.9",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert seen == {"address": "203.0.113.9", "secure": False, "forwarded_for": None}


def test_a_trusted_proxy_is_believed(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    seen = _through_middleware(
        settings,
        peer=PROXY,
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert seen == {"address": "198.51.100.7", "secure": True, "forwarded_for": None}


def test_a_rotating_forwarded_for_does_not_lift_the_portal_limit(settings, tenant):
    """Without a trusted proxy, X-Forwarded-For is ignored: 10 look-ups, then 429."""
    settings.TRUSTED_PROXIES = []
    client = Client(REMOTE_ADDR="203.0.113.7")
    codes = [
        client.post(
            "/r/acme/",
            {"reference": f"9{attempt}", "identity": "1 AA"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
        ).status_code
        for attempt in range(12)
    ]
    assert codes == [200] * 10 + [429, 429]


def test_clients_behind_the_trusted_proxy_are_counted_apart(settings, tenant):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR=PROXY)
    for attempt in range(10):
        response = proxy.post(
            "/r/acme/",
            {"reference": f"9{attempt}", "identity": "1 AA"},
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
        assert response.status_code == 200
    blocked = proxy.post(
        "/r/acme/", {"reference": "1", "identity": "1 AA"}, HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    other = proxy.post(
        "/r/acme/", {"reference": "1", "identity": "1 AA"}, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert (blocked.status_code, other.status_code) == (429, 200)


def _sign_in(client: Client, username: str, password: str):
    return client.post("/backoffice/login/", {"username": username, "password": password})


@pytest.fixture
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.usefixtures("_fast_hashing")
def test_failures_from_elsewhere_do_not_lock_a_colleague_out(settings, tenant):
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert _sign_in(attacker, "admin@acme.example", "wrong").status_code in {200, 429}
    assert _sign_in(attacker, "admin@acme.example", "pw-acme").status_code == 429
    colleague = Client(REMOTE_ADDR="198.51.100.20")
    response = _sign_in(colleague, "admin@acme.example", "pw-acme")
    assert response.status_code == 302
    assert response["Location"] == "/backoffice/"


@pytest.mark.usefixtures("_fast_hashing")
def test_password_spraying_from_one_address_is_throttled(settings, tenant):
    settings.LOGIN_FAILURES_PER_ADDRESS = 10
    sprayer = Client(REMOTE_ADDR="203.0.113.77")
    for number in range(10):
        response = _sign_in(sprayer, f"user{number}@acme.example", "Winter2026!")
        assert response.status_code == 200  # the form again, "please enter a correct ..."
    # Over the limit: even the right password of a real account is refused from there.
    refused = _sign_in(sprayer, "admin@acme.example", "pw-acme")
    assert refused.status_code == 200
    assert "_auth_user_id" not in sprayer.session
    # The same account from another address signs in.
    elsewhere = Client(REMOTE_ADDR="198.51.100.21")
    assert _sign_in(elsewhere, "admin@acme.example", "pw-acme").status_code == 302
