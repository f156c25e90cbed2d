"""Settings fail loudly; the production profile passes Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3J9-q8Zr!vT2m#Lw6yP0sXe4Hn7bUc1aGd5fQi8oRt2jKl9Vz",
    "ALLOWED_HOSTS": "returns.example.com",
    "DATABASE_URL": "postgres://app:secret@db.example.com:5432/returns",
    "REDIS_URL": "redis://redis.example.com:6379/0",
    "ANYMAIL_ESP": "postmark",
    "POSTMARK_SERVER_TOKEN": "token",
    "FIELD_ENCRYPTION_KEYS": "aDfKXx5N0d5QkS1Kc2l6b0i1y8a0yQ7m7zRrVqJ8Z3E=",
}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DEBUG",
            "SECRET_KEY",
            "FIELD_ENCRYPTION_KEYS",
            "EMAIL_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by browser tests only; never in deployment
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_profile_passes_deploy_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def _setting_values(*names: str, env: dict) -> list[str]:
    code = "from django.conf import settings; " + "; ".join(
        f"print(repr(getattr(settings, {name!r}, None)))" for name in names
    )
    result = _manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-len(names) :]


def test_production_trusts_no_proxy_unless_told():
    names = ("TRUSTED_PROXIES", "SECURE_PROXY_SSL_HEADER")
    assert _setting_values(*names, env=PRODUCTION) == ["[]", "None"]
    behind = {**PRODUCTION, "TRUSTED_PROXIES": "172.16.0.0/12, 10.0.0.1"}
    assert _setting_values(*names, env=behind) == [
        "['172.16.0.0/12', '10.0.0.1/32']",
        "('HTTP_X_FORWARDED_PROTO', 'https')",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "at least 50 characters"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"ANYMAIL_ESP": "pigeon"}, "ANYMAIL_ESP must be one of"),
        ({"DATABASE_CONN_MAX_AGE": "ten"}, "ten"),
        ({"TRUSTED_PROXIES": "10.0.0.0/33"}, "TRUSTED_PROXIES must list CIDRs"),
        ({"FIELD_ENCRYPTION_KEYS": ""}, "FIELD_ENCRYPTION_KEYS must be set"),
        ({"FIELD_ENCRYPTION_KEYS": "not-a-key"}, "FIELD_ENCRYPTION_KEYS must hold Fernet keys"),
    ],
)
def test_bad_settings_fail_loudly(change, message):
    result = _manage("check", env={**PRODUCTION, **change})
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.django_db
def test_healthz_and_readyz(client, settings):
    assert client.get("/healthz").json() == {"status": "ok"}
    settings.REDIS_URL = ""
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok"}
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    down = client.get("/readyz")
    assert down.status_code == 503 and down.json()["checks"]["redis"].startswith("error")


@pytest.mark.redis
@pytest.mark.django_db
def test_readyz_and_cache_with_real_redis(client):
    from django.core.cache import cache

    body = client.get("/readyz").json()
    assert body == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
    cache.set("probe", {"n": 1}, 30)
    assert cache.get("probe") == {"n": 1}
    from django.core.cache import caches

    assert caches["default"].__class__.__name__ == "ResilientRedisCache"


def test_pdf_font_subsetting_does_not_flood_the_log():
    """WeasyPrint subsets fonts with fontTools, which logs every glyph list at INFO: with
    the root logger at INFO each label or credit note wrote hundreds of lines."""
    import logging

    for name in ("fontTools", "fontTools.subset", "fontTools.ttLib.ttFont"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO)
    assert logging.getLogger("fontTools.subset").isEnabledFor(logging.WARNING)
