"""Sample event data, used to test-render tenant templates and for the live preview."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from notifications.mails import STAFF_CUSTOMER_MESSAGE, STAFF_REQUESTED
from notifications.planning import (
    ORDER_EVENTS,
    STAFF_MAIL_EVENTS,
    event_context,
    order_context,
    staff_context,
)

_RETURN = {
    "rma": "R-000123",
    "order_number": "1001",
    "email": "jan@example.nl",
    "customer_name": "Jan Jansen",
    "status": "approved",
    "from": "requested",
    "reason": "Too small",
    "case_type": "return",
    "method": "drop_off",
    "resolution": "refund",
    "refund_total": "39.90",
    "currency": "EUR",
    "assignee_email": "",
    "status_path": "/r/shop/s/sample-token/",
    "excerpt": "Could you send us a photo of the label?",
}
SAMPLE_DATA: dict[str, dict] = {
    "order.shipped": {"event_id": 1, "tracking_number": "3SABC123", "carrier": "postnl"},
    "order.delayed": {
        "event_id": 1,
        "expected_at": "2026-12-01T12:00:00+00:00",
        "reason": "High volume at the carrier",
    },
    "order.delivered": {"event_id": 1},
    "order.cancelled": {
        "event_id": 1,
        "reason": "Out of stock",
        "refund_amount": "114.80",
        "currency": "EUR",
    },
    "return.requested": _RETURN,
    "return.approved": _RETURN,
    "return.cancelled": _RETURN,
    "return.received": _RETURN,
    "return.completed": _RETURN,
    "return.message": _RETURN,
    STAFF_REQUESTED: _RETURN,
    STAFF_CUSTOMER_MESSAGE: {
        **_RETURN,
        "excerpt": "The zip broke on the second day. Can I get a new jacket instead?",
    },
    "refund.succeeded": {
        "amount": "39.90",
        "currency": "EUR",
        "email": "jan@example.nl",
        "order_number": "1001",
        "provider": "manual",
        "customer_name": "Jan Jansen",
    },
    "voucher.issued": {
        "code": "GIFT-7K2M-9QXP",
        "amount": "25.00",
        "currency": "EUR",
        "expires_at": "2027-11-22",
        "email": "jan@example.nl",
        "order_number": "1001",
        "customer_name": "Jan Jansen",
    },
    "credit_note.booked": {
        "number": "CN-2026-00042",
        "amount": "15.00",
        "currency": "EUR",
        "email": "jan@example.nl",
        "order_number": "1001",
        "customer_name": "Jan Jansen",
    },
    "feedback.requested": {
        "rma": "R-000123",
        "email": "jan@example.nl",
        "customer_name": "Jan Jansen",
        "feedback_path": "/r/shop/s/sample-token/feedback/",
    },
}

SAMPLE_ORDER = SimpleNamespace(
    number="1001",
    email="jan@example.nl",
    customer_id=None,
    shipping_name="Jan Jansen",
    shipping_postcode="1012 AB",
    shipping_country="NL",
    carrier="postnl",
    tracking_number="3SABC123",
    currency="EUR",
)


def sample_context(event: str, tenant: Any, language: str) -> dict:
    """The context a mail about ``event`` would get, filled with sample values."""
    data = SAMPLE_DATA[event]
    if event in ORDER_EVENTS:
        return order_context(event, SAMPLE_ORDER, data, tenant, language)
    staff_events = {template: name for name, template in STAFF_MAIL_EVENTS.items()}
    if event in staff_events:
        return staff_context(staff_events[event], data, tenant, language)
    context = event_context(event, data, tenant, language)
    if event == "return.approved":
        context["qr_url"] = context["status_url"]
    return context
