"""Fixtures of the returns tests: an order, a policy and a way to file requests."""

from __future__ import annotations

import pytest
from django.utils import timezone

from orders.tests.factories import create_order
from returns import services
from returns.selectors import return_policy_get
from returns_platform import events
from returns_platform.audit import Actor

TEST_ACTOR = Actor.system("test")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tenants are created with an admin password in every test; hash it cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def recent_dates():
    """Order dates inside every window (delivered two days ago)."""
    now = timezone.now()
    return {
        "placed_at": (now - timezone.timedelta(days=4)).isoformat(),
        "shipped_at": (now - timezone.timedelta(days=3)).isoformat(),
        "delivered_at": (now - timezone.timedelta(days=2)).isoformat(),
    }


@pytest.fixture
def order(in_tenant, recent_dates):
    return create_order("1001", **recent_dates)


@pytest.fixture
def policy(in_tenant):
    return return_policy_get()


@pytest.fixture
def published():
    """Domain events published during the test (the subscriber is removed afterwards)."""
    seen: list[events.DomainEvent] = []
    handler = seen.append
    events.subscribe(handler)
    yield seen
    events._subscribers.remove(handler)


def file_return(order, *, quantities=None, case_type="return", resolution="refund", **kwargs):
    """File a request for ``quantities`` (one per order line; default: 1 of the first)."""
    lines = list(order.lines.all())
    quantities = quantities if quantities is not None else [1]
    return services.return_request_create(
        order=order,
        case_type=case_type,
        resolution=resolution,
        method=kwargs.pop("method", "drop_off"),
        lines=[
            {"order_line": line.pk, "quantity": quantity, "reason_code": "too_small"}
            for line, quantity in zip(lines, quantities, strict=False)
            if quantity
        ],
        actor=kwargs.pop("actor", TEST_ACTOR),
        **kwargs,
    )
