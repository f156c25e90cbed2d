"""Mail tests: a return event's data, a branded shop's colour, an SMTP inbox."""

from __future__ import annotations

import socket

BRAND_COLOUR = "#c0ffee"


def return_data(language: str, **overrides) -> dict:
    """The data of a ``return.*`` event about R-000042 for a customer writing ``language``."""
    data = {
        "rma": "R-000042",
        "order_number": "1001",
        "email": "jan@example.nl",
        "language": language,
        "customer_name": "Jan Jansen",
        "status": "approved",
        "from": "requested",
        "reason": "Beschädigt angekommen",
        "case_type": "return",
        "method": "drop_off",
        "resolution": "refund",
        "refund_total": "39.90",
        "currency": "EUR",
        "assignee_email": "",
        "status_path": "/r/acme/s/tok123/",
    }
    data.update(overrides)
    return data


class Inbox:
    """aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port() -> int:
    """A local port nobody listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def subscribe(api, url, events=("*",)):
    response = api.post("/api/v1/webhooks/", {"url": url, "events": list(events)}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()
