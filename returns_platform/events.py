"""Domain events: what happened, recorded inside the transaction that made it happen.

Services call ``record(name, actor=, subject=, data=)`` after they change state. One call
checks the event against the catalogue (``returns_platform.event_catalogue``), appends the
audit row (the document history) and publishes the event to the subscribers that asked
for it by name (the notifications outbox and webhooks, analytics, carriers). Subscribers
write their own rows in the same transaction, so a change, its history and the messages
about it commit or roll back together. Subscribers must not do I/O here: they queue work
that runs after commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from returns_platform.audit import Actor, AuditEntry, audit_record_many
from returns_platform.event_catalogue import CATALOGUE, SUBJECTS, EventType
from returns_platform.tenancy import require_current_tenant


class UnknownEvent(LookupError):
    """An event name the catalogue does not list."""


class IncompletePayload(ValueError):
    """A payload that lacks a field the catalogue promises for its event."""


@dataclass(frozen=True)
class DomainEvent:
    name: str  # e.g. "order.shipped", "return.approved"
    tenant_id: int
    subject_type: str
    subject_id: str
    data: dict = field(default_factory=dict)


Handler = Callable[[DomainEvent], Any]
_subscribers: list[Handler] = []
_wanted: dict[Handler, frozenset[str] | None] = {}


def event_type(name: str) -> EventType:
    try:
        return CATALOGUE[name]
    except KeyError:
        raise UnknownEvent(f"{name!r} is not in the event catalogue") from None


def subscribe(handler: Handler, *, names: Iterable[str] | None = None) -> Handler:
    """Call ``handler`` for the events ``names`` (every event when None); each name must
    be in the catalogue."""
    wanted = None if names is None else frozenset(event_type(name).name for name in names)
    if handler not in _subscribers:
        _subscribers.append(handler)
    _wanted[handler] = wanted
    return handler


def unsubscribe(handler: Handler) -> None:
    if handler in _subscribers:
        _subscribers.remove(handler)
    _wanted.pop(handler, None)


def publish(
    name: str, *, subject_type: str, subject_id: Any, data: dict | None = None
) -> DomainEvent:
    """Hand an event to its subscribers without writing history (``record`` does both;
    tests publish directly to drive the subscribers)."""
    event_type(name)
    event = DomainEvent(
        name=name,
        tenant_id=require_current_tenant().pk,
        subject_type=subject_type,
        subject_id=str(subject_id),
        data=data or {},
    )
    for handler in list(_subscribers):
        wanted = _wanted.get(handler)
        if wanted is None or name in wanted:
            handler(event)
    return event


def subject_id_of(subject_type: str, subject: Any) -> str:
    """The public id of ``subject`` under its type's convention (see the catalogue)."""
    return SUBJECTS[subject_type].id_for(subject)


def check_payload(kind: EventType, payload: dict) -> None:
    missing = [name for name in kind.fields if name not in payload]
    if missing:
        raise IncompletePayload(f"{kind.name} lacks {', '.join(missing)}")


@dataclass(frozen=True)
class Occurrence:
    """One event for ``record_many``: its subject, order and history data."""

    name: str
    subject: Any = None
    subject_id: Any = None
    order_number: str = ""
    data: dict = field(default_factory=dict)


def _entry(kind: EventType, occurrence: Occurrence) -> AuditEntry:
    if occurrence.subject is not None:
        subject_id = subject_id_of(kind.subject_type, occurrence.subject)
    else:
        subject_id = "" if occurrence.subject_id is None else str(occurrence.subject_id)
    return AuditEntry(
        kind.name, kind.subject_type, subject_id, occurrence.order_number, occurrence.data or {}
    )


def record(
    name: str,
    *,
    actor: Actor,
    subject: Any = None,
    subject_id: Any = None,
    order_number: str = "",
    data: dict | None = None,
    payload: dict | None = None,
) -> DomainEvent:
    """Record that ``name`` happened to ``subject``: one history row, one publication.

    ``subject`` is the model instance (its id follows the catalogue's convention); pass
    ``subject_id`` instead for a subject that is not an instance. ``data`` goes to the
    document history; ``payload`` (``data`` when not given) to the subscribers, and must
    carry every field the catalogue lists for the event.
    """
    kind = event_type(name)
    payload = data if payload is None else payload
    check_payload(kind, payload or {})
    entry = _entry(kind, Occurrence(name, subject, subject_id, order_number, data or {}))
    if kind.audit:
        audit_record_many(actor=actor, entries=[entry])
    return publish(name, subject_type=kind.subject_type, subject_id=entry.subject_id, data=payload)


def record_many(*, actor: Actor, occurrences: Iterable[Occurrence]) -> None:
    """Record several history-only events in one go (three queries whatever their number)."""
    entries = []
    for occurrence in occurrences:
        kind = event_type(occurrence.name)
        if kind.webhook or not kind.audit:
            raise ValueError(f"{kind.name} is published: record it with record()")
        check_payload(kind, occurrence.data or {})
        entries.append(_entry(kind, occurrence))
    audit_record_many(actor=actor, entries=entries)
