"""The return label scans: its Code 128 barcode reads back as the RMA number and its QR
code as the status page's address (rendered to an image with pypdfium2, read by zxing-cpp)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from portal.tests.barcodes import decode_pdf
from returns import labels
from returns.models import ReturnRequest
from returns.tests.conftest import file_return
from returns_platform.tenancy import tenant_context


@pytest.fixture
def return_request(tenant, order):
    with tenant_context(tenant):
        return file_return(order)


@pytest.mark.parametrize("page_format", [labels.A6, labels.A4])
@override_settings(PUBLIC_BASE_URL="https://returns.example.com")
def test_the_labels_barcode_and_qr_code_decode_to_the_rma_and_the_status_url(
    tenant, return_request, page_format
):
    with tenant_context(tenant):
        pdf = labels.render_label_pdf(return_request, page_format=page_format)
        expected_url = "https://returns.example.com" + (
            f"/r/acme/s/{return_request.access_token()}/"
        )
    assert pdf.startswith(b"%PDF-")
    found = decode_pdf(pdf)
    assert found["Code128"] == return_request.rma
    url = found["QRCode"]
    assert url.startswith("https://returns.example.com/r/acme/s/")
    token = url.removeprefix("https://returns.example.com/r/acme/s/").rstrip("/")
    assert ReturnRequest.read_access_token(token) == (tenant.pk, return_request.rma)
    assert len(url) == len(expected_url)


def test_the_label_page_size_is_a6_or_a4(tenant, return_request):
    import pypdfium2

    with tenant_context(tenant):
        sizes = {}
        for page_format in labels.PAGE_FORMATS:
            document = pypdfium2.PdfDocument(
                labels.render_label_pdf(return_request, page_format=page_format)
            )
            width, height = document[0].get_size()
            sizes[page_format] = (round(width / 72 * 25.4), round(height / 72 * 25.4))
            document.close()
    assert sizes == {labels.A6: (105, 148), labels.A4: (210, 297)}


def test_the_label_prints_addresses_method_and_carrier(tenant, return_request):
    with tenant_context(tenant):
        html = labels.render_label_html(return_request)
    assert "Kerkstraat 1" in html and "1012 AB" in html  # sender
    assert "PostNL" in html
    assert return_request.rma in html
    assert "Afgeven bij een servicepunt" in html  # drop-off, in the request's language (nl)


def test_storing_the_label_is_idempotent(tenant, return_request):
    with tenant_context(tenant):
        first = labels.return_label_store(return_request_id=return_request.pk)
        name, ready_at = first.label_pdf.name, first.label_ready_at
        second = labels.return_label_store(return_request_id=return_request.pk)
    assert name and ready_at is not None
    assert (second.label_pdf.name, second.label_ready_at) == (name, ready_at)
    assert first.label_pdf_a4.name.startswith(f"labels/{tenant.pk}/")
    assert return_request.rma not in name


def test_label_less_and_in_store_returns_get_no_label(tenant, order):
    with tenant_context(tenant):
        created = file_return(order, quantities=[0, 1], method="qr_drop_off")
        stored = labels.return_label_store(return_request_id=created.pk)
    assert stored.label_ready_at is None and not stored.label_pdf
