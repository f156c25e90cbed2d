"""Sample event data, used to test-render tenant templates and for the live preview."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from notifications.mails import STAFF_CUSTOMER_MESSAGE, STAFF_REQUESTED
from notifications.planning import (
    ORDER_EVENTS,
    QR_MAIL_EVENTS,
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
    "lines": [
        {
            "name": "Rain jacket M",
            "sku": "JACKET-M",
            "quantity": 1,
            "reasons": {"en": "Too small", "nl": "Te klein", "de": "Zu klein"},
            "comment": "Sleeves too short",
            "received_quantity": 1,
            "condition": "opened",
            "paid": "39.90",
            "accepted_amount": "35.91",
            "accepted_reason": "Opened: 10% deduction",
        }
    ],
}
_SHIPMENT = {
    "carrier": "dhl",
    "tracking_number": "JJD000390007",
    "tracking_url": "https://www.dhl.com/track?id=JJD000390007",
    "in_transit_at": "",
    "pickup": {"date": "2026-12-02", "window": "09:00-13:00", "confirmed": True},
}
_RESOLUTION = {
    "outcome": "refund",
    "amount": "35.91",
    "bonus": "0.00",
    "currency": "EUR",
    "lines": [
        {
            "name": "Rain jacket M",
            "quantity": 1,
            "condition": "opened",
            "paid": "39.90",
            "amount": "35.91",
            "deducted": "3.99",
            "reason": "Opened: 10% deduction",
        }
    ],
    "exchange_order": "",
    "price_difference": "0.00",
    "voucher_code": "",
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
        "refund": {"amount": "114.80", "currency": "EUR", "by": "shop", "reference": "PAY-981"},
        "currency": "EUR",
    },
    "return.requested": _RETURN,
    "return.approved": _RETURN,
    "return.cancelled": _RETURN,
    "return.received": _RETURN,
    "return.completed": {**_RETURN, "resolved": _RESOLUTION},
    "return.label_created": {**_RETURN, "shipment": _SHIPMENT},
    "return.in_transit": {
        **_RETURN,
        "shipment": {**_SHIPMENT, "in_transit_at": "2026-11-28T09:30:00+00:00", "pickup": {}},
    },
    "return.inspected": {**_RETURN, "status": "inspected"},
    "return.free_return_set": {**_RETURN, "is_free_return": True, "return_cost": "4.95"},
    "return.decided": {
        **_RETURN,
        "case_type": "complaint",
        "decision": "replace",
        "reason": "The zip is faulty; a known production fault.",
        "legal_basis": "",
        "exchange_order": "R-000123-X",
    },
    "order.exchange_created": {
        "number": "R-000123-X",
        "exchange_for": "R-000123",
        "rma": "R-000123",
        "order_number": "1001",
        "email": "jan@example.nl",
        "customer_name": "Jan Jansen",
        "currency": "EUR",
        "status_path": "/r/shop/s/sample-token/",
        "lines": [{"sku": "JACKET-L", "name": "Rain jacket L", "quantity": 1}],
    },
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
        "payout": "original_payment",
        "paid_on": "2026-11-29T10:00:00+00:00",
        "rma": "R-000123",
        "status_path": "/r/shop/s/sample-token/",
    },
    "voucher.issued": {
        "code": "GIFT-7K2M-9QXP",
        "amount": "25.00",
        "currency": "EUR",
        "expires_at": "2027-11-22",
        "valid_from": "2026-11-22",
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
    if event in QR_MAIL_EVENTS:
        context["qr_url"] = context["status_url"]
    return context
