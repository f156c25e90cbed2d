"""The credit note as a person sees it: words with positions on the rendered PDF, and a PNG
of each language in var/screenshots/ for a reviewer to look at."""

from __future__ import annotations

import pytest

from credits.documents import render_credit_note_pdf
from credits.services import return_resolve
from credits.tests.conftest import STAFF, inspected_return
from orders.models import Order
from returns_platform.tenancy import tenant_context
from returns_platform.tests.pdf_layout import (
    MM,
    Box,
    assert_clean_layout,
    assert_stacked,
    read_pdf,
    save_png,
)

pytestmark = pytest.mark.django_db
# The Jeans line's amount as each language writes it.
LINE_AMOUNT = {"en": "69.95", "nl": "69,95", "de": "69,95"}


@pytest.fixture
def seller(tenant):
    tenant.return_address_name = "Acme Returns"
    tenant.return_address_street = "Returnweg 7"
    tenant.return_address_postcode = "3542 AD"
    tenant.return_address_city = "Utrecht"
    tenant.save()
    return tenant


@pytest.mark.parametrize("language", ["en", "nl", "de"])
def test_the_credit_note_is_laid_out_inside_its_margins(seller, language):
    with tenant_context(seller):
        return_request = inspected_return(resolution="refund")
        Order.objects.filter(pk=return_request.order_id).update(language=language)
        note = return_resolve(return_request=return_request, actor=STAFF).credit_note
        pdf = render_credit_note_pdf(note)
    save_png(pdf, f"credit-note-{language}")
    page = read_pdf(pdf)

    # Seller and customer: two columns, each address one line under the other.
    assert_stacked(page, ["Acme Returns", "Returnweg 7", "3542 AD Utrecht", "NL"])
    assert_stacked(page, ["Jan Jansen", "Kerkstraat 1", "1012 AB Amsterdam", "NL"])
    assert page.phrase("Acme Returns").x1 < page.phrase("Jan Jansen").x0
    # The product lines follow the addresses, in the order of the return.
    assert page.phrase("Kerkstraat 1").bottom < page.phrase("T-shirt M").top
    assert page.phrase("T-shirt M").bottom <= page.phrase("Jeans 32").top
    amount = LINE_AMOUNT[language]
    assert f"Jeans 32 1 {amount} 21% {amount}" in page.lines()
    # Nothing overlaps and all stays inside the page's margins (16 mm each side; the
    # footer sits in the bottom margin, above the paper's edge).
    content = Box(16 * MM - 1, 18 * MM - 1, page.width - 16 * MM + 1, page.height - 8 * MM)
    assert_clean_layout(page, frame=content)


@pytest.fixture
def legal_seller(seller):
    seller.legal_name = "Acme Retail B.V."
    seller.legal_address = "Keizersgracht 100\n1015 AA Amsterdam\nNL"
    seller.vat_number = "NL123456789B01"
    seller.save()
    return seller


def test_the_credit_note_names_the_seller_and_prints_the_refund_as_recorded(legal_seller):
    from django.utils import timezone

    from credits.models import Refund
    from credits.statuses import RefundStatus

    with tenant_context(legal_seller):
        return_request = inspected_return(resolution="refund")
        Order.objects.filter(pk=return_request.order_id).update(language="nl")
        note = return_resolve(return_request=return_request, actor=STAFF).credit_note
        pending = read_pdf(render_credit_note_pdf(note))
        paid_at = timezone.now().replace(year=2026, month=11, day=27, hour=12)
        refunds = Refund.objects.filter(credit_note=note)
        assert refunds.exists()
        refunds.update(status=RefundStatus.SUCCEEDED, succeeded_at=paid_at)
        pdf = render_credit_note_pdf(note)
    save_png(pdf, "credit-note-nl-seller-paid")
    paid = read_pdf(pdf)
    assert_stacked(
        pending,
        [
            "Acme Retail B.V.",
            "Keizersgracht 100",
            "1015 AA Amsterdam",
            "NL",
            "Btw-nummer NL123456789B01",
        ],
    )
    text = " ".join(pending.lines())
    assert "Terugbetaald" not in text
    assert "de terugbetaling wordt verwerkt" in text
    assert "Totaal gecrediteerd 109,85 EUR" in text
    assert "Terugbetaald via de oorspronkelijke betaalmethode op 27-11-2026." in " ".join(
        paid.lines()
    )
    assert_clean_layout(paid)
