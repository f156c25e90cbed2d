"""The returns page's documents kept per process by the versions of their rows: whatever
changes a row a summary is built from (the request, its order, channel, assignee, holder,
lines and their reasons), the next page answers with the changed document, the same
bytes as with the cache turned off."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from orders.models import Order
from returns.models import ReturnLine, ReturnReason, ReturnRequest
from returns_platform.tenancy import tenant_context
from tenants.models import SalesChannel
from testing.dates import recent_dates
from testing.doccache import page_twice
from testing.orders import create_order
from testing.returns import file_return

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.usefixtures("document_cache"),
]

PAGE = "/api/v1/returns/?limit=5"


def _page(api, settings) -> tuple[bytes, int]:
    return page_twice(api, settings, PAGE)


@pytest.fixture
def returns(tenant):
    with tenant_context(tenant):
        SalesChannel.objects.create(code="web", name="Web", kind="webshop")
        staff = get_user_model().objects.create_user("staff", email="staff@example.com")
        for number in ("R1", "R2"):
            order = create_order(number, lines=2, channel="web", **recent_dates())
            request = file_return(order, quantities=[1, 1])
        ReturnRequest.objects.filter(pk=request.pk).update(assignee=staff, held_by=staff)


def _reason_code(code):
    used = ReturnLine.objects.exclude(reason=None).values_list("reason_id", flat=True)
    ReturnReason.objects.filter(pk=used.first()).update(code=code)


def _user_email(email):
    get_user_model().objects.filter(username="staff").update(email=email)


@pytest.mark.parametrize(
    "change, seen",
    [
        (lambda: ReturnRequest.objects.update(email="new@example.com"), b"new@example.com"),
        (lambda: Order.objects.filter(number="R1").update(number="R1-B"), b'"R1-B"'),
        (lambda: SalesChannel.objects.filter(code="web").update(code="web-2"), b'"web-2"'),
        (lambda: _user_email("moved@example.com"), b"moved@example.com"),
        (lambda: ReturnLine.objects.update(comment="Too small"), b"Too small"),
        (lambda: _reason_code("changed-code"), b"changed-code"),
        (lambda: ReturnLine.objects.filter(sku="SKU-1").delete(), None),
    ],
)
def test_every_change_to_a_summarys_rows_is_seen(api, tenant, settings, returns, change, seen):
    before, count = _page(api, settings)
    assert count == 1
    with tenant_context(tenant):
        change()
    after, count = _page(api, settings)
    assert after != before and count == 1
    if seen is not None:
        assert seen in after and seen not in before


def test_shops_do_not_share_pages(api, outsider_api, other_tenant, settings, returns):
    with tenant_context(other_tenant):
        file_return(create_order("THEIRS", lines=1, **recent_dates()), quantities=[1])
    ours, _ = _page(api, settings)
    theirs, _ = _page(outsider_api, settings)
    assert b'"THEIRS"' in theirs and b'"R1"' not in theirs and b'"THEIRS"' not in ours
