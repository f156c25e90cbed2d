"""The hot read paths build their documents as dicts: byte for byte the serializers' output."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from orders.documents import order_document
from orders.models import OrderLine
from orders.selectors import (
    order_document_rows,
    order_get,
    order_lines_by_order,
    order_list_rows,
    order_page_rows,
    page_lines,
)
from orders.serializers import OrderOutput
from returns.documents import return_document, summary_document
from returns.models import Attachment, Feedback, ReturnLine, ReturnRequest
from returns.selectors import page_lines as return_page_lines
from returns.selectors import (
    return_document_rows,
    return_get,
    return_lines_by_request,
    return_list_rows,
    return_page_rows,
)
from returns.serializers import ReturnOutput, ReturnSummaryOutput
from tenants.models import SalesChannel
from testing.orders import create_order
from testing.returns import file_return

pytestmark = pytest.mark.django_db


def _bytes(data) -> bytes:
    return JSONRenderer().render(data)


def test_order_document_matches_the_serializer(in_tenant, recent_dates):
    SalesChannel.objects.create(code="web", name="Web", kind="webshop")
    create_order("D1", lines=4, channel="web", **recent_dates)
    create_order("D2", lines=1, customer={"name": "", "phone": ""})
    for number in ("D1", "D2"):
        expected = _bytes(OrderOutput(order_get(number=number)).data)
        assert _bytes(order_document(*order_document_rows(number=number))) == expected
    rows = list(order_list_rows(filters={}).order_by("-id"))
    lines = order_lines_by_order(order_ids=[row["id"] for row in rows])
    expected = _bytes(OrderOutput(order_get(number=row["number"])).data for row in rows)
    assert _bytes([order_document(row, lines[row["id"]]) for row in rows]) == expected


@pytest.mark.postgres
def _amounts_read(grouped: dict, names: tuple[str, ...]) -> dict:
    """The page's lines with their amounts (the columns' text) read as ``Decimal``s."""
    for line in (line for lines in grouped.values() for line in lines):
        assert all(line[name] is None or isinstance(line[name], str) for name in names), line
    return {
        key: [
            {**line, **{n: None if line[n] is None else Decimal(line[n]) for n in names}}
            for line in lines
        ]
        for key, lines in grouped.items()
    }


@pytest.mark.postgres  # the prepared page statements are PostgreSQL's
def test_a_prepared_page_reads_its_lines_with_it_and_matches_the_serializer(in_tenant):
    """One statement for the page and its lines; the lines' JSON (amounts and variants as
    text inside it) reads back to the same values as the two-query path."""
    SalesChannel.objects.create(code="web", name="Web", kind="webshop")
    create_order("P1", lines=3, channel="web")
    bhd = create_order("P2", lines=2, currency="BHD", delivery_cost="1.500")
    OrderLine.objects.filter(order=bhd, position=1).update(unit_price=Decimal("0.755"))
    odd = create_order("P3", lines=2)
    OrderLine.objects.filter(order=odd, position=1).update(
        name='Ünïcode "quoted" \\ line\u2028break',
        variants=[
            {"sku": "B", "name": "Groß", "unit_price": "9.99", "available": True},
            {"big": 2**70, "small": 1e-7, "float": 0.1, "exp": 1.5e300, "nested": [None, {}]},
        ],
    )
    empty = create_order("P4", lines=1)
    empty.lines.all().delete()
    page = order_page_rows(filters={}).order_by("-id")[0:10]
    assert "lines" in page[0]
    # The amounts come as the columns' text (amount_text writes them from it).
    assert {type(row[name]) for row in page for name in ("total", "delivery_cost")} == {str}
    lines = page_lines(page)
    assert lines[empty.pk] == []
    assert lines[odd.pk][0]["variants"][1]["big"] == 2**70  # not a float
    reference = order_lines_by_order(order_ids=list(lines))
    # Each line also carries its row's version (the page's documents are kept by them).
    versions = [line.pop("version") for grouped in lines.values() for line in grouped]
    assert len(set(versions)) == len(versions) == 7 and all(versions)
    assert _amounts_read(lines, ("unit_price", "tax_rate")) == reference
    expected = _bytes(OrderOutput(order_get(number=row["number"])).data for row in page)
    assert _bytes([order_document(row, lines[row["id"]]) for row in page]) == expected


def test_order_without_customer_or_channel(in_tenant):
    order = create_order("D3", lines=2)
    order.__class__.objects.filter(pk=order.pk).update(customer=None)
    document = order_document(*order_document_rows(number="D3"))
    assert document["customer"] is None and document["channel"] is None
    assert _bytes(document) == _bytes(OrderOutput(order_get(number="D3")).data)


def _returns_of_every_kind(recent_dates):
    """A plain request, and one with an assignee, attachments and feedback."""
    plain = file_return(create_order("R1", lines=3, **recent_dates), quantities=[1, 1, 1])
    busy = file_return(create_order("R2", lines=2, **recent_dates), quantities=[1, 1])
    staff = get_user_model().objects.create_user("staff", email="staff@example.com")
    ReturnRequest.objects.filter(pk=busy.pk).update(assignee=staff, held_by=staff)
    line = busy.lines.first()
    for name, target in (("photo.jpg", line), ("receipt.pdf", None)):
        Attachment.objects.create(
            request=busy,
            line=target,
            file=ContentFile(b"x", name=name),
            original_name=name,
            content_type="image/jpeg",
            size=1,
        )
    Feedback.objects.create(
        request=busy,
        rating=4,
        comment="Quick refund.",
        language="nl",
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return plain, busy


def test_return_documents_match_the_serializers(in_tenant, recent_dates):
    plain, busy = _returns_of_every_kind(recent_dates)
    for rma in (plain.rma, busy.rma):
        expected = _bytes(ReturnOutput(return_get(rma=rma)).data)
        assert _bytes(return_document(*return_document_rows(rma=rma))) == expected
    rows = list(return_list_rows(filters={}).order_by("-id"))
    lines = return_lines_by_request(request_ids=[row["id"] for row in rows])
    expected = _bytes(ReturnSummaryOutput(return_get(rma=row["rma"])).data for row in rows)
    assert _bytes([summary_document(row, lines[row["id"]]) for row in rows]) == expected


@pytest.mark.postgres
def test_a_prepared_return_page_reads_its_lines_with_it(in_tenant, recent_dates):
    plain, busy = _returns_of_every_kind(recent_dates)
    ReturnLine.objects.filter(request=busy).update(
        accepted_amount=Decimal("12.345"), exchange_unit_price=Decimal("0.10"), comment='Ü \\ "'
    )
    bare = file_return(create_order("R3", lines=1, **recent_dates), quantities=[1])
    ReturnLine.objects.filter(request=bare).delete()
    page = return_page_rows(filters={}).order_by("-id")[0:10]
    assert "lines" in page[0]
    assert {type(row[name]) for row in page for name in ("return_cost", "refund_total")} == {str}
    lines = return_page_lines(page)
    assert lines[bare.pk] == []
    reference = return_lines_by_request(request_ids=list(lines))
    # Each line also carries its row's and its reason's versions (documents kept by them).
    versions = [line.pop("version") for grouped in lines.values() for line in grouped]
    assert len(set(versions)) == len(versions) == 5 and all("/" in v for v in versions)
    amounts = ("unit_price", "accepted_amount", "exchange_unit_price")
    assert _amounts_read(lines, amounts) == reference
    expected = _bytes(ReturnSummaryOutput(return_get(rma=row["rma"])).data for row in page)
    assert _bytes([summary_document(row, lines[row["id"]]) for row in page]) == expected


def test_documents_write_each_currency_with_its_minor_units(in_tenant, recent_dates):
    jpy = create_order("Y1", lines=2, currency="JPY", delivery_cost="500", **recent_dates)
    bhd = create_order("B1", lines=2, currency="BHD", delivery_cost="1.5", **recent_dates)
    for order, prices in ((jpy, ("1200", "800")), (bhd, ("1.25", "0.5"))):
        for line, price in zip(order.lines.order_by("position"), prices, strict=True):
            line.unit_price = Decimal(price)
            line.save(update_fields=["unit_price"])
        order.__class__.objects.filter(pk=order.pk).update(total=Decimal("2500"))
    returns = [file_return(order, quantities=[1, 1]) for order in (jpy, bhd)]

    document = order_document(*order_document_rows(number="Y1"))
    assert (document["delivery_cost"], document["total"]) == ("500", "2500")
    assert [line["unit_price"] for line in document["lines"]] == ["1200", "800"]
    assert [line["tax_rate"] for line in document["lines"]] == ["21.00", "21.00"]
    document = order_document(*order_document_rows(number="B1"))
    assert (document["delivery_cost"], document["total"]) == ("1.500", "2500.000")
    assert [line["unit_price"] for line in document["lines"]] == ["1.250", "0.500"]
    for number in ("Y1", "B1"):
        expected = _bytes(OrderOutput(order_get(number=number)).data)
        assert _bytes(order_document(*order_document_rows(number=number))) == expected

    rows = {r.currency: return_document(*return_document_rows(rma=r.rma)) for r in returns}
    assert [line["unit_price"] for line in rows["JPY"]["lines"]] == ["1200", "800"]
    assert [line["unit_price"] for line in rows["BHD"]["lines"]] == ["1.250", "0.500"]
    assert "." not in rows["JPY"]["return_cost"]
    assert len(rows["BHD"]["return_cost"].partition(".")[2]) == 3
    for return_request in returns:
        expected = _bytes(ReturnOutput(return_get(rma=return_request.rma)).data)
        assert _bytes(return_document(*return_document_rows(rma=return_request.rma))) == expected
    rows = list(return_list_rows(filters={}).order_by("-id"))
    lines = return_lines_by_request(request_ids=[row["id"] for row in rows])
    expected = _bytes(ReturnSummaryOutput(return_get(rma=row["rma"])).data for row in rows)
    assert _bytes([summary_document(row, lines[row["id"]]) for row in rows]) == expected
