"""The return label scans: its Code 128 barcode reads back as the RMA number and its QR
code as the status page's address (rendered to an image with pypdfium2, read by zxing-cpp)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from returns import labels
from returns.models import ReturnRequest
from returns_platform.tenancy import tenant_context
from testing.barcodes import decode_pdf
from testing.pdf_layout import (
    MM,
    Box,
    Page,
    assert_address_block,
    assert_clean_layout,
    read_pdf,
    save_png,
)
from testing.returns import file_return


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


@pytest.fixture
def addressed_tenant(tenant):
    tenant.return_address_name = "Acme Returns"
    tenant.return_address_street = "Returnweg 7"
    tenant.return_address_postcode = "3542 AD"
    tenant.return_address_city = "Utrecht"
    tenant.save()
    return tenant


@pytest.mark.parametrize("page_format", [labels.A6, labels.A4])
def test_the_label_is_laid_out_line_by_line_inside_the_page_and_cut_line(
    addressed_tenant, return_request, page_format
):
    """Read as a person reads it: words with their positions, and a PNG to look at."""
    with tenant_context(addressed_tenant):
        pdf = labels.render_label_pdf(return_request, page_format=page_format)
    save_png(pdf, f"label-{page_format}")
    page = read_pdf(pdf)

    # Sender (the customer) and the return address: one line each, in reading order.
    assert_address_block(page, ["Jan Jansen", "Kerkstraat 1", "1012 AB Amsterdam"])
    assert_address_block(page, ["Acme Returns", "Returnweg 7", "3542 AD Utrecht", "NL"])
    assert page.line_index("Jan Jansen") < page.line_index("Acme Returns")
    # The header: shop name and method/carrier beside the RMA, never on top of it.
    rma_words = [word for word in page.words if word.text == return_request.rma]
    assert len(rma_words) == 2  # the header and the digits under the barcode
    header_rma = min(rma_words, key=lambda word: word.top)
    carrier = page.word("PostNL")
    assert carrier.x1 < header_rma.x0 or carrier.bottom <= header_rma.top
    assert max(carrier.bottom, header_rma.bottom) <= page.word("Afzender").top

    if page_format == labels.A6:
        assert_clean_layout(page)
    else:
        # The dashed frame is the cut line: an A6 (105 x 148 mm) at the page's margin.
        frame = Box(
            min(rule.x0 for rule in page.rules),
            min(rule.top for rule in page.rules),
            max(rule.x1 for rule in page.rules),
            max(rule.bottom for rule in page.rules),
        )
        assert round((frame.x1 - frame.x0) / MM) == 105
        assert round((frame.bottom - frame.top) / MM) == 148
        instruction = [word for word in page.words if word.top > frame.bottom]
        assert " ".join(word.text for word in instruction).startswith("Knip langs")
        on_label = [word for word in page.words if word.top <= frame.bottom]
        inside = Page(page.width, page.height, on_label, page.images, [])
        assert_clean_layout(inside, frame=frame)
    found = decode_pdf(pdf)
    assert found["Code128"] == return_request.rma
    assert "/s/" in found["QRCode"]


def test_the_portal_renders_a_label_again_when_its_file_has_gone(
    tenant, order, client, django_capture_on_commit_callbacks
):
    with tenant_context(tenant):
        with django_capture_on_commit_callbacks(execute=True):
            created = file_return(order)
        stored = labels.return_label_store(return_request_id=created.pk)
        stored.label_pdf.storage.delete(stored.label_pdf.name)
        token = stored.access_token()
    response = client.get(f"/r/acme/s/{token}/label.pdf")
    assert response.status_code == 200
    assert decode_pdf(b"".join(response.streaming_content))["Code128"] == stored.rma
