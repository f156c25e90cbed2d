"""Domain events: what happened, published inside the transaction that made it happen.

Services publish an event after they change state; subscribers (the notifications
outbox, webhooks) write their own rows in the same transaction, so a change and the
messages about it commit or roll back together. Subscribers must not do I/O here: they
queue work that runs after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from returns_platform.tenancy import require_current_tenant


@dataclass(frozen=True)
class DomainEvent:
    name: str  # e.g. "order.shipped", "return.approved"
    tenant_id: int
    subject_type: str
    subject_id: str
    data: dict = field(default_factory=dict)


_subscribers: list[Callable[[DomainEvent], Any]] = []


def subscribe(handler: Callable[[DomainEvent], Any]) -> Callable[[DomainEvent], Any]:
    if handler not in _subscribers:
        _subscribers.append(handler)
    return handler


def publish(
    name: str, *, subject_type: str, subject_id: Any, data: dict | None = None
) -> DomainEvent:
    event = DomainEvent(
        name=name,
        tenant_id=require_current_tenant().pk,
        subject_type=subject_type,
        subject_id=str(subject_id),
        data=data or {},
    )
    for handler in list(_subscribers):
        handler(event)
    return event
