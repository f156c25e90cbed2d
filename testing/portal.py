"""The consumer portal in tests: an order as the portal finds it, and a wizard driver."""

from __future__ import annotations

import re

from django.test import Client

from orders.services import order_upsert
from returns.models import ReturnRequest
from returns.selectors import return_policy_get
from returns_platform.tenancy import tenant_context
from testing.dates import recent_dates
from testing.orders import order_payload, service_data
from testing.staff import TEST_ACTOR

GIFT_CARD = {
    "sku": "GIFT-25",
    "name": "Gift card 25",
    "category": "gift_cards",
    "quantity": 1,
    "unit_price": "25.00",
    "tax_rate": "0.00",
    "returnable": False,
}


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def make_order(tenant, number="1001", *, extra_lines=(), lines=None, **overrides):
    """An order through the orders service; ``lines`` = a count of plain lines."""
    payload = order_payload(number, lines, **recent_dates(), **overrides)
    payload["lines"] += list(extra_lines)
    with tenant_context(tenant):
        return_policy_get()
        order, _ = order_upsert(data=service_data(payload), actor=TEST_ACTOR)
        return order


def lines_of(tenant, order):
    with tenant_context(tenant):
        return list(order.lines.order_by("position"))


def returns_of(tenant):
    with tenant_context(tenant):
        return list(ReturnRequest.objects.prefetch_related("lines", "attachments").order_by("pk"))


def token_of(location: str) -> str:
    """The status-page token in a portal address such as /r/acme/s/<token>/confirmation/."""
    return location.split("/s/", 1)[1].split("/", 1)[0]


def without_csrf(body: bytes) -> str:
    return CSRF_INPUT.sub('name="csrfmiddlewaretoken" value=""', body.decode())


class Wizard:
    """Drives the portal's steps with Django's test client."""

    def __init__(self, client: Client, slug: str = "acme"):
        self.client = client
        self.base = f"/r/{slug}/"

    def lookup(self, reference="1001", identity="1012 AB", **extra):
        return self.client.post(self.base, {"reference": reference, "identity": identity}, **extra)

    def case(self, case_type="return"):
        return self.client.post(self.base + "case/", {"case_type": case_type})

    def items(self, quantities: dict):
        return self.client.post(
            self.base + "items/", {f"quantity_{pk}": qty for pk, qty in quantities.items()}
        )

    def details(self, reasons: dict, photos: dict | None = None, comments: dict | None = None):
        data = {f"reason_{pk}": code for pk, code in reasons.items()}
        for pk, comment in (comments or {}).items():
            data[f"comment_{pk}"] = comment
        for pk, files in (photos or {}).items():
            data[f"photos_{pk}"] = files
        return self.client.post(self.base + "details/", data)

    def resolution(self, value="refund"):
        return self.client.post(self.base + "resolution/", {"resolution": value})

    def method(self, value="drop_off"):
        return self.client.post(self.base + "method/", {"method": value})

    def confirm(self):
        return self.client.post(self.base + "review/")
