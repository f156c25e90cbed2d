"""Faults survived: a Celery worker killed mid-delivery, Redis and PostgreSQL restarted
during a burst of API writes (docs/operations.md, "What happens when a part fails").

The suite runs its own PostgreSQL cluster (initdb into a temporary directory, the schema
copied from the migrated test database), its own redis-server (append-only, as in
docker-compose.yml), gunicorn with the project's settings, real Celery workers, an SMTP
server and a webhook receiver on loopback. It kills and restarts only those.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import threading
import time
from collections import Counter

import pytest
from django.db import connection

from testing.dates import recent_dates
from testing.faults import (
    BIN,
    LEDGER,
    REPOSITORY,
    HoldingInbox,
    HoldingReceiver,
    PrivatePostgres,
    PrivateRedis,
    children,
    http,
    launch_gunicorn,
    launch_worker,
    missing_tools,
    start_worker,
    temporary_root,
    wait_for_gunicorn,
    wait_for_worker,
    wait_until,
)
from testing.notifications import free_port
from testing.orders import order_payload
from testing.returns import api_return_body

pytestmark = [
    pytest.mark.faults,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db,
]

# Short enough that recovery fits in the suite, long enough that no loopback send
# outlives it (in production: five minutes and one minute).
LEASE_SECONDS = 10
SWEEP_GRACE_SECONDS = 2

SEED = """
import json
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants.services import api_key_create, tenant_create
tenant = tenant_create(name="Faults", slug="faults", notification_email="returns@faults.example")
with tenant_context(tenant):
    issued = api_key_create(name="faults", actor=Actor.system("faults"))
print(json.dumps({"key": issued.plaintext}))
"""


class Stack:
    """Everything a fault test drives; ``worker`` is replaced when a test kills it."""

    def __init__(self, root, postgres, redis, inbox, smtp, receiver, env):
        self.root, self.postgres, self.redis = root, postgres, redis
        self.inbox, self.smtp, self.receiver, self.env = inbox, smtp, receiver, env
        self.worker = None
        self.web = None
        self.base = ""
        self.headers: dict[str, str] = {}

    def api(self, method, path, body=None, key=None):
        headers = dict(self.headers)
        if key:
            headers["Idempotency-Key"] = key
        return http(method, self.base + path, body, headers)

    def ready(self):
        return http("GET", self.base + "/readyz")

    def tick(self):
        """What Celery beat does every minute: ask a worker to sweep the outbox."""
        from celery import Celery

        try:
            with Celery(broker=self.redis.url, set_as_current=False) as app:
                app.send_task("notifications.tasks.sweep_outbox", retry=False)
        except Exception:  # noqa: BLE001, S110 - the broker is down: the next tick sends
            pass

    def outbox(self):
        return self.postgres.query(
            "SELECT id, tenant_id, kind, status, attempts, event_id"
            " FROM notifications_outboxmessage"
        )


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker):
    from aiosmtpd.controller import Controller

    missing = missing_tools()
    if missing:
        reason = "the fault suite needs " + ", ".join(missing)
        if os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (the schema is copied from the migrated test database)")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command lines
    started = time.monotonic()
    root = temporary_root()
    postgres = PrivatePostgres(root)
    redis = PrivateRedis(root)
    inbox = HoldingInbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    receiver = HoldingReceiver()
    try:
        postgres.create()
        with django_db_blocker.unblock():
            postgres.load_schema_of(connection.settings_dict)
        LEDGER.note(f"own PostgreSQL with the schema in {time.monotonic() - started:.1f} s")
        redis.start()
        smtp.start()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))},
            "DJANGO_SETTINGS_MODULE": "returns_platform.settings",
            "DEBUG": "false",
            "SECRET_KEY": "faults-" + "x" * 60,
            "FIELD_ENCRYPTION_KEYS": "Kq9v3n2sQ2Pj0cFq2oTt6vR4bX8kLm1nZ5yW7uE3iA0=",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": postgres.url,
            "DATABASE_CONN_MAX_AGE": "60",  # as docker-compose.yml runs it
            "REDIS_URL": redis.url,
            "CELERY_BROKER_URL": redis.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "EMAIL_TIMEOUT": "3",
            "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
            "OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
            "OUTBOX_SWEEP_GRACE_SECONDS": str(SWEEP_GRACE_SECONDS),
            "MEDIA_ROOT": str(root / "media"),
            "VAR_DIR": str(root / "var"),
            "LOG_LEVEL": "WARNING",
        }
        running = Stack(root, postgres, redis, inbox, smtp, receiver, env)
        # The shop, gunicorn and the worker start side by side (each is a Django start-up).
        seeding = subprocess.Popen(
            [str(BIN / "python"), "manage.py", "shell", "-c", SEED],
            cwd=REPOSITORY,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        running.web, running.base = launch_gunicorn(env, root)
        running.worker = launch_worker(env, root, "first")
        output, errors = seeding.communicate(timeout=120)
        assert seeding.returncode == 0, errors[-3000:]
        key = json.loads(output.strip().splitlines()[-1])["key"]
        running.headers = {"Authorization": f"Bearer {key}"}
        wait_for_gunicorn(running.web, running.base)
        status, _, body = running.api(
            "POST", "/api/v1/webhooks/", {"url": receiver.url, "events": ["*"]}
        )
        assert status == 201, body
        wait_for_worker(running.worker)
        LEDGER.note(f"stack started in {time.monotonic() - started:.1f} s")
        yield running
    finally:
        for service in ("worker", "web"):
            process = getattr(locals().get("running"), service, None)
            if process is not None:
                process.kill()  # nothing to keep: no graceful shutdown needed
        smtp.stop()
        receiver.close()
        redis.stop()
        postgres.stop()
        if not os.environ.get("FAULTS_KEEP"):  # keep the logs of a run to read them
            shutil.rmtree(root, ignore_errors=True)


# --- Helpers ------------------------------------------------------------------------------


def write_order(stack, number: str, payload: dict | None = None):
    """POST order ``number`` with its Idempotency-Key; (what, key, status, type, body, payload)."""
    payload = payload or order_payload(number, **recent_dates())
    key = f"order-{number}"
    return ("order", key, *stack.api("POST", "/api/v1/orders/", payload, key=key), payload)


def write_return(stack, number: str, order: dict, payload: dict | None = None):
    """POST a return of the first line of ``order`` (its JSON) with its Idempotency-Key."""
    payload = payload or api_return_body(order, number=number)
    key = f"return-{number}"
    return ("return", key, *stack.api("POST", "/api/v1/returns/", payload, key=key), payload)


def burst(stack, prefix: str, fault, *, clients: int = 2, before: float = 1.5, after: float = 1.5):
    """``clients`` API clients each write orders with a return, one after the other; the
    fault runs ``before`` seconds in, and the clients go on until ``after`` seconds past the
    moment /readyz answers 200 again. Returns (answers, when each was started, recovered)."""
    answers: list = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(number: int):
        index = 0
        while not stop.is_set():
            name = f"{prefix}{number}{index:03d}"
            index += 1
            started = time.monotonic()
            order = write_order(stack, name)
            found = [(started, order)]
            if order[2] == 201:
                found.append((time.monotonic(), write_return(stack, name, order[4])))
            with lock:
                answers.extend(found)
            time.sleep(0.1)

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(before)
        fault()
        assert wait_until(lambda: stack.ready()[0] == 200, 30), stack.ready()
        recovered = time.monotonic()
        time.sleep(after)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    return [answer for _, answer in answers], [started for started, _ in answers], recovered


def burst_through(stack, prefix: str, fault: str, stop, start, part: str):
    """A burst during which ``part`` is stopped and started 1.5 s later; /readyz must name
    it meanwhile and every answer must be clear. (answers, started, recovered)"""
    outage = {}

    def inject():
        LEDGER.inject(fault)
        stop()
        outage["ready"] = stack.ready()
        time.sleep(1.5)
        start()

    answers, started, recovered = burst(stack, prefix, inject)
    assert_clear_answers(answers)
    status, _, body = outage["ready"]
    assert status == 503 and body["failing"] == [part], body
    return answers, started, recovered


def assert_clear_answers(answers):
    """Every answer is a 2xx, or a 5xx with a JSON body saying what went wrong."""
    for what, key, status, kind, body, _ in answers:
        if 200 <= status < 300:
            continue
        assert status >= 500, (what, key, status, body)
        assert kind.startswith("application/json"), (what, key, status, kind, str(body)[:300])
        assert body["code"] and body["message"], body


def assert_written_whole(stack, prefix: str):
    """No order without its two lines, no return without its line, audit event and mail."""
    broken = stack.postgres.query(
        """
        SELECT o.number FROM orders_order o
        WHERE o.number LIKE %s
          AND (SELECT count(*) FROM orders_orderline l WHERE l.order_id = o.id) <> 2
        UNION ALL
        SELECT r.rma FROM returns_returnrequest r JOIN orders_order o ON o.id = r.order_id
        WHERE o.number LIKE %s AND (
            NOT EXISTS (SELECT 1 FROM returns_returnline l WHERE l.request_id = r.id)
            OR NOT EXISTS (SELECT 1 FROM notifications_outboxmessage m
                           WHERE m.rma = r.rma AND m.tenant_id = r.tenant_id)
            OR NOT EXISTS (SELECT 1 FROM returns_platform_auditevent a
                           WHERE a.subject_id = r.rma AND a.tenant_id = r.tenant_id))
        """,
        (prefix + "%", prefix + "%"),  # noqa: S608 - fixed text, parameters bound
    )
    assert broken == []


def stored(stack, prefix: str) -> tuple[set[str], set[str]]:
    orders = {
        number
        for (number,) in stack.postgres.query(
            "SELECT number FROM orders_order WHERE number LIKE %s", (prefix + "%",)
        )
    }
    returns = {
        number
        for (number,) in stack.postgres.query(
            "SELECT o.number FROM returns_returnrequest r JOIN orders_order o"
            " ON o.id = r.order_id WHERE o.number LIKE %s",
            (prefix + "%",),
        )
    }
    return orders, returns


def assert_accepted_writes_kept(stack, answers, prefix):
    orders, returns = stored(stack, prefix)
    for what, _, status, _, _, payload in answers:
        number = payload["number"] if what == "order" else payload["order"]
        if 200 <= status < 300:
            assert number in (orders if what == "order" else returns), (what, number)


def deliver_everything(stack, timeout: float = 60):
    """Tick like beat until every outbox row is sent; the rows."""

    def all_sent():
        rows = stack.outbox()
        if rows and all(row[3] == "sent" for row in rows):
            return True
        stack.tick()
        return False

    assert wait_until(all_sent, timeout, interval=1.0), (
        f"{Counter(row[3] for row in stack.outbox())}\n{worker_warnings(stack)}"
    )
    return stack.outbox()


def worker_warnings(stack) -> str:
    """The worker log without its task lines: warnings, errors and what the consumer did
    about its broker connection (what a failed delivery check prints)."""
    lines = [
        line
        for line in stack.worker.log_text().splitlines()
        if "] received" not in line and "] succeeded in" not in line
    ]
    return "--- the worker's log without its task lines ---\n" + "\n".join(lines[-80:])


def assert_delivered_exactly_once(stack):
    """Each mail row reached the SMTP server once, each webhook row the receiver once."""
    rows = stack.outbox()
    time.sleep(1.5)  # a late duplicate would arrive now
    mails = Counter(stack.inbox.message_ids())
    hooks = Counter(stack.receiver.delivery_ids())
    expected_mails = {f"<outbox-{row[1]}-{row[0]}@localhost>" for row in rows if row[2] == "email"}
    expected_hooks = {f"{row[5]}.{row[0]}" for row in rows if row[2] == "webhook"}
    assert set(mails) == expected_mails
    assert set(hooks) == expected_hooks
    log = worker_warnings(stack)
    assert [m for m, n in mails.items() if n > 1] == [], log
    assert [h for h, n in hooks.items() if n > 1] == [], log
    return len(expected_mails), len(expected_hooks)


# --- The faults ---------------------------------------------------------------------------


def test_worker_killed_mid_delivery_every_mail_and_webhook_goes_exactly_once(stack):
    stack.inbox.holding = stack.receiver.holding = True
    for index in range(6):
        order = write_order(stack, f"K{index:04d}")
        assert order[2] == 201 and write_return(stack, f"K{index:04d}", order[4])[2] == 201

    # Both pool processes are inside a send (SMTP DATA or a webhook POST) when it dies.
    assert wait_until(lambda: stack.inbox.in_flight + stack.receiver.in_flight >= 2, 30)
    in_flight = stack.inbox.in_flight + stack.receiver.in_flight
    LEDGER.inject("Celery worker SIGKILLed with 2 deliveries in flight")
    stack.worker.kill()
    assert wait_until(lambda: stack.inbox.in_flight + stack.receiver.in_flight == 0, 10)
    stack.inbox.holding = stack.receiver.holding = False
    orphans = {row[0] for row in stack.outbox() if row[3] == "sending"}
    assert len(orphans) >= in_flight  # (one may have been claimed but not yet connected)

    stack.worker = start_worker(stack.env, stack.root, "second")
    started = time.monotonic()
    rows = deliver_everything(stack)
    mails, hooks = assert_delivered_exactly_once(stack)
    # The orphans were sent again, on a later attempt; what the dead worker had in flight
    # was never accepted.
    assert all(row[4] >= 2 for row in rows if row[0] in orphans)
    assert stack.inbox.dropped + stack.receiver.dropped >= in_flight
    LEDGER.survive("Celery worker SIGKILLed with 2 deliveries in flight")
    LEDGER.note(
        f"worker kill: {mails} mails and {hooks} webhooks delivered once each, "
        f"{len(orphans)} orphans re-sent {time.monotonic() - started:.1f} s after the new worker"
    )


def test_redis_restart_during_a_burst_loses_no_write_and_no_task(stack):
    worker_pid = stack.worker.process.pid
    pool = children(worker_pid)
    fault = "Redis killed (SIGKILL) and restarted during a burst of API writes"
    answers, _, _ = burst_through(stack, "R", fault, stack.redis.kill, stack.redis.start, "redis")

    accepted = [answer for answer in answers if 200 <= answer[2] < 300]
    # The database was up: every write accepted.
    assert [a[:5] for a in answers if not 200 <= a[2] < 300] == []
    assert_accepted_writes_kept(stack, answers, "R")
    assert_written_whole(stack, "R")
    deliver_everything(stack)
    mails, hooks = assert_delivered_exactly_once(stack)
    # The same worker process reconnected by itself.
    assert stack.worker.alive and stack.worker.process.pid == worker_pid
    assert children(worker_pid) == pool
    LEDGER.survive(fault)
    LEDGER.note(
        f"Redis restart: {len(accepted)} writes accepted and kept; {mails} mails and "
        f"{hooks} webhooks delivered once each"
    )


def test_postgres_restart_during_a_burst_answers_clearly_and_recovers(stack):
    web_pids = {stack.web.process.pid, *children(stack.web.process.pid)}
    fault = "PostgreSQL crashed (immediate stop) and restarted during API writes"
    answers, started, recovered = burst_through(
        stack, "P", fault, stack.postgres.crash, stack.postgres.start, "database"
    )

    failed = [answer for answer in answers if answer[2] >= 300]
    assert failed, "the outage met no request"
    for _, _, status, _, body, _ in failed:
        assert status == 503 and body["code"] == "database_unavailable", body
    # Once /readyz said 200, every request succeeded again (no stale connection served).
    assert [
        a for a, at in zip(answers, started, strict=True) if at > recovered and a[2] >= 300
    ] == []
    assert_accepted_writes_kept(stack, answers, "P")
    assert_written_whole(stack, "P")

    # Repeating a failed request with its Idempotency-Key now succeeds, exactly once.
    for what, _, _, _, _, payload in failed:
        if what == "order":
            order = write_order(stack, payload["number"], payload)
            assert order[2] in (200, 201), order
            assert write_return(stack, payload["number"], order[4])[2] == 201
        else:
            repeated = write_return(stack, payload["order"], {}, payload)
            assert repeated[2] in (200, 201), repeated
    numbers = {payload["number"] for what, *_, payload in answers if what == "order"}
    orders, returns = stored(stack, "P")
    assert orders == numbers
    assert returns == numbers
    assert_written_whole(stack, "P")

    # Restarted again while nobody asks: the kept connections of every gunicorn worker are
    # broken, and the first request each worker serves still succeeds.
    idle = "PostgreSQL restarted while the app was idle (kept connections broken)"
    LEDGER.inject(idle)
    stack.postgres.crash()
    stack.postgres.start()
    after_idle = [stack.api("GET", f"/api/v1/orders/{number}/") for number in sorted(numbers)[:8]]
    assert [answer[:2] for answer in after_idle if answer[0] != 200] == []
    LEDGER.survive(idle)

    # No process was restarted: the same gunicorn workers answer, the worker delivers.
    assert {stack.web.process.pid, *children(stack.web.process.pid)} == web_pids
    deliver_everything(stack)
    mails, hooks = assert_delivered_exactly_once(stack)
    # A task that met the outage was retried, none failed for good (and was dropped).
    log = stack.worker.log_text()
    assert "raised unexpected: OperationalError" not in log
    assert "raised unexpected: InterfaceError" not in log
    LEDGER.survive(fault)
    LEDGER.note(
        f"PostgreSQL restart: {len(answers)} requests, {len(failed)} answered 503 JSON and "
        f"repeated with their keys afterwards, none half-written; {mails} mails and "
        f"{hooks} webhooks delivered once each"
    )


@pytest.fixture(scope="module", autouse=True)
def _timed():
    started = time.monotonic()
    yield
    LEDGER.note(f"fault suite wall time: {time.monotonic() - started:.1f} s")
