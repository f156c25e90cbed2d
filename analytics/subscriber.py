"""The domain-event subscriber: a change that moves a figure refreshes its day.

``handle_event`` runs inside the publisher's transaction and does no query: it asks for a
refresh once that transaction has committed (a rolled-back change refreshes nothing).
The task finds the day the change belongs to (the request's day, the order's day, today
for the voucher ledger) and rewrites the shop's aggregate rows of that day.
"""

from __future__ import annotations

from django.db import transaction

from returns_platform.event_catalogue import webhook_events
from returns_platform.events import DomainEvent

# The events that can move a figure: what the shop's systems hear of, and the consumer's
# feedback (kept from webhooks, counted here).
# The carrier's delivery at the warehouse moves the days in transit.
SUBSCRIBED_EVENTS = (
    *webhook_events(),
    "feedback.given",
    "feedback.changed",
    "return.carrier_delivered",
)

# Events whose figures live on another day than today: the subject's own day.
SUBJECT_TYPES = ("return", "order")


def handle_event(event: DomainEvent) -> None:
    from analytics.tasks import refresh_for_event

    data = event.data or {}
    payload = {
        "name": event.name,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "rma": str(data.get("rma") or ""),
        "days": [str(day) for day in data.get("days", ()) if day],
    }
    # robust: a broker outage is logged, it does not turn the committed change into a 500.
    transaction.on_commit(lambda: refresh_for_event.delay(event.tenant_id, payload), robust=True)
