"""The credit-note PDF in German, Polish and Swedish, platform-written texts included."""

from __future__ import annotations

import ast
import io
import re
from decimal import Decimal
from pathlib import Path

import polib
import pypdfium2
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation.template import templatize

from credits import documents
from credits.documents import (
    PLATFORM_TEXTS,
    RETURN_DESCRIPTION,
    document_text,
    render_credit_note_html,
    render_credit_note_pdf,
)
from credits.models import CreditNote
from credits.services import credit_note_book, credit_note_create, return_resolve
from credits.services import resolution as resolution_service
from credits.services.credit_notes import Payout
from credits.statuses import CreditNoteReason
from orders.models import Order
from returns_platform.errors import registry
from returns_platform.tenancy import tenant_context
from testing.credits import STAFF, inspected_return
from testing.orders import create_order

pytestmark = pytest.mark.django_db
CREDITS = Path(documents.__file__).resolve().parent
TEMPLATE = Path(settings.BASE_DIR) / "templates" / documents.TEMPLATE
DOCUMENT_LANGUAGES = ("de", "pl", "sv")

# language -> heading, "Reason" label, goodwill reason, return reason, the resolution's
# texts (return cost, delivery cost, the note's description prefix), total line.
EXPECTED = {
    "de": {
        "heading": "Gutschrift",
        "reason_label": "GRUND",  # labels are printed in capitals (text-transform)
        "goodwill": "Kulanz",
        "return": "Rücksendung",
        "return_cost": "Rücksendekosten",
        "delivery": "Ursprüngliche Versandkosten",
        "total": "Gutgeschrieben insgesamt",
    },
    "pl": {
        "heading": "Faktura korygująca",
        "reason_label": "POWÓD",
        "goodwill": "Gest dobrej woli",
        "return": "Zwrot",
        "return_cost": "Koszt zwrotu",
        "delivery": "Pierwotny koszt dostawy",
        "total": "Razem do zwrotu",
    },
    "sv": {
        "heading": "Kreditfaktura",
        "reason_label": "ANLEDNING",
        "goodwill": "Kulans",
        "return": "Retur",
        "return_cost": "Returkostnad",
        "delivery": "Ursprunglig fraktkostnad",
        "total": "Totalt krediterat",
    },
}
ENGLISH = ["Credit note", "REASON", "Goodwill", "Total credited", "Return cost"]


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    text = " ".join(page.get_textpage().get_text_range() for page in document)
    return " ".join(text.split())  # a heading may wrap before the number


def booked_goodwill_note(language: str) -> CreditNote:
    order = create_order("3001", language=language, invoice_number="INV-3001")
    note = credit_note_create(
        order=order,
        reason=CreditNoteReason.GOODWILL,
        amount=Decimal("12.34"),
        payout=Payout("voucher"),
        actor=STAFF,
    )
    return credit_note_book(credit_note=note, actor=STAFF)


@pytest.mark.parametrize("language", DOCUMENT_LANGUAGES)
def test_a_goodwill_credit_note_reads_in_the_orders_language(tenant, language):
    expected = EXPECTED[language]
    with tenant_context(tenant), translation.override("en"):  # the staff side is English
        note = booked_goodwill_note(language)
        text = pdf_text(render_credit_note_pdf(note))
    assert f"{expected['heading']} {note.number}" in text
    assert expected["reason_label"] in text
    assert expected["goodwill"] in text
    assert expected["total"] in text
    # Amounts in the document's language: a decimal comma in German, Polish and Swedish.
    assert "12,34 EUR" in text and "12.34" not in text and "INV-3001" in text
    for english in ENGLISH:
        assert english not in text, english


@pytest.mark.parametrize("language", DOCUMENT_LANGUAGES)
def test_a_resolutions_credit_note_translates_the_lines_the_platform_wrote(tenant, language):
    expected = EXPECTED[language]
    with tenant_context(tenant):
        return_request = inspected_return(resolution="store_credit")
        Order.objects.filter(pk=return_request.order_id).update(language=language)
        resolution = return_resolve(return_request=return_request, actor=STAFF)
        note = resolution.credit_note
        stored = [line.description for line in note.lines.order_by("position")]
        with translation.override("en"):
            text = pdf_text(render_credit_note_pdf(note))
    # Stored as the API shows them; translated only on the document.
    assert stored[-2:] == ["Return cost", "Original delivery cost"]
    assert note.description == f"Return {return_request.rma}"
    assert f"{expected['heading']} {note.number}" in text
    assert f"{expected['return']} {return_request.rma}" in text
    assert expected["return_cost"] in text and expected["delivery"] in text
    assert "T-shirt M" in text and "Jeans 32" in text  # product names stay as sold
    assert "Return cost" not in text and "Original delivery cost" not in text
    assert f"Return {return_request.rma}" not in text


def test_typed_descriptions_are_printed_as_typed(tenant):
    with tenant_context(tenant):
        order = create_order("3002", language="de")
        note = credit_note_create(
            order=order,
            reason=CreditNoteReason.DAMAGED_ITEM,
            amount=None,
            lines=[
                {"description": "Return cost", "unit_amount": Decimal("2.00")},
                {"description": "Return cost refund (typed)", "unit_amount": Decimal("3.00")},
            ],
            description="Return R-999999",  # not this note's return: typed text
            payout=Payout("voucher"),
            actor=STAFF,
        )
        html = render_credit_note_html(note)
    assert "Rücksendekosten" in html  # the known text, whoever typed it
    assert "Return cost refund (typed)" in html
    assert "Return R-999999" in html
    assert "Beschädigter Artikel" in html


def test_document_text_maps_only_the_platforms_own_texts():
    with translation.override("sv"):
        assert document_text("Return cost") == "Returkostnad"
        assert document_text("Original delivery cost") == "Ursprunglig fraktkostnad"
        assert document_text("Return R-000007", return_rma="R-000007") == "Retur R-000007"
        assert document_text("Return R-000007") == "Return R-000007"
        assert document_text("Return R-000007", return_rma="R-000008") == "Return R-000007"
        assert document_text("Jeans 32") == "Jeans 32"
        assert document_text("") == ""


def test_the_texts_the_services_write_are_the_ones_the_document_translates():
    # A changed wording in the services would silently print English again.
    assert resolution_service.RETURN_COST in PLATFORM_TEXTS
    assert resolution_service.DELIVERY_REFUND in PLATFORM_TEXTS
    assert RETURN_DESCRIPTION % {"rma": "R-1"} == "Return R-1"


def pdf_messages() -> set[tuple[str | None, str]]:
    """Every (context, msgid) the credit-note PDF can print."""
    source = templatize(TEMPLATE.read_text(), origin=str(TEMPLATE))
    found: set[tuple[str | None, str]] = set()
    for name, arguments in re.findall(
        r"\b(pgettext|gettext)\(((?:u'(?:[^'\\]|\\.)*',? ?)+)\)", source
    ):
        values = ast.literal_eval(f"({arguments},)")
        found.add((values[0], values[1]) if name == "pgettext" else (None, values[0]))
    found.add(("document", "Credit note"))  # the page footer (documents._stylesheet)
    with translation.override(None):  # the msgids, not their translations
        found.update((None, str(label)) for label in CreditNoteReason.labels)
    found.update((None, text) for text in PLATFORM_TEXTS)
    found.add((None, RETURN_DESCRIPTION))
    return found


def test_the_pdf_messages_are_found_in_the_template():
    messages = pdf_messages()
    assert ("sender", "From") in messages
    assert (None, "Unit (%(currency)s)") in messages
    assert (None, "This credit note corrects order %(number)s.") in messages
    assert len(messages) > 25


@pytest.mark.parametrize("language", ("nl", *DOCUMENT_LANGUAGES))
def test_every_string_of_the_pdf_is_translated(language):
    catalogue = polib.pofile(str(CREDITS / "locale" / language / "LC_MESSAGES" / "django.po"))
    entries = {(entry.msgctxt, entry.msgid): entry for entry in catalogue}
    missing = [message for message in pdf_messages() if message not in entries]
    assert not missing, missing
    untranslated = [
        message
        for message in pdf_messages()
        if not entries[message].msgstr or "fuzzy" in entries[message].flags
    ]
    assert not untranslated, untranslated
    with translation.override(language):
        english = [
            message
            for message in pdf_messages()
            if (translation.pgettext(*message) if message[0] else translation.gettext(message[1]))
            == message[1]
        ]
    assert not english, english


def refusal_messages() -> set[tuple[None, str]]:
    """The credits' refusals (credits.errors): the API answers in every language."""
    with translation.override(None):
        return {
            (None, str(text))
            for entry in registry().values()
            for text in (entry.template, entry.public)
            if isinstance(text, Promise)
        }


@pytest.mark.parametrize("language", DOCUMENT_LANGUAGES)
def test_the_document_catalogues_translate_nothing_but_the_pdf(language):
    """The back office is English and Dutch: a screen string that makemessages adds to
    these catalogues stays empty (or fuzzy), and neither is compiled, so the screen
    falls back to English instead of mixing languages. Refusals are no screen strings:
    the API gives them in the request's language."""
    catalogue = polib.pofile(str(CREDITS / "locale" / language / "LC_MESSAGES" / "django.po"))
    translated = {
        (entry.msgctxt, entry.msgid)
        for entry in catalogue
        if entry.msgstr and "fuzzy" not in entry.flags and not entry.obsolete
    }
    assert translated - refusal_messages() == pdf_messages()
