"""The credit note PDF: one HTML template and a stylesheet compiled once per language.

The font face and WeasyPrint's font configuration are shared with the return labels
(``returns_platform.pdf``), built once per process.

Texts the platform writes on a note itself (a resolution's "Return cost" line, the
"Return R-000001" description) are stored in English, as the API shows them; the
document translates the known ones into the customer's language when it is rendered.
Text a person typed is printed as typed.
"""

from __future__ import annotations

import functools
import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, pgettext

from credits.models import CreditNote
from credits.statuses import RefundStatus
from returns_platform.dates import format_date
from returns_platform.money import quantize
from returns_platform.pdf import brand_colour, document_font, font_config

TEMPLATE = "documents/credit_note.html"
logger = logging.getLogger(__name__)

# Line and note descriptions the platform writes in English (credits.services.resolution:
# RETURN_COST, DELIVERY_REFUND; discount_cheque_refund's default description). They are
# their own msgids, so the stored text is looked up as it is.
PLATFORM_TEXTS = frozenset(
    {
        gettext_noop("Return cost"),
        gettext_noop("Original delivery cost"),
        gettext_noop("Discount cheque not applied to the order"),
    }
)
# A resolution's note description: "Return <rma>" (credits.services.resolution).
RETURN_DESCRIPTION = gettext_noop("Return %(rma)s")

STYLESHEET = """
@font-face { font-family: "Doc Sans"; src: url("%(font)s"); }
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-center { content: "%(footer)s " counter(page) " / " counter(pages);
                         font-family: "Doc Sans"; font-size: 7.5pt; color: #777; } }
html { font-family: "Doc Sans"; font-size: 9.5pt; color: #222; }
h1 { font-size: 17pt; margin: 0 0 2mm 0;  }
.brand-bar { height: 3mm;  margin-bottom: 8mm; }
table.columns { width: 100%%; border-collapse: collapse; table-layout: fixed; }
table.columns > tr > td, table.columns td { vertical-align: top; padding: 0; }
table.addresses { margin: 8mm 0; line-height: 1.45; }
.label { color: #666; font-size: 8pt; text-transform: uppercase; letter-spacing: .04em; }
table.facts td { padding: 0.6mm 4mm 0.6mm 0; }
table.lines { width: 100%%; border-collapse: collapse; margin-top: 6mm; }
table.lines th { text-align: left; border-bottom: 0.6mm solid #444; padding: 1.5mm 1mm;
                 font-size: 8pt; color: #444; }
table.lines td { border-bottom: 0.2mm solid #ddd; padding: 1.5mm 1mm; vertical-align: top; }
.num { text-align: right; white-space: nowrap; }
table.totals { margin-left: auto; margin-top: 5mm; border-collapse: collapse; }
table.totals td { padding: 1mm 2mm; }
table.totals tr.grand td { border-top: 0.4mm solid #222; font-weight: bold; font-size: 11pt; }
.note { margin-top: 10mm; color: #444; line-height: 1.45; }
"""


@functools.cache
def _stylesheet(language: str):
    """The stylesheet in one language (its page footer is text): one per language."""
    from weasyprint import CSS

    footer = pgettext("document", "Credit note").replace("\\", "").replace('"', "")
    css = STYLESHEET % {"font": document_font().as_uri(), "footer": footer}
    return CSS(string=css, font_config=font_config())


def document_language(credit_note: CreditNote, tenant=None) -> str:
    """The customer's language: the order's, else the shop's, else the default.

    A credit note is the customer's document, so it never follows the language of the
    staff member (or the request) that happens to book or download it.
    """
    available = {code for code, _name in settings.LANGUAGES}
    for language in (
        credit_note.order.language,
        getattr(tenant, "default_language", ""),
        settings.LANGUAGE_CODE,
    ):
        if language and language.split("-")[0] in available:
            return language.split("-")[0]
    return settings.LANGUAGE_CODE


def document_text(text: str, *, return_rma: str = "") -> str:
    """A stored description in the active language if the platform wrote it, else as is."""
    if text in PLATFORM_TEXTS:
        return gettext(text)
    if return_rma and text == RETURN_DESCRIPTION % {"rma": return_rma}:
        return gettext(RETURN_DESCRIPTION) % {"rma": return_rma}
    return text


def _context(credit_note: CreditNote) -> dict:
    from tenants.models import Tenant

    tenant = Tenant.objects.get(pk=credit_note.tenant_id)
    order = credit_note.order
    currency = credit_note.currency
    lines = list(credit_note.lines.all())
    rates: dict = {}
    for line in lines:
        if line.tax_rate > 0:
            rates[line.tax_rate] = rates.get(line.tax_rate, 0) + line.tax_amount
    booked_at = credit_note.booked_at or timezone.now()
    return {
        "seller": seller(tenant),
        "refund": refund_state(credit_note),
        "tenant": tenant,
        "brand": brand_colour(tenant),
        "note": credit_note,
        "order": order,
        "customer_name": (order.customer.name if order.customer_id else "") or order.shipping_name,
        "lines": lines,
        "currency": currency,
        "net_total": quantize(credit_note.total - credit_note.tax_total, currency),
        "tax_lines": [(rate, quantize(amount, currency)) for rate, amount in sorted(rates.items())],
        "date": timezone.localtime(booked_at).date(),
    }


def seller(tenant) -> dict:
    """Who issues the note: the legal name, address and VAT number from the shop settings,
    else the shop's name and return address."""
    if tenant.legal_address.strip():
        address = [line.strip() for line in tenant.legal_address.splitlines() if line.strip()]
    else:
        address = [
            tenant.return_address_street,
            f"{tenant.return_address_postcode} {tenant.return_address_city}".strip(),
            tenant.return_address_country,
        ]
    return {
        "name": tenant.legal_name or tenant.return_address_name or tenant.name,
        "address": [line for line in address if line],
        "vat_number": tenant.vat_number,
    }


def refund_state(credit_note: CreditNote) -> dict:
    """The refund to the original payment method as recorded: paid (with its date),
    failed, or still being processed (nothing paid yet)."""
    refunds = list(credit_note.refunds.all()) if credit_note.pk else []
    paid = [refund for refund in refunds if refund.status == RefundStatus.SUCCEEDED]
    if paid:
        when = max(refund.succeeded_at or refund.updated_at for refund in paid)
        return {"state": "paid", "when": when}
    if refunds and all(refund.status == RefundStatus.FAILED for refund in refunds):
        return {"state": "failed"}
    return {"state": "pending"}


def _translated_texts(credit_note: CreditNote, lines: list) -> dict:
    """The descriptions in the active language; called inside the document's language."""
    rma = credit_note.return_rma
    return {
        "description": document_text(credit_note.description, return_rma=rma),
        "rows": [(line, document_text(line.description, return_rma=rma)) for line in lines],
    }


def _dated(context: dict, language: str) -> None:
    context["date_text"] = format_date(context["date"], language)
    if "when" in context["refund"]:
        context["refund"]["date"] = format_date(context["refund"]["when"], language)


def render_credit_note_html(credit_note: CreditNote) -> str:
    context = _context(credit_note)
    language = document_language(credit_note, context["tenant"])
    _dated(context, language)
    with translation.override(language):
        context.update(_translated_texts(credit_note, context["lines"]))
        return render_to_string(TEMPLATE, context)


def render_credit_note_pdf(credit_note: CreditNote) -> bytes:
    from weasyprint import HTML

    context = _context(credit_note)
    language = document_language(credit_note, context["tenant"])
    _dated(context, language)
    with translation.override(language):
        context.update(_translated_texts(credit_note, context["lines"]))
        html = render_to_string(TEMPLATE, context)
        stylesheet = _stylesheet(translation.get_language())
    return HTML(string=html).write_pdf(stylesheets=[stylesheet], font_config=font_config())
