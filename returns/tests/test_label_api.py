"""The return label through the API: rendered after commit whatever the channel."""

from __future__ import annotations

import pytest

from returns.models import ReturnRequest
from returns_platform.tenancy import tenant_context
from testing.barcodes import decode_pdf
from testing.orders import create_api_order

pytestmark = pytest.mark.django_db


def file_by_api(api, method: str) -> str:
    order = create_api_order(api)
    response = api.post(
        "/api/v1/returns/",
        {
            "order": "1001",
            "case_type": "return",
            "resolution": "refund",
            "method": method,
            "lines": [
                {"order_line": order["lines"][0]["id"], "quantity": 1, "reason": "too_small"}
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()["rma"]


def test_a_return_filed_by_api_gets_a_scannable_label(
    tenant, api, outsider_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rma = file_by_api(api, "drop_off")

    a6 = api.get(f"/api/v1/returns/{rma}/label.pdf")
    assert a6.status_code == 200
    assert a6["Content-Type"] == "application/pdf"
    codes = decode_pdf(b"".join(a6.streaming_content))
    assert rma in codes.values()
    a4 = api.get(f"/api/v1/returns/{rma}/label.pdf", {"size": "a4"})
    assert a4.status_code == 200 and a4["Content-Disposition"].endswith(f'{rma}-a4.pdf"')

    bad = api.get(f"/api/v1/returns/{rma}/label.pdf", {"size": "letter"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_size"
    assert outsider_api.get(f"/api/v1/returns/{rma}/label.pdf").status_code == 404


def test_a_stored_label_is_one_query(
    tenant, api, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        rma = file_by_api(api, "drop_off")
    api.get(f"/api/v1/returns/{rma}/label.pdf")  # the key's last-use stamp on first use
    with django_assert_num_queries(1):  # the request alone: no order, lines or people
        label = api.get(f"/api/v1/returns/{rma}/label.pdf")
    assert label.status_code == 200
    assert rma in decode_pdf(b"".join(label.streaming_content)).values()


def test_a_lost_label_file_is_rendered_again(
    tenant, api, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        rma = file_by_api(api, "drop_off")
    with tenant_context(tenant):
        stored = ReturnRequest.objects.get(rma=rma).label_pdf
        stored.storage.delete(stored.name)
    label = api.get(f"/api/v1/returns/{rma}/label.pdf")
    assert label.status_code == 200
    assert rma in decode_pdf(b"".join(label.streaming_content)).values()
    assert "is missing; rendering it again" in caplog.text


def test_label_not_ready_and_methods_without_label(tenant, api):
    rma = file_by_api(api, "drop_off")  # the commit hook has not run: still rendering
    pending = api.get(f"/api/v1/returns/{rma}/label.pdf")
    assert pending.status_code == 409 and pending.json()["code"] == "label_not_ready"


def test_in_store_returns_have_no_label(tenant, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rma = file_by_api(api, "in_store")
    missing = api.get(f"/api/v1/returns/{rma}/label.pdf")
    assert missing.status_code == 404 and missing.json()["code"] == "no_label"


def test_a_label_whose_stored_file_has_gone_is_rendered_again(
    tenant, api, django_capture_on_commit_callbacks
):
    """Media restored without the label files (or storage moved) must not break the
    download: the label is rendered again from the request, the same in both formats."""
    from returns.models import ReturnRequest
    from returns_platform.tenancy import tenant_context

    with django_capture_on_commit_callbacks(execute=True):
        rma = file_by_api(api, "drop_off")
    with tenant_context(tenant):
        stored = ReturnRequest.objects.get(rma=rma)
        for field in (stored.label_pdf, stored.label_pdf_a4):
            field.storage.delete(field.name)
            assert not field.storage.exists(field.name)

    for size, page in (("a6", (105, 148)), ("a4", (210, 297))):
        response = api.get(f"/api/v1/returns/{rma}/label.pdf", {"size": size})
        assert response.status_code == 200
        pdf = b"".join(response.streaming_content)
        assert decode_pdf(pdf)["Code128"] == rma
        import pypdfium2

        width, height = pypdfium2.PdfDocument(pdf)[0].get_size()
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == page
