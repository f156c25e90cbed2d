"""The catalogue of domain events: every event the platform records, in one place.

Each entry names the event, the type of its subject, and the fields its payload always
carries (a payload may carry more). The subject's id follows one convention per subject
type (``SUBJECTS``): the identifier people and the shop's systems already know (RMA,
order number, credit-note number, voucher code prefix), never a primary key of those.

``webhook`` tells whether the shop's systems can subscribe to the event (and whether the
notifications and analytics subscribers hear of it); the others only write the document
history. ``audit`` is off for the one batch notice (``order.upserted``) whose orders each
have their own history entry. docs/api.md's webhook section is generated from this
module (``manage.py event_catalogue --write``), and a test fails when they disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

VOUCHER_PREFIX_LENGTH = 4


def voucher_code_prefix(code: str) -> str:
    """The first group of a voucher code (``7K3M``): enough to recognise it, never the code."""
    return "".join((code or "").split("-"))[:VOUCHER_PREFIX_LENGTH].upper()


def _credit_note_id(note: Any) -> str:
    return note.number or f"draft-{note.pk}"


@dataclass(frozen=True)
class Subject:
    type: str
    convention: str  # how the id is written, for the docs
    id_of: Callable[[Any], Any] | None = None  # the id of a model instance

    def id_for(self, instance: Any) -> str:
        return str(self.id_of(instance) if self.id_of else instance.pk)


SUBJECTS = {
    subject.type: subject
    for subject in (
        Subject("return", "RMA (`R-000123`)", lambda r: r.rma),
        Subject("order", "order number", lambda o: o.number),
        Subject(
            "credit_note",
            "credit-note number (`CN-2026-00042`); a draft: `draft-<id>`",
            _credit_note_id,
        ),
        Subject(
            "voucher",
            "code prefix: the first four symbols (`7K3M`), never the whole code",
            lambda v: voucher_code_prefix(v.code),
        ),
        Subject("refund", "refund id (`GET /refunds/`)"),
        Subject("return_policy", "policy id"),
        Subject("return_reason", "reason code", lambda r: r.code),
        Subject("carrier_account", "carrier code", lambda a: a.carrier),
        Subject(
            "notification_template", "`<event>/<language>`", lambda t: f"{t.event}/{t.language}"
        ),
        Subject("outbox_message", "outbox message id"),
        Subject("webhook_subscription", "subscription id"),
        Subject("tenant", "shop slug", lambda t: t.slug),
        Subject("membership", "membership id"),
        Subject("api_key", "key id"),
        Subject("sales_channel", "channel code", lambda c: c.code),
        Subject("analytics_settings", "settings id"),
        Subject("payment_settings", "`payments` (one per shop)"),
    )
}


@dataclass(frozen=True)
class EventType:
    name: str
    subject_type: str
    fields: tuple[str, ...]
    webhook: bool = True
    audit: bool = True
    id_note: str = ""  # said of the subject id besides its type's convention


# What every published ``return.*`` event carries (``returns.workflow.return_event_data``).
RETURN_FIELDS = (
    "rma",
    "order_number",
    "email",
    "language",
    "customer_name",
    "status",
    "from",
    "reason",
    "case_type",
    "method",
    "resolution",
    "refund_total",
    "currency",
    "assignee_email",
    "status_path",
)
RETURN_STATUSES = (
    "requested",
    "concept",
    "on_hold",
    "approved",
    "label_created",
    "in_transit",
    "received",
    "inspected",
    "completed",
    "cancelled",
    "expired",
)
MESSAGE_FIELDS = (*RETURN_FIELDS, "message_id", "excerpt", "author")
VOUCHER_WRITE_OFF = ("written_off", "currency", "entry", "reference")


def _internal(name: str, subject_type: str, *fields: str) -> EventType:
    """An event only the document history keeps (no webhook, no mail)."""
    return EventType(name, subject_type, tuple(fields), webhook=False)


EVENT_TYPES: tuple[EventType, ...] = (
    # Returns: every status change, then what happens to a request besides its status.
    *(EventType(f"return.{status}", "return", RETURN_FIELDS) for status in RETURN_STATUSES),
    EventType("return.free_return_set", "return", RETURN_FIELDS),
    EventType("return.reassigned", "return", RETURN_FIELDS),
    EventType("return.decided", "return", (*RETURN_FIELDS, "decision", "legal_basis")),
    EventType("return.message", "return", MESSAGE_FIELDS),
    EventType("return.customer_message", "return", MESSAGE_FIELDS),
    EventType(
        "repair.requested",
        "return",
        ("rma", "order_number", "resolution", "email", "language", "currency", "lines"),
    ),
    EventType("feedback.requested", "return", (*RETURN_FIELDS, "feedback_path")),
    _internal("return.note_added", "return", "message", "author", "attachments"),
    _internal("return.receipt", "return", "lines", "state"),
    _internal("return.receipt_photos", "return", "photos"),
    _internal("return.label_ready", "return", "method", "carrier"),
    _internal("return.resolved", "return", "outcome", "amount", "currency", "lines"),
    _internal("return.carrier_booked", "return", "carrier", "tracking_number", "attempts"),
    _internal("return.carrier_failed", "return", "carrier", "error"),
    _internal("return.carrier_retry", "return", "carrier"),
    _internal("return.carrier_delivered", "return", "carrier", "tracking_number"),
    _internal("return.pickup_booked", "return", "date", "slot"),
    _internal("return.pickup_cancelled", "return", "reference"),
    _internal("feedback.given", "return", "rma", "rating"),
    _internal("feedback.changed", "return", "rma", "rating"),
    # Orders.
    EventType(
        "order.upserted", "order", ("count", "days"), audit=False, id_note="empty for a batch"
    ),
    _internal("order.created", "order", "total", "currency", "status"),
    _internal("order.updated", "order", "total", "currency", "status"),
    EventType("order.shipped", "order", ("order_number", "event_id", "tracking_number", "carrier")),
    EventType("order.delayed", "order", ("order_number", "event_id", "expected_at", "reason")),
    EventType("order.delivered", "order", ("order_number", "event_id")),
    EventType("order.cancelled", "order", ("order_number", "event_id", "reason", "currency")),
    EventType(
        "order.exchange_created",
        "order",
        ("number", "exchange_for", "original_order", "email", "currency", "total", "lines"),
    ),
    # Credit notes, refunds, vouchers.
    _internal("credit_note.created", "credit_note", "reason", "total", "currency", "payout"),
    _internal("credit_note.updated", "credit_note", "fields"),
    EventType(
        "credit_note.booked",
        "credit_note",
        ("number", "amount", "currency", "email", "language", "order_number", "customer_name"),
    ),
    _internal("refund.created", "refund", "amount", "currency", "provider"),
    EventType(
        "refund.succeeded",
        "refund",
        ("amount", "currency", "email", "language", "order_number", "provider", "customer_name"),
    ),
    _internal("refund.attempt_failed", "refund", "attempts", "error", "retryable"),
    EventType(
        "refund.failed", "refund", ("amount", "currency", "order_number", "provider", "error")
    ),
    EventType(
        "voucher.issued",
        "voucher",
        ("code", "amount", "currency", "expires_at", "email", "language", "order_number"),
    ),
    _internal("voucher.redeemed", "voucher", "amount", "currency", "balance", "reference"),
    _internal("voucher.redemption_reversed", "voucher", "amount", "reverses", "balance"),
    _internal("voucher.void", "voucher", *VOUCHER_WRITE_OFF),
    _internal("voucher.expired", "voucher", *VOUCHER_WRITE_OFF),
    # Shop administration.
    _internal("return_policy.changed", "return_policy", "changed"),
    _internal("return_reason.created", "return_reason", "labels", "active", "order"),
    _internal("return_reason.changed", "return_reason", "labels", "active", "order"),
    _internal("carrier_account.created", "carrier_account", "credentials_changed"),
    _internal("carrier_account.updated", "carrier_account", "credentials_changed"),
    _internal("notification_template.created", "notification_template", "event", "language"),
    _internal("notification_template.updated", "notification_template", "event", "language"),
    _internal("notification_template.deleted", "notification_template", "event", "language"),
    _internal("notifications.mails_switched", "tenant", "from", "to"),
    _internal("outbox.resent", "outbox_message", "kind", "event", "recipient", "new_message"),
    _internal("webhook_subscription.created", "webhook_subscription", "url", "events"),
    _internal("webhook_subscription.updated", "webhook_subscription", "changed", "url", "events"),
    _internal("webhook_subscription.secret_rotated", "webhook_subscription", "url"),
    _internal("webhook_subscription.deleted", "webhook_subscription", "url", "events"),
    _internal("tenant.created", "tenant", "name"),
    _internal("tenant.settings_changed", "tenant", "changed"),
    _internal("membership.created", "membership", "user", "role"),
    _internal("membership.changed", "membership", "user", "role"),
    _internal("membership.removed", "membership", "user", "role"),
    _internal("api_key.created", "api_key", "name", "prefix", "scopes"),
    _internal("api_key.revoked", "api_key", "name"),
    _internal("sales_channel.created", "sales_channel", "name", "kind", "consultant"),
    _internal("sales_channel.changed", "sales_channel", "name", "kind", "consultant"),
    _internal("analytics.settings_changed", "analytics_settings"),
    _internal(
        "payment_settings.updated",
        "payment_settings",
        "default_provider",
        "keys_changed",
        "accounts_removed",
    ),
)
CATALOGUE: dict[str, EventType] = {event.name: event for event in EVENT_TYPES}


def webhook_events() -> tuple[str, ...]:
    """The events a webhook subscription can name, in catalogue order."""
    return tuple(event.name for event in EVENT_TYPES if event.webhook)


def _fields(event: EventType) -> str:
    names = list(event.fields)
    shown = []
    if tuple(names[: len(RETURN_FIELDS)]) == RETURN_FIELDS:
        shown.append("the return fields")
        names = names[len(RETURN_FIELDS) :]
    shown.extend(f"`{name}`" for name in names)
    return ", ".join(shown) or "(varies)"


def _table(events: list[EventType]) -> list[str]:
    rows = ["| event | subject type | subject id | payload fields |", "|---|---|---|---|"]
    for event in events:
        fields = _fields(event)
        subject = SUBJECTS[event.subject_type]
        convention = (
            f"{subject.convention}; {event.id_note}" if event.id_note else subject.convention
        )
        rows.append(f"| `{event.name}` | {subject.type} | {convention} | {fields} |")
    return rows


def catalogue_markdown() -> str:
    """The catalogue as Markdown (docs/api.md holds this text verbatim between markers)."""
    published = [event for event in EVENT_TYPES if event.webhook]
    internal = [event for event in EVENT_TYPES if not event.webhook]
    return_fields = ", ".join(f"`{name}`" for name in RETURN_FIELDS)
    lines = [
        f"The return fields: {return_fields}.",
        "",
        *_table(published),
        "",
        "Recorded in the document history only (no webhook, no mail):",
        "",
        *_table(internal),
    ]
    return "\n".join(lines) + "\n"


DOCS_START = "<!-- event catalogue: written by `manage.py event_catalogue --write` -->"
DOCS_END = "<!-- end of the event catalogue -->"


def docs_with_catalogue(text: str) -> str:
    """``text`` (docs/api.md) with the catalogue between its markers replaced by today's."""
    start, end = text.index(DOCS_START), text.index(DOCS_END)
    return text[: start + len(DOCS_START)] + "\n\n" + catalogue_markdown() + "\n" + text[end:]
