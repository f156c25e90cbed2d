"""Warehouse receipt by scan, and the order pages with their actions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from backoffice.forms import scanned_rma
from orders.models import Order, OrderEvent
from returns.models import Attachment
from returns.workflow import return_transition
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.backoffice_access import photo_bytes
from testing.orders import make_order
from testing.returns import file_return as file_request
from testing.returns import reload
from testing.staff import TEST_ACTOR, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def parcel(tenant):
    """An approved request for 2 + 1 units, on its way."""
    with tenant_context(tenant):
        return_request = file_request(make_order("1001"), quantities=[2, 1])
        for to in ("approved", "label_created", "in_transit"):
            return_transition(return_request=return_request, to=to, actor=TEST_ACTOR)
    return return_request


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("R-000042", ("R-000042", None)),
        ("r000042", ("R-000042", None)),
        ("  42 ", ("R-000042", None)),
        ("RMA:R-000042\n", ("R-000042", None)),
        ("http://x/r/acme/s/abc.DEF-1:xyz/", (None, "abc.DEF-1:xyz")),
        ("hello", (None, None)),
    ],
)
def test_scanned_codes(typed, expected):
    assert scanned_rma(typed) == expected


def test_scan_opens_the_receipt(parcel, warehouse_user):
    client = client_for(warehouse_user)
    assert client.post("/backoffice/warehouse/", {"code": "r000001"}).url == (
        "/backoffice/warehouse/R-000001/"
    )
    with tenant_context(parcel.tenant):
        token_url = f"http://127.0.0.1:8000/r/acme/s/{parcel.access_token()}/"
    assert client.post("/backoffice/warehouse/", {"code": token_url}).url == (
        "/backoffice/warehouse/R-000001/"
    )
    unknown = client.post("/backoffice/warehouse/", {"code": "R-000999"})
    assert (
        unknown.status_code == 200
        and "No return R-000999 in this shop." in unknown.content.decode()
    )
    assert (
        "not an RMA number" in client.post("/backoffice/warehouse/", {"code": "?"}).content.decode()
    )


def receipt_data(return_request, values: list[tuple[int, str, str]], **extra) -> dict:
    data = dict(extra)
    for line, (quantity, condition, disposition) in zip(
        return_request.lines.order_by("id"), values, strict=True
    ):
        data[f"line-{line.pk}-received_quantity"] = quantity
        data[f"line-{line.pk}-condition"] = condition
        data[f"line-{line.pk}-disposition"] = disposition
    return data


def test_partial_receipt_then_inspection(parcel, warehouse_user):
    client = client_for(warehouse_user)
    path = "/backoffice/warehouse/R-000001/"
    with tenant_context(parcel.tenant):
        first_line = parcel.lines.order_by("id").first()
        data = receipt_data(parcel, [(1, "as_new", "restock"), (0, "as_new", "restock")])
    data[f"line-{first_line.pk}-photo"] = SimpleUploadedFile("box.png", photo_bytes(), "image/png")
    assert client.post(path, data).status_code == 302
    page = client.get(path)
    assert page.context["state"] == "partial"
    with tenant_context(parcel.tenant):
        received = reload(parcel.tenant, parcel)
        lines = list(received.lines.order_by("id"))
        assert received.status == "received"
        assert [(line.received_quantity, line.condition) for line in lines] == [
            (1, "as_new"),
            (None, ""),
        ]
        assert Attachment.objects.get().line_id == first_line.pk
        data = receipt_data(parcel, [(2, "opened", "refurbish"), (1, "damaged", "dispose")])
    data["inspect"] = "1"
    client.post(path, data)
    inspected = reload(parcel.tenant, parcel)
    assert inspected.status == "inspected"
    assert client.get(path).context["state"] == "complete"


def test_bad_receipt_input_is_a_field_error(parcel, warehouse_user):
    client = client_for(warehouse_user)
    path = "/backoffice/warehouse/R-000001/"
    with tenant_context(parcel.tenant):
        data = receipt_data(parcel, [(5, "as_new", "restock"), (0, "broken", "restock")])
        first_line = parcel.lines.order_by("id").first()
    data[f"line-{first_line.pk}-photo"] = SimpleUploadedFile("x.png", b"not an image", "image/png")
    response = client.post(path, data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "less than or equal to 2" in body and "Select a valid choice" in body
    assert reload(parcel.tenant, parcel).status == "in_transit"
    with tenant_context(parcel.tenant):
        zero = receipt_data(parcel, [(0, "as_new", "restock"), (0, "as_new", "restock")])
        fake_photo = receipt_data(parcel, [(1, "as_new", "restock"), (0, "as_new", "restock")])
    nothing = client.post(path, zero)
    assert "at least one line" in nothing.content.decode()
    fake_photo[f"line-{first_line.pk}-photo"] = SimpleUploadedFile("x.png", b"GIF89a", "image/png")
    refused = client.post(path, fake_photo)
    assert refused.status_code == 422 and "only JPEG, PNG or WebP" in refused.content.decode()
    assert reload(parcel.tenant, parcel).status == "in_transit"


def test_a_request_not_yet_approved_cannot_be_booked(shop, warehouse_user):
    client = client_for(warehouse_user)
    page = client.get("/backoffice/warehouse/R-000001/")
    assert not page.context["can_book"]
    response = client.post("/backoffice/warehouse/R-000001/", {}, follow=True)
    assert "cannot be received" in response.content.decode()


def test_order_search_and_detail(shop, agent):
    client = client_for(agent)
    with tenant_context(shop["tenant"]):
        make_order("1002", email="piet@example.nl")
    listing = client.get("/backoffice/orders/?q=piet@example.nl")
    assert [order.number for order in listing.context["orders"]] == ["1002"]
    assert [order.number for order in client.get("/backoffice/orders/").context["orders"]] == [
        "1002",
        "1001",
    ]
    page = client.get("/backoffice/orders/1001/")
    body = page.content.decode()
    assert "R-000001" in body and "TSHIRT-M" in body and "Return requested" in body
    assert client.get("/backoffice/orders/nope/").status_code == 404


def test_mark_delayed_and_cancel_record_events(tenant, agent):
    with tenant_context(tenant):
        make_order("1003", shipped_at=None, delivered_at=None, placed_at=timezone.now().isoformat())
    client = client_for(agent)
    past = client.post("/backoffice/orders/1003/delay/", {"expected_at": "2020-01-01"}, follow=True)
    assert "cannot be in the past" in past.content.decode()
    bad = client.post("/backoffice/orders/1003/delay/", {"expected_at": "soon"}, follow=True)
    assert "Enter a valid date" in bad.content.decode()
    new_date = timezone.localdate() + timezone.timedelta(days=5)
    client.post("/backoffice/orders/1003/delay/", {"expected_at": new_date, "reason": "Late"})
    client.post("/backoffice/orders/1003/cancel/", {"reason": ""})
    with tenant_context(tenant):
        order = Order.objects.get(number="1003")
        assert order.status == "delayed" and order.expected_delivery_at.date() == new_date
    client.post("/backoffice/orders/1003/cancel/", {"reason": "Out of stock"})
    with tenant_context(tenant):
        order.refresh_from_db()
        assert order.status == "cancelled"
        assert list(OrderEvent.objects.values_list("type", flat=True)) == ["delayed", "cancelled"]
        actors = set(
            AuditEvent.objects.filter(action__in=["order.delayed", "order.cancelled"]).values_list(
                "actor_label", flat=True
            )
        )
    assert actors == {"agent@acme.example"}
    again = client.post("/backoffice/orders/1003/cancel/", {"reason": "x"}, follow=True)
    assert "cancelled" in again.content.decode()
