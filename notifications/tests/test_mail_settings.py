"""Which mail backend the environment chooses, checked in a fresh process per profile."""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from testing.notifications import Inbox, free_port

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
SHOW = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({name: str(getattr(settings, name, '')) for name in ("
    "'EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS', 'CELERY_TASK_ALWAYS_EAGER')}"
    " | {'DB': settings.DATABASES['default']['ENGINE']}))"
)


def embedded_env(tmp_path, **extra) -> dict:
    """The embedded profile: none of the production services configured."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "ANYMAIL_ESP", "EMAIL_URL"}
    }
    env.update(DJANGO_SETTINGS_MODULE="returns_platform.settings", VAR_DIR=str(tmp_path), **extra)
    return env


def settings_in(env: dict) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_mode_without_email_url_keeps_mail_as_files(tmp_path):
    chosen = settings_in(embedded_env(tmp_path))
    assert chosen["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert chosen["CELERY_TASK_ALWAYS_EAGER"] == "True"
    assert chosen["DB"] == "django.db.backends.sqlite3"


def test_email_url_switches_the_embedded_mode_to_smtp(tmp_path):
    chosen = settings_in(
        embedded_env(tmp_path, EMAIL_URL="smtp://127.0.0.1:1025", ANYMAIL_ESP="postmark")
    )
    assert chosen == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": "1025",
        "EMAIL_USE_TLS": "False",
        "CELERY_TASK_ALWAYS_EAGER": "True",  # still the embedded profile
        "DB": "django.db.backends.sqlite3",
    }


def test_anymail_esp_is_chosen_from_the_environment(tmp_path):
    chosen = settings_in(embedded_env(tmp_path, ANYMAIL_ESP="mailgun"))
    assert chosen["EMAIL_BACKEND"] == "anymail.backends.mailgun.EmailBackend"


def test_a_local_mail_catcher_receives_mail_from_the_embedded_mode(tmp_path):
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        env = embedded_env(tmp_path, EMAIL_URL=f"smtp://127.0.0.1:{controller.port}")
        result = subprocess.run(
            [sys.executable, MANAGE, "sendtestemail", "jan@example.nl"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=settings.BASE_DIR,
        )
        assert result.returncode == 0, result.stderr
        deadline = time.monotonic() + 10
        while not inbox.envelopes and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["jan@example.nl"]
    assert email.message_from_bytes(envelope.original_content)["Subject"].startswith(
        "Test email from"
    )
    assert not (tmp_path / "mail").exists() or not any((tmp_path / "mail").iterdir())


@pytest.mark.parametrize("esp", ["sparkpost-typo"])
def test_an_unknown_esp_stops_the_start(tmp_path, esp):
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        env=embedded_env(tmp_path, ANYMAIL_ESP=esp),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0 and "ANYMAIL_ESP must be one of" in result.stderr
