"""Mails produced by the real services: approving a return, booking a credit note."""

from __future__ import annotations

import email
import io
from decimal import Decimal
from urllib.parse import urlsplit

import pypdfium2
import pytest
import zxingcpp
from PIL import Image

from notifications.models import OutboxKind, OutboxMessage
from orders.tests.factories import create_order
from returns.selectors import return_get_by_access_token
from returns.tests.conftest import file_return
from returns.workflow import return_transition
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context

pytestmark = pytest.mark.django_db

STAFF = Actor.system("test")


def approve_a_return(shop, language: str, capture):
    with tenant_context(shop):
        order = create_order("1001", language=language)
        with capture(execute=True):
            request = file_return(order)
        with capture(execute=True):
            return_transition(return_request=request, to="approved", actor=STAFF)
    return request


@pytest.mark.parametrize(
    ("language", "subject", "link_sentence"),
    [
        ("en", "Your return {rma} has been approved", "Download your return label on"),
        ("nl", "Je retour {rma} is goedgekeurd", "Download je retourlabel op de pagina"),
        ("de", "Ihre Rücksendung {rma} wurde genehmigt", "Ihr Rücksendeetikett laden Sie"),
        ("pl", "Twój zwrot {rma} został zaakceptowany", "Pobierz etykietę zwrotną na stronie"),
        ("sv", "Din retur {rma} har godkänts", "Ladda ner din returetikett på sidan"),
    ],
)
def test_approving_a_return_mails_the_customer_a_working_label_link_and_qr_code(
    shop, mailbox, django_capture_on_commit_callbacks, language, subject, link_sentence
):
    request = approve_a_return(shop, language, django_capture_on_commit_callbacks)

    [mail] = [m for m in mailbox if m.extra_headers["X-Returns-Event"] == "return.approved"]
    assert mail.to == ["jan@example.nl"]
    assert mail.subject == subject.format(rma=request.rma)
    line = next(line for line in mail.body.splitlines() if line.startswith(link_sentence))
    link = line.rsplit(" ", 1)[1]
    # The link is the consumer's status page (which offers the label) of this very return.
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == "http://127.0.0.1:8000"
    slug, token = parts.path.strip("/").split("/s/")
    assert slug == "r/acme"
    with tenant_context(shop):
        assert return_get_by_access_token(token=token).pk == request.pk
    # The QR code in the mail opens the same page.
    parsed = email.message_from_bytes(mail.message().as_bytes())
    [png] = [p for p in parsed.walk() if p.get_content_type() == "image/png"]
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.get_payload(decode=True))))
    assert [code.text for code in decoded] == [link]
    # And the mail log holds it, sent, in the customer's language.
    with tenant_context(shop):
        row = OutboxMessage.objects.get(kind=OutboxKind.EMAIL, event="return.approved")
    assert (row.status, row.language, row.rma, row.order_number) == (
        "sent",
        language,
        request.rma,
        "1001",
    )


def test_a_return_without_a_label_links_its_status_page(
    shop, mailbox, django_capture_on_commit_callbacks
):
    with tenant_context(shop):
        order = create_order("1001", language="en")
        with django_capture_on_commit_callbacks(execute=True):
            request = file_return(order, method="in_store")
            return_transition(return_request=request, to="approved", actor=STAFF)
    [mail] = [m for m in mailbox if m.subject.endswith("has been approved")]
    assert "Bring the items and this e-mail to one of our stores." in mail.body
    assert "label" not in mail.body
    assert "Your return's page: http://127.0.0.1:8000/r/acme/s/" in mail.body


def test_credit_note_mail_carries_the_pdf(shop, mailbox, django_capture_on_commit_callbacks):
    from credits.services import credit_note_book, credit_note_create
    from credits.services.credit_notes import Payout

    with tenant_context(shop):
        order = create_order("1001", language="de")
        note = credit_note_create(
            order=order,
            reason="damaged_item",
            amount=Decimal("15.00"),
            payout=Payout(method="bank_transfer", iban="NL91ABNA0417164300", account_holder="J"),
            actor=STAFF,
        )
        with django_capture_on_commit_callbacks(execute=True):
            note = credit_note_book(credit_note=note, actor=STAFF)

    [mail] = [m for m in mailbox if m.subject.startswith("Gutschrift")]
    assert mail.subject == f"Gutschrift {note.number} über 15,00 €"
    assert "Die Gutschrift finden Sie als PDF im Anhang dieser E-Mail." in mail.body
    [(filename, content, mimetype)] = mail.attachments
    assert (filename, mimetype) == (f"{note.number}.pdf", "application/pdf")
    pdf = pypdfium2.PdfDocument(content)
    text = pdf[0].get_textpage().get_text_range()
    assert note.number in text


def test_a_message_from_the_shop_mails_the_customer_but_an_internal_note_does_not(
    shop, mailbox, django_capture_on_commit_callbacks
):
    from conversations.services import conversation_post

    with tenant_context(shop):
        order = create_order("1001", language="pl")
        request = file_return(order)
        mailbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            conversation_post(
                return_request=request,
                body="Prosimy o zdjęcie etykiety.",
                actor=STAFF,
                is_internal=False,
            )
            conversation_post(
                return_request=request, body="Customer sounds upset", actor=STAFF, is_internal=True
            )
    [mail] = mailbox
    assert mail.to == ["jan@example.nl"]
    assert mail.subject == f"Nowa wiadomość dotycząca zwrotu {request.rma}"
    assert '"Prosimy o zdjęcie etykiety."' in mail.body
    assert "upset" not in mail.body


STAFF_MAILS = {
    "en": ("New return request R-000042 for order 1001", "A new return request has arrived."),
    "nl": ("Nieuwe retouraanvraag R-000042 voor bestelling 1001", "Er is een nieuwe"),
    "de": ("Neue Rücksendeanfrage R-000042 zur Bestellung 1001", "Eine neue Rücksendeanfrage"),
    "pl": ("Nowe zgłoszenie zwrotu R-000042 do zamówienia 1001", "Wpłynęło nowe zgłoszenie"),
    "sv": ("Ny returbegäran R-000042 för beställning 1001", "En ny returbegäran har kommit"),
}


@pytest.mark.parametrize("language", list(STAFF_MAILS))
def test_the_shop_is_told_of_a_new_request_in_the_shop_language(language, publish, shop, mailbox):
    from notifications.tests.test_mails import return_data

    shop.default_language = language
    shop.save()
    publish("return.requested", data=return_data("en"))
    [staff] = [m for m in mailbox if m.to == ["returns@acme.example"]]
    subject, sentence = STAFF_MAILS[language]
    assert staff.subject == subject
    assert sentence in staff.body
    assert "#c0ffee" in staff.alternatives[0][0]
