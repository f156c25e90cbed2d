"""Order statuses and order event types read in the staff member's language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from orders.services import order_event_record
from orders.statuses import OrderEventType
from orders.tests.factories import create_order
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from tenants.services import membership_set, user_get_or_create

pytestmark = pytest.mark.django_db
SHOP = Actor.system("test")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def orders(tenant):
    """A shipped, a delayed and a delivered order."""
    now = timezone.now()
    with tenant_context(tenant):
        shipped = create_order("2001", delivered_at=None)
        delayed = create_order("2002", delivered_at=None)
        order_event_record(
            order=delayed,
            event_type=OrderEventType.DELAYED,
            actor=SHOP,
            expected_at=now + timezone.timedelta(days=3),
            reason="Storm",
        )
        delivered = create_order("2003")
    return {"shipped": shipped, "delayed": delayed, "delivered": delivered}


def signed_in(tenant, language: str) -> Client:
    user = user_get_or_create(email=f"agent-{language}@acme.example", password="pw")
    with tenant_context(tenant):
        membership_set(user=user, role=Role.AGENT, actor=SHOP)
    client = Client()
    client.force_login(user)
    switched = client.post("/backoffice/language/", {"language": language})
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    return client


def status_cells(page: str) -> dict[str, str]:
    """Order number -> the text of its status cell (the fourth column) in the order list."""
    cells = {}
    for row in re.findall(r"<tr><td><a href=\"/backoffice/orders/.*?</tr>", page):
        columns = re.findall(r"<td[^>]*>(.*?)</td>", row)
        number = re.search(r">([^<]+)</a>", columns[0]).group(1)
        cells[number] = columns[3]
    return cells


def test_order_list_shows_status_labels_in_dutch(tenant, orders):
    english = signed_in(tenant, "en").get("/backoffice/orders/").content.decode()
    assert status_cells(english) == {"2001": "Shipped", "2002": "Delayed", "2003": "Delivered"}

    dutch = signed_in(tenant, "nl").get("/backoffice/orders/").content.decode()
    assert status_cells(dutch) == {"2001": "Verzonden", "2002": "Vertraagd", "2003": "Geleverd"}
    # The status filter offers the same Dutch labels.
    assert '<option value="cancelled">Geannuleerd</option>' in dutch
    assert '<option value="placed">Geplaatst</option>' in dutch


def test_order_detail_shows_status_and_event_type_in_dutch(tenant, orders):
    page = signed_in(tenant, "nl").get("/backoffice/orders/2002/").content.decode()
    status = re.search(r'data-testid="order-status">([^<]*)<', page).group(1)
    assert status == "Vertraagd"
    events = re.search(r'data-testid="order-events">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", events)
    assert [re.findall(r"<td[^>]*>(.*?)</td>", row)[1] for row in rows] == ["Vertraagd"]
    assert "Delayed" not in page
