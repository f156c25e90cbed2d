"""Notifications in tests: a return event's data, a branded shop's colour, an SMTP inbox,
free ports and webhook subscriptions through the API."""

from __future__ import annotations

import socket

from django.contrib.auth import get_user_model
from django.test import Client

from notifications.models import OutboxKind, OutboxMessage
from returns_platform import events
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
                subject_id=index,
                data=return_data(language, **data),
            )
        rows = list(OutboxMessage.objects.filter(kind=OutboxKind.EMAIL).order_by("pk"))
        if status:
            OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).update(
                status=status, attempts=8, last_error="SMTPServerDisconnected: down"
            )
    return rows
