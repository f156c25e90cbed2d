"""What the notifications screen tests share: paths, signed-in clients, queued mails."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notifications.models import (
    NotificationTemplate,
    OutboxKind,
    OutboxMessage,
    WebhookSubscription,
)
from notifications.tests.test_mails import return_data
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from tenants.services import membership_set, user_get_or_create

BASE = "/backoffice/notifications/"
EDIT = BASE + "templates/return.received/en/"


def client_for(tenant, email: str, role: str | None = None) -> Client:
    """A browser signed in as ``email``, a member of ``tenant`` with ``role``."""
    if role is None:
        user = get_user_model().objects.get(username=email)
    else:
        user = user_get_or_create(email=email, password="pw")
        with tenant_context(tenant):
            membership_set(user=user, role=role, actor=Actor.system("test"))
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
