"""Fixtures of the notifications tests: a branded shop, publishing events, a mailbox, a
webhook receiver, an SMTP server and a real Celery worker (from the testing package)."""

from __future__ import annotations

from testing.notifications import mailbox, publish, receiver, shop, smtp_server  # noqa: F401
from testing.workers import real_worker  # noqa: F401
