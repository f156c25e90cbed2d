"""gunicorn as deployed (deploy/gunicorn.conf.py) never writes a credential to its access log."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_access_log_has_no_query_string_and_no_basic_user(tmp_path):
    port = _free_port()
    log = tmp_path / "access.log"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESS_LOG": str(log),
        "VAR_DIR": str(tmp_path / "var"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "returns_platform.wsgi:application",
            "--config",
            "deploy/gunicorn.conf.py",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        secret = "rp_leak0000_do-not-log-this-secret"
        basic = base64.b64encode(f"{secret}:x".encode()).decode()
        url = f"http://127.0.0.1:{port}/healthz?api_key={secret}"
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(url, headers={"Authorization": f"Basic {basic}"})
                with urllib.request.urlopen(request, timeout=5) as response:
                    assert response.status == 200
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        for _ in range(50):
            if log.exists() and "/healthz" in log.read_text():
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    written = log.read_text()
    assert '"GET /healthz HTTP/1.1" 200' in written
    assert secret not in written and "api_key" not in written
