"""The orders page's documents kept per process by the versions of their rows.

Whatever changes a row an order's document is built from (the order, its lines, its
customer, its channel), through the service, ``QuerySet.update``, raw SQL, inside the
reading transaction or committed by another, the next page answers with the changed
document: the same bytes as with the cache turned off.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import Customer, Order, OrderLine
from returns_platform import doccache
from returns_platform.tenancy import tenant_context
from tenants.models import SalesChannel
from testing.doccache import page_twice
from testing.orders import create_order

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.usefixtures("document_cache"),
]

PAGE = "/api/v1/orders/?limit=5"


def _page(api, settings, url: str = PAGE) -> tuple[bytes, int]:
    return page_twice(api, settings, url)


def _orders(tenant):
    with tenant_context(tenant):
        SalesChannel.objects.create(code="web", name="Web", kind="webshop")
        for number in ("C1", "C2", "C3"):
            create_order(number, lines=2, channel="web")
        create_order("C4", lines=1)


def test_an_unchanged_page_is_one_statement_and_the_same_bytes(api, tenant, settings):
    _orders(tenant)
    api.get("/api/v1/orders/?limit=1")  # the key is cached, as for a shop system that polls
    doccache.documents.clear()
    with CaptureQueriesContext(connection) as queries:
        api.get(PAGE)
    assert len(queries) == 2  # the versions, then the page with its lines
    content, count = _page(api, settings)
    assert count == 1
    assert len(doccache.documents) == 4
    # A page of two reads one row past it for the next cursor: that row needs no document.
    doccache.documents.clear()
    api.get("/api/v1/orders/?limit=2")
    assert len(doccache.documents) == 2
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/orders/?limit=2").status_code == 200
    assert len(queries) == 1


@pytest.mark.parametrize(
    "change, seen",
    [
        # The order through the ORM without touching updated_at, and through raw SQL.
        (lambda: Order.objects.filter(number="C2").update(email="new@example.com"), b"new@"),
        (
            lambda: connection.cursor().execute(
                "UPDATE orders_order SET total = 99.5 WHERE number = 'C3'"
            ),
            b'"total":"99.50"',
        ),
        # A line changed, deleted, added.
        (lambda: OrderLine.objects.filter(order__number="C1").update(name="Renamed"), b"Renamed"),
        (lambda: OrderLine.objects.filter(order__number="C1", position=2).delete(), None),
        (
            lambda: OrderLine.objects.create(
                order=Order.objects.get(number="C4"),
                position=7,
                sku="ADDED",
                name="Added",
                quantity=1,
                unit_price=Decimal("5.00"),
                tax_rate=Decimal("21.00"),
            ),
            b"ADDED",
        ),
        # The customer's name, the channel's code.
        (lambda: Customer.objects.update(name="Someone Else"), b"Someone Else"),
        (lambda: SalesChannel.objects.filter(code="web").update(code="shop"), b'"shop"'),
    ],
)
def test_every_change_to_a_documents_rows_is_seen(api, tenant, settings, change, seen):
    _orders(tenant)
    before, _ = _page(api, settings)
    with tenant_context(tenant):
        change()
    after, count = _page(api, settings)
    assert after != before
    assert count == 1  # the changed document is kept again
    if seen is not None:
        assert seen in after and seen not in before


@pytest.mark.django_db(transaction=True)
def test_changes_committed_by_other_transactions_are_seen(api, tenant, settings):
    """The rows' versions move with every committed write (``xmin``), as within one
    transaction they move with every new row version (``ctid``)."""
    _orders(tenant)
    before, _ = _page(api, settings)
    with tenant_context(tenant):
        Order.objects.filter(number="C1").update(email="committed@example.com")
    after, _ = _page(api, settings)
    assert b"committed@example.com" in after and after != before


def test_documents_are_kept_per_time_zone(api, tenant, settings):
    _orders(tenant)
    amsterdam, _ = _page(api, settings)
    with timezone.override("America/New_York"):
        new_york, count = _page(api, settings)
    assert count == 1 and new_york != amsterdam
    assert b"-05:00" in new_york and b"+01:00" in amsterdam


def test_shops_do_not_share_pages(api, outsider_api, tenant, other_tenant, settings):
    _orders(tenant)
    with tenant_context(other_tenant):
        create_order("OTHER-1", lines=1)
    ours, _ = _page(api, settings)
    theirs, _ = _page(outsider_api, settings)
    assert b"OTHER-1" in theirs and b'"C1"' not in theirs
    assert b"OTHER-1" not in ours


def test_the_cache_keeps_at_most_its_size(api, tenant, settings):
    _orders(tenant)
    settings.API_DOCUMENT_CACHE_SIZE = 3
    api.get(PAGE)
    assert len(doccache.documents) == 3
    settings.API_DOCUMENT_CACHE_SIZE = 0
    doccache.documents.clear()
    api.get(PAGE)
    assert len(doccache.documents) == 0


def test_walking_the_pages_gives_the_same_bytes_as_without_the_cache(api, tenant, settings):
    with tenant_context(tenant):
        for number in range(7):
            create_order(f"W{number}", lines=1 + number % 3)

    def walk() -> list[bytes]:
        pages, url = [], "/api/v1/orders/?limit=2"
        while url:
            body = api.get(url)
            pages.append(body.content)
            url = body.json()["next"]
        back = body.json()["previous"]
        while back:
            body = api.get(back)
            pages.append(body.content)
            back = body.json()["previous"]
        return pages

    cold = walk()
    warm = walk()
    settings.API_DOCUMENT_CACHE_SIZE = 0
    assert cold == warm == walk()
    assert len(cold) == 7
