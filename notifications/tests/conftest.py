"""Fixtures of the notifications tests: a branded shop, publishing events, a mailbox."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from returns_platform import events
from returns_platform.tenancy import tenant_context
from testing.notifications import BRAND_COLOUR, Inbox, free_port


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

    def _publish(name, *, subject_type="return", subject_id="1", data=None, tenant=None):
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
