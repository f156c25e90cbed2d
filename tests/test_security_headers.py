"""Content-Security-Policy, Permissions-Policy and no-store on staff pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_every_page_carries_a_policy_without_inline_scripts(client, tenant):
    response = client.get("/r/acme/")
    directives = _directives(response)
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "camera=(self)" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_no_template_uses_inline_handlers_or_unnonced_inline_scripts():
    """Inline event handlers cannot carry a nonce: the policy would block them silently."""
    offenders = []
    for directory in TEMPLATE_DIRS:
        for template in directory.rglob("*.html"):
            text = template.read_text(encoding="utf-8")
            if INLINE_HANDLER.search(text):
                offenders.append(f"{template.relative_to(ROOT)}: inline event handler")
            for tag in SCRIPT_TAG.findall(text):
                if "src=" not in tag and "request.csp_nonce" not in tag:
                    offenders.append(f"{template.relative_to(ROOT)}: inline script without nonce")
    assert offenders == []


def test_signed_in_pages_are_not_stored(client, tenant):
    client.post("/backoffice/login/", {"username": "admin@acme.example", "password": "pw-acme"})
    response = client.get("/backoffice/")
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


@pytest.mark.parametrize("secure", [True, False])
def test_language_cookie_follows_the_secure_setting(settings, tenant, secure):
    settings.LANGUAGE_COOKIE_SECURE = secure
    client = Client()
    client.post("/backoffice/login/", {"username": "admin@acme.example", "password": "pw-acme"})
    response = client.post("/backoffice/language/", {"language": "nl"})
    cookie = response.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert bool(cookie["secure"]) is secure
    assert cookie["httponly"]
