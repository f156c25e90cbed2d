"""The production build is the tested build: a fresh copy of the sources, a fresh virtual
environment from requirements.lock, the Dockerfile's own build script (deploy/build.sh),
DEBUG=false and gunicorn. Then a Polish portal page, a Swedish mail and a German credit
note must come out in their languages (the catalogues are build output, so a build that
skipped compiling them would serve English).

The virtual environment is installed with uv from its cache, as `make install` does, so
the test costs about a minute, most of it the migrations of the fresh database.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
RUNTIME_SECRET_KEY = "production-build-test-key-0123456789abcdefghijklmnopqrstuvwxyz"
RUN_SETTINGS = {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "MEDIA_ROOT"}
RUNTIME_FIELD_KEY = "cHJvZHVjdGlvbi1idWlsZC10ZXN0LWtleS0wMTIzNDU="


def source_files() -> list[str]:
    """What `docker build` copies: the sources, without the ignored build output."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def build_database_url() -> str:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_build"))


def recreate_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command: list[str], *, cwd: Path, env: dict) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def get(url: str, **headers: str) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read().decode()


def test_dockerfile_runs_the_build_script_and_ignores_build_output():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "gunicorn returns_platform.wsgi:application --config deploy/gunicorn.conf.py" in compose
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "RUN pip install --no-cache-dir -r requirements.lock" in dockerfile
    assert "RUN sh deploy/build.sh" in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", "var", "**/*.mo"} <= set(ignored)


@pytest.mark.postgres
def test_the_production_build_serves_translated_pages_mails_and_documents(tmp_path):
    database_url = build_database_url()
    app = tmp_path / "app"
    for name in source_files():
        target = app / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    assert not list(app.rglob("*.mo")), "compiled catalogues must not be copied in"

    # A fresh virtual environment from the lock (uv's cache keeps this fast).
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert uv, "uv is installed by `make install`"
    venv = tmp_path / "venv"
    # The machine's environment (package index, certificates, uv's cache) without the
    # test run's own settings.
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in RUN_SETTINGS and not name.startswith(("DJANGO_", "PYTEST_"))
    }
    env["PATH"] = f"{venv / 'bin'}:{os.environ['PATH']}"
    env.pop("VIRTUAL_ENV", None)
    run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], cwd=app, env=env)
    run(
        [
            uv,
            "pip",
            "install",
            "--quiet",
            "--python",
            str(venv / "bin" / "python"),
            "-r",
            "requirements.lock",
        ],
        cwd=app,
        env=env,
    )

    # The Dockerfile's build step, as it runs it.
    run(["sh", "deploy/build.sh"], cwd=app, env=env)
    assert (app / "portal" / "locale" / "pl" / "LC_MESSAGES" / "django.mo").exists()
    manifest = json.loads((app / "var" / "static" / "staticfiles.json").read_text())

    # The container's environment: DEBUG off, real secrets, tasks in process (no Redis).
    recreate_database(database_url)
    runtime = {
        **env,
        "DJANGO_SETTINGS_MODULE": "returns_platform.settings",
        "DEBUG": "false",
        "SECRET_KEY": RUNTIME_SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": RUNTIME_FIELD_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECURE_SSL_REDIRECT": "false",  # TLS ends at the proxy in front of gunicorn
    }
    run(["python", "manage.py", "migrate", "--no-input"], cwd=app, env=runtime)
    check = "from tests.build_check import main; main()"
    received = json.loads(
        run(["python", "manage.py", "shell", "-c", check], cwd=app, env=runtime)
        .strip()
        .splitlines()[-1]
    )

    port = free_port()
    # The web service's command in docker-compose.yml, with its gunicorn settings.
    server = subprocess.Popen(
        ["gunicorn", "returns_platform.wsgi:application", "--config", "deploy/gunicorn.conf.py"],
        cwd=app,
        env={**runtime, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                get(base + "/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.2)
        status, headers, page = get(base + f"/r/{received['slug']}/", **{"Accept-Language": "pl"})
        hashed = manifest["paths"]["portal/portal.css"]
        static_status, _, _ = get(base + settings.STATIC_URL + hashed)
    finally:
        server.terminate()
        server.wait(timeout=30)

    # A Polish portal page.
    assert status == 200 and headers["Content-Language"] == "pl"
    assert "Znajdź moje zamówienie" in page, page[:2000]
    assert static_status == 200
    # A Swedish mail (the customer's confirmation of the request).
    assert received["mail_subject"].startswith("Vi har tagit emot din returbegäran"), received
    assert received["mail_text"].startswith("Hej"), received
    # A German credit note.
    assert "Gutschrift" in received["credit_note_text"]
    assert "Kulanz" in received["credit_note_text"]
    assert "Credit note" not in received["credit_note_text"]
