"""The fault suite's own services: a PostgreSQL, a Redis, gunicorn and Celery workers that
the tests may kill and restart, and receivers that can hold a delivery in flight.

Nothing here touches the machine's shared PostgreSQL (5432) or Redis (6379) other than
reading the migrated test database's schema with ``pg_dump``. Each service runs on a free
loopback port under a temporary directory that is removed afterwards.

The faults injected and survived are counted in ``LEDGER`` and printed at the end of the
run (``pytest_terminal_summary``, registered by the root conftest).
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import glob
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from testing.notifications import free_port

REPOSITORY = Path(__file__).resolve().parent.parent
BIN = Path(os.environ.get("VIRTUAL_ENV", REPOSITORY / ".venv")) / "bin"
if not (BIN / "celery").exists():  # the venv of the running interpreter
    import sys

    BIN = Path(sys.executable).parent


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL server binaries (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    return Path(found[-1]).parent if found else None


def _version(path: str) -> int:
    part = Path(path).parent.parent.name
    return int(part) if part.isdigit() else 0


def missing_tools() -> list[str]:
    missing = []
    if postgres_bin() is None:
        missing.append("PostgreSQL server binaries (/usr/lib/postgresql/*/bin)")
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    if not (BIN / "celery").exists() or not (BIN / "gunicorn").exists():
        missing.append("celery and gunicorn in the virtual environment")
    return missing


# --- The ledger of faults -------------------------------------------------------------


@dataclass
class Ledger:
    injected: list[str] = field(default_factory=list)
    survived: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)

    def inject(self, fault: str) -> None:
        self.injected.append(fault)

    def survive(self, fault: str) -> None:
        self.survived.append(fault)

    def note(self, figure: str) -> None:
        self.figures.append(figure)


LEDGER = Ledger()


def pytest_terminal_summary(terminalreporter):
    if not LEDGER.injected:
        return
    write = terminalreporter.write_line
    terminalreporter.section("faults")
    write(f"faults injected: {len(LEDGER.injected)}, survived: {len(LEDGER.survived)}")
    for fault in LEDGER.injected:
        mark = "survived" if fault in LEDGER.survived else "NOT survived"
        write(f"  {mark}: {fault}")
    for figure in LEDGER.figures:
        write(f"  {figure}")


# --- Processes --------------------------------------------------------------------------


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: run them as the postgres OS user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def wait_until(condition, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


class PrivatePostgres:
    """A PostgreSQL cluster of its own: initdb in a temporary directory, trust auth."""

    def __init__(self, root: Path) -> None:
        self.bin = postgres_bin()
        self.root = root / "postgres"
        self.root.mkdir()
        self.data = self.root / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/returns"

    def _ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), *args]),
            capture_output=True,
            text=True,
            check=check,
            timeout=60,
        )

    def create(self) -> None:
        subprocess.run(
            _as_postgres(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            capture_output=True,
            check=True,
            timeout=120,
        )
        self.start()
        self.psql("postgres", "CREATE DATABASE returns")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            # Durability against a crash of the server process is what is tested; the
            # machine itself does not crash, so syncing to disk is left out for speed.
            "-c fsync=off -c synchronous_commit=on -c full_page_writes=off "
            "-c max_connections=60"
        )
        self._ctl("-l", str(self.root / "log"), "-w", "-t", "60", "-o", options, "start")

    def crash(self) -> None:
        """Stop the server at once, as a crash would: open transactions are lost."""
        self._ctl("-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        self._ctl("-m", "fast", "-w", "stop", check=False)

    def psql(self, database: str, sql: str) -> str:
        result = subprocess.run(
            [str(self.bin / "psql"), "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1"]
            + ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database]
            + ["-c", sql],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return result.stdout

    def load_schema_of(self, settings_dict: dict) -> None:
        """Copy the migrated test database (schema and the rows migrations made) in here."""
        env = {**os.environ}
        if settings_dict.get("PASSWORD"):
            env["PGPASSWORD"] = settings_dict["PASSWORD"]
        dump = subprocess.run(
            [str(self.bin / "pg_dump"), "--no-owner", "--no-privileges"]
            + ["-h", settings_dict.get("HOST") or "127.0.0.1"]
            + ["-p", str(settings_dict.get("PORT") or 5432)]
            + ["-U", settings_dict.get("USER") or "postgres", settings_dict["NAME"]],
            capture_output=True,
            check=True,
            env=env,
            timeout=120,
        ).stdout
        subprocess.run(
            [str(self.bin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"]
            + ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "returns"],
            input=dump,
            capture_output=True,
            check=True,
            timeout=120,
        )

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="returns"
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            connection.close()


class PrivateRedis:
    """A redis-server of its own, configured as docker-compose.yml runs it (append-only)."""

    def __init__(self, root: Path) -> None:
        self.root = root / "redis"
        self.root.mkdir()
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--dir", str(self.root), "--appendonly", "yes", "--save", ""]
            + ["--logfile", str(self.root / "log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_until(self.answers, 20), "redis-server did not start"

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=1).ping())
        except Exception:  # noqa: BLE001 - not up (yet)
            return False

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM kill would."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


class Service:
    """A process group (a Celery worker with its children, gunicorn with its workers)."""

    def __init__(self, command: list[str], env: dict, log: Path) -> None:
        self.log = log
        with open(log, "ab") as output:
            self.process = subprocess.Popen(
                command,
                cwd=REPOSITORY,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole group: the worker and every child dies mid-task."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if not self.alive:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def launch_worker(env: dict, root: Path, name: str) -> Service:
    """``celery -A returns_platform worker`` as docker-compose.yml runs it (prefork)."""
    return Service(
        [str(BIN / "celery"), "-A", "returns_platform", "worker", "--loglevel", "INFO"]
        + ["--concurrency", "2", "--hostname", f"{name}@faults"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
        env,
        root / f"worker-{name}.log",
    )


def wait_for_worker(worker: Service) -> Service:
    assert wait_until(lambda: "ready." in worker.log_text() or not worker.alive, 60)
    assert worker.alive, worker.log_text()[-3000:]
    return worker


def start_worker(env: dict, root: Path, name: str) -> Service:
    return wait_for_worker(launch_worker(env, root, name))


def launch_gunicorn(env: dict, root: Path) -> tuple[Service, str]:
    """gunicorn with deploy/gunicorn.conf.py (two workers); (service, base URL)."""
    port = free_port()
    server = Service(
        [str(BIN / "gunicorn"), "returns_platform.wsgi:application"]
        + ["--config", "deploy/gunicorn.conf.py"],
        {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_ACCESS_LOG": str(root / "access.log"),
        },
        root / "gunicorn.log",
    )
    return server, f"http://127.0.0.1:{port}"


def wait_for_gunicorn(server: Service, base: str) -> None:
    assert wait_until(lambda: http("GET", base + "/healthz")[0] == 200, 60), server.log_text()


def children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(item) for item in path.read_text().split()} if path.exists() else set()


# --- HTTP -------------------------------------------------------------------------------


def http(method: str, url: str, body: dict | None = None, headers: dict | None = None):
    """(status, content type, parsed JSON or text); status 0 when nothing answered."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return _answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return _answer(error.code, error.headers, error.read())
    except (OSError, urllib.error.URLError) as error:
        return 0, "", str(error)


def _answer(status: int, headers, raw: bytes):
    content_type = headers.get("Content-Type", "")
    if content_type.startswith("application/json"):
        return status, content_type, json.loads(raw or b"null")
    return status, content_type, raw.decode("utf-8", "replace")


# --- Receivers that can hold a delivery in flight --------------------------------------


class HoldingInbox:
    """aiosmtpd handler: keeps each accepted message; while ``holding``, a message waits
    before it is accepted, and is dropped if its sender vanishes meanwhile (no 250 given,
    so nothing was delivered, as with a real SMTP server)."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.holding = False
        self.in_flight = 0
        self.dropped = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        if self.holding:
            self.in_flight += 1
            try:
                while self.holding:
                    await asyncio.sleep(0.05)
                    if server.transport is None or server.transport.is_closing():
                        self.dropped += 1
                        return "451 Sender went away"
            except asyncio.CancelledError:  # the connection was lost while held
                self.dropped += 1
                raise
            finally:
                self.in_flight -= 1
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=default_policy)
        )
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages]


class HoldingReceiver:
    """A webhook receiver on loopback: records each delivery it answers 200; while
    ``holding`` it waits before answering and drops a delivery whose sender vanished."""

    def __init__(self) -> None:
        self.deliveries: list[dict] = []
        self.holding = False
        self.in_flight = 0
        self.dropped = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server hook name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.holding and not receiver.hold(self.connection):
                    return
                with receiver._lock:
                    receiver.deliveries.append(
                        {"delivery": self.headers["X-Returns-Delivery"], "body": body}
                    )
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def hold(self, sock: socket.socket) -> bool:
        """Wait while holding; False when the sender closed the connection meanwhile."""
        with self._lock:
            self.in_flight += 1
        try:
            while self.holding:
                readable, _, _ = select.select([sock], [], [], 0.05)
                if readable and not sock.recv(1, socket.MSG_PEEK):
                    with self._lock:
                        self.dropped += 1
                    return False
            return True
        finally:
            with self._lock:
                self.in_flight -= 1

    def delivery_ids(self) -> list[str]:
        return [delivery["delivery"] for delivery in self.deliveries]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def temporary_root() -> Path:
    """A directory the postgres OS user can enter (pytest's tmp_path is private to root)."""
    root = Path(tempfile.mkdtemp(prefix="returns-faults-"))
    root.chmod(0o755)
    return root
