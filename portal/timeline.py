"""The consumer's timeline of a return, read from the audit log (its document history).

Only what the consumer should see: status changes, the label, and a waived return cost;
never who on the staff did something, internal reasons or staff warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from returns.models import ReturnRequest
from returns.selectors import return_history
from returns.statuses import ReturnStatus

EXTRA_EVENTS = {
    "return.label_ready": _("Return label ready"),
    "return.free_return_set": _("Return cost updated by the shop"),
}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    is_status: bool


def status_timeline(*, return_request: ReturnRequest) -> list[TimelineEntry]:
    """Oldest first; one query."""
    statuses = dict(ReturnStatus.choices)
    entries = []
    for event in return_history(return_request=return_request).only("action", "created_at"):
        name = event.action.removeprefix("return.")
        if name in statuses:
            entries.append(TimelineEntry(event.created_at, str(statuses[name]), True))
        elif event.action in EXTRA_EVENTS:
            entries.append(TimelineEntry(event.created_at, str(EXTRA_EVENTS[event.action]), False))
    return entries
