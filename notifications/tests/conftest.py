"""Fixtures of the notifications tests: a branded shop, publishing events, a mailbox, a
webhook receiver and an SMTP server (shared with the back office's notifications screens)."""

from __future__ import annotations

from testing.notifications import mailbox, publish, receiver, shop, smtp_server  # noqa: F401
