"""Notifications in tests: a return event's data, a branded shop's colour, an SMTP inbox,
free ports and webhook subscriptions through the API."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notifications.models import (
    NotificationTemplate,
    OutboxKind,
    OutboxMessage,
    WebhookSubscription,
)
from returns_platform import events
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from tenants.services import membership_set, user_get_or_create
from testing.staff import TEST_ACTOR

BRAND_COLOUR = "#c0ffee"


def return_data(language: str, **overrides) -> dict:
    """The data of a ``return.*`` event about R-000042 for a customer writing ``language``."""
    data = {
        "rma": "R-000042",
        "order_number": "1001",
        "email": "jan@example.nl",
        "language": language,
        "customer_name": "Jan Jansen",
        "status": "approved",
        "from": "requested",
        "reason": "Beschädigt angekommen",
        "case_type": "return",
        "method": "drop_off",
        "resolution": "refund",
        "refund_total": "39.90",
        "currency": "EUR",
        "assignee_email": "",
        "status_path": "/r/acme/s/tok123/",
    }
    data.update(overrides)
    return data


class Inbox:
    """aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A local port nobody listens on (yet): a server may take it, a client is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


closed_port = free_port


def subscribe(api, url, events=("*",)):
    """Subscribe ``url`` to ``events`` through the API; the created subscription's JSON."""
    response = api.post("/api/v1/webhooks/", {"url": url, "events": list(events)}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


# The notifications back office.
BASE = "/backoffice/notifications/"


EDIT = BASE + "templates/return.received/en/"


def member_client(tenant, email: str, role: str | None = None) -> Client:
    """A browser signed in as ``email``, a member of ``tenant`` with ``role``."""
    if role is None:
        user = get_user_model().objects.get(username=email)
    else:
        user = user_get_or_create(email=email, password="pw")
        with tenant_context(tenant):
            membership_set(user=user, role=role, actor=TEST_ACTOR)
    browser = Client()
    browser.force_login(user)
    return browser


def queue_mails(tenant, count: int, *, language="en", status=None, **data) -> list[OutboxMessage]:
    """``count`` return.received mails written to the outbox (delivery not run)."""
    with tenant_context(tenant):
        for index in range(count):
            events.publish(
                "return.received",
                subject_type="return",
                subject_id=f"R-{index:06d}",
                data=return_data(language, **data),
            )
        rows = list(OutboxMessage.objects.filter(kind=OutboxKind.EMAIL).order_by("pk"))
        if status:
            OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).update(
                status=status, attempts=8, last_error="SMTPServerDisconnected: down"
            )
    return rows


# Fixtures of the notifications tests and the back office's notifications screens (their
# conftest modules import them).
@pytest.fixture
def shop(tenant):
    """The owner's shop with branding and a notification address."""
    tenant.name = "Acme Outdoor"
    tenant.brand_colour = BRAND_COLOUR
    tenant.notification_email = "returns@acme.example"
    tenant.policy_url = "https://acme.example/returns-policy"
    tenant.support_url = "https://acme.example/help"
    tenant.default_language = "de"
    tenant.save()
    return tenant


@pytest.fixture
def publish(shop, django_capture_on_commit_callbacks):
    """Publish an event in the shop as a service does: inside a transaction, then commit."""
    from django.db import transaction

    def _publish(name, *, subject_type="return", subject_id="R-000042", data=None, tenant=None):
        with (
            tenant_context(tenant or shop),
            django_capture_on_commit_callbacks(execute=True),
            transaction.atomic(),
        ):
            event = events.publish(
                name, subject_type=subject_type, subject_id=subject_id, data=data or {}
            )
        return event

    return _publish


@pytest.fixture
def mailbox():
    mail.outbox.clear()
    return mail.outbox


class Receiver:
    """A real HTTP server on loopback that records requests and answers a chosen status."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server hook name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"thanks" if receiver.status < 300 else b"try later")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/returns?x=1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    server = Receiver()
    yield server
    server.close()


def snapshot(tenant) -> dict:
    with tenant_context(tenant):
        return {
            "templates": list(NotificationTemplate.objects.order_by("pk").values()),
            "outbox": list(OutboxMessage.objects.order_by("pk").values()),
            "subscriptions": list(WebhookSubscription.objects.order_by("pk").values()),
            "audit": AuditEvent.objects.count(),
        }


def count_queries(browser, url) -> int:
    """The queries of a second GET of ``url`` (the first also writes the session)."""
    browser.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield inbox
    controller.stop()
