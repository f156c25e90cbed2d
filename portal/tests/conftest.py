"""Fixtures of the portal tests: a shop with a delivered order, and a wizard driver."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from PIL import Image

from orders.services import order_upsert
from orders.tests.factories import order_payload, service_data
from returns.models import ReturnRequest
from returns.selectors import return_policy_get
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context

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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def recent_dates() -> dict:
    now = timezone.now()
    return {
        "placed_at": (now - timezone.timedelta(days=4)).isoformat(),
        "shipped_at": (now - timezone.timedelta(days=3)).isoformat(),
        "delivered_at": (now - timezone.timedelta(days=2)).isoformat(),
    }


def make_order(tenant, number="1001", *, extra_lines=(), lines=None, **overrides):
    """An order through the orders service; ``lines`` = a count of plain lines."""
    payload = order_payload(number, lines, **recent_dates(), **overrides)
    payload["lines"] += list(extra_lines)
    with tenant_context(tenant):
        return_policy_get()
        order, _ = order_upsert(data=service_data(payload), actor=Actor.system("test"))
        return order


@pytest.fixture
def order(tenant):
    """Order 1001 of the acme shop: 2 T-shirts, 1 jeans and a non-returnable gift card;
    delivered two days ago to postcode 1012 AB, in Dutch."""
    return make_order(tenant, extra_lines=[GIFT_CARD])


def lines_of(tenant, order):
    with tenant_context(tenant):
        return list(order.lines.order_by("position"))


def returns_of(tenant):
    with tenant_context(tenant):
        return list(ReturnRequest.objects.prefetch_related("lines", "attachments").order_by("pk"))


def token_of(location: str) -> str:
    """The status-page token in a portal address such as /r/acme/s/<token>/confirmation/."""
    return location.split("/s/", 1)[1].split("/", 1)[0]


def photo_bytes(fmt="JPEG", *, exif=False, size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x010E] = "Taken at Kerkstraat 1"  # ImageDescription
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


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


@pytest.fixture
def wizard(client):
    return Wizard(client)
