"""Append to and verify the tenant's audit log (its document history).

Every event is chained to the one before it in the same tenant: ``hash`` is the SHA-256
of the event's canonical content and the previous event's hash. Appending locks the
tenant's chain head, so events of one tenant are strictly ordered and gapless.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from returns_platform.bulk import bulk_insert
from returns_platform.models import ActorKind, AuditChain, AuditEvent
from returns_platform.tenancy import require_current_tenant

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who did something: a staff user, an API key, a consumer or the system."""

    kind: str
    id: str = ""
    label: str = ""

    @classmethod
    def staff(cls, user: Any) -> Actor:
        return cls(kind=ActorKind.STAFF, id=str(user.pk), label=user.get_username())

    @classmethod
    def api_key(cls, api_key: Any) -> Actor:
        return cls(kind=ActorKind.API_KEY, id=str(api_key.pk), label=api_key.name)

    @classmethod
    def consumer(cls, email: str) -> Actor:
        return cls(kind=ActorKind.CONSUMER, id=email, label=email)

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls(kind=ActorKind.SYSTEM, id="", label=label)


SYSTEM = Actor.system()


@dataclass
class AuditEntry:
    action: str
    subject_type: str
    subject_id: str
    order_number: str = ""
    data: dict = field(default_factory=dict)


def _plain(data: dict) -> dict:
    """Data as it will read back from the JSON column (Decimals and dates as strings)."""
    return json.loads(json.dumps(data or {}, default=str))


def event_hash(event: AuditEvent) -> str:
    content = {
        "tenant": event.tenant_id,
        "sequence": event.sequence,
        "created_at": event.created_at.isoformat(),
        "actor": [event.actor_kind, event.actor_id, event.actor_label],
        "action": event.action,
        "subject": [event.subject_type, event.subject_id],
        "order_number": event.order_number,
        "data": event.data,
        "previous_hash": event.previous_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_chain(tenant_id: int) -> AuditChain:
    chain = AuditChain.objects.select_for_update().filter(tenant_id=tenant_id).first()
    if chain is None:
        AuditChain.objects.get_or_create(tenant_id=tenant_id)
        chain = AuditChain.objects.select_for_update().get(tenant_id=tenant_id)
    return chain


@transaction.atomic
def audit_record_many(*, actor: Actor, entries: Iterable[AuditEntry]) -> list[AuditEvent]:
    """Append events in one go: three queries whatever their number."""
    entries = list(entries)
    if not entries:
        return []
    tenant = require_current_tenant()
    chain = _lock_chain(tenant.pk)
    now = timezone.now()
    events = []
    previous_hash, sequence = chain.last_hash, chain.last_sequence
    for entry in entries:
        sequence += 1
        event = AuditEvent(
            tenant=tenant,
            sequence=sequence,
            created_at=now,
            actor_kind=actor.kind,
            actor_id=actor.id,
            actor_label=actor.label[:200],
            action=entry.action,
            subject_type=entry.subject_type,
            subject_id=str(entry.subject_id),
            order_number=entry.order_number or "",
            data=_plain(entry.data),
            previous_hash=previous_hash,
        )
        event.hash = event_hash(event)
        previous_hash = event.hash
        events.append(event)
    bulk_insert(AuditEvent, events)  # bulk_create's rows, without its insert compiler
    AuditChain.objects.filter(pk=chain.pk).update(last_sequence=sequence, last_hash=previous_hash)
    return events


def audit_record(
    *,
    actor: Actor,
    action: str,
    subject_type: str,
    subject_id: Any,
    order_number: str = "",
    data: dict | None = None,
) -> AuditEvent:
    entry = AuditEntry(action, subject_type, str(subject_id), order_number, data or {})
    return audit_record_many(actor=actor, entries=[entry])[0]


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def audit_verify_chain(*, events: Iterator[AuditEvent], chain: AuditChain | None) -> ChainReport:
    """Walk one tenant's events in sequence order; report the first broken link."""
    expected_previous, expected_sequence, checked = GENESIS_HASH, 1, 0
    for event in events:
        if event.sequence != expected_sequence:
            return ChainReport(checked, expected_sequence, f"event {expected_sequence} is missing")
        if event.previous_hash != expected_previous:
            return ChainReport(checked, event.sequence, "link to the previous event differs")
        if event_hash(event) != event.hash:
            return ChainReport(checked, event.sequence, "content differs from its hash")
        expected_previous, expected_sequence = event.hash, expected_sequence + 1
        checked += 1
    if chain is not None and chain.last_sequence != expected_sequence - 1:
        return ChainReport(
            checked, expected_sequence, f"events after {expected_sequence - 1} are missing"
        )
    return ChainReport(checked)
