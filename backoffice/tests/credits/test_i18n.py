"""Credits screens in the staff member's language; the credit note in the customer's."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdfium2
import pytest
from django.conf import settings
from django.test import Client

from credits.models import CreditNote
from credits.services import credit_note_create, voucher_redeem
from credits.services.credit_notes import Payout
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from tenants.services import api_key_create, membership_set, user_get_or_create
from testing.credits import STAFF
from testing.orders import create_order

pytestmark = pytest.mark.django_db
BASE = "/backoffice/credits/"


def signed_in(tenant, email: str, *, language: str = "en", role: str = Role.AGENT) -> Client:
    """A staff member's browser with the language chosen in the top bar's switch."""
    user = user_get_or_create(email=email, password="pw")
    with tenant_context(tenant):
        membership_set(user=user, role=role, actor=STAFF)
    client = Client()
    client.force_login(user)
    switched = client.post("/backoffice/language/", {"language": language})
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    return client


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_voucher_page_and_credit_note_list_read_dutch_for_a_dutch_staff_member(
    tenant, order, make_voucher
):
    voucher = make_voucher("25.00")
    with tenant_context(tenant):
        credit_note_create(
            order=order,
            reason="goodwill",
            amount=Decimal("5.00"),
            payout=Payout("voucher"),
            actor=STAFF,
        )
    dutch = signed_in(tenant, "anna@acme.example", language="nl")
    english = signed_in(tenant, "ann@acme.example", language="en")

    page = dutch.get(f"{BASE}vouchers/{voucher.pk}/").content.decode()
    for heading in ("<h1>Waardebon", "Saldo", "Grootboek", "Saldo daarna", "Inwisselen"):
        assert heading in page, heading
    assert "Uitgifte" in page and "Actief" in page  # ledger kind and status labels
    assert "Ledger" not in page and "Balance after" not in page
    listing = dutch.get(f"{BASE}credit-notes/").content.decode()
    for heading in ("<h1>Creditnota's</h1>", "Nummer", "Aangemaakt door", "Geboekt door"):
        assert heading in listing, heading
    assert "Coulance" in listing and "Concept" in listing  # reason and status labels
    assert "Nieuwe creditnota" in listing

    assert "<h2>Ledger</h2>" in english.get(f"{BASE}vouchers/{voucher.pk}/").content.decode()
    assert "<h1>Credit notes</h1>" in english.get(f"{BASE}credit-notes/").content.decode()


def test_a_service_refusal_reads_in_the_screens_language(tenant, make_voucher):
    voucher = make_voucher("25.00")
    dutch = signed_in(tenant, "anna@acme.example", language="nl")
    response = dutch.post(f"{BASE}vouchers/{voucher.pk}/redeem/", {"amount": "30.00"})
    assert response.status_code == 400
    assert "Het saldo van de waardebon is 25.00 EUR." in response.content.decode()
    english = signed_in(tenant, "ann@acme.example")
    response = english.post(f"{BASE}vouchers/{voucher.pk}/redeem/", {"amount": "30.00"})
    assert "The voucher&#x27;s balance is 25.00 EUR." in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("en", ["Credit note", "Total credited", "Goodwill", "12.34"], ["Creditnota"]),
        ("nl", ["Creditnota", "Totaal gecrediteerd", "Coulance", "12,34"], ["Total credited"]),
    ],
)
def test_the_credit_note_pdf_follows_the_orders_language_not_the_staff_members(
    tenant, language, expected, absent
):
    with tenant_context(tenant):
        order = create_order("1002", language=language, invoice_number="INV-7")
        note = credit_note_create(
            order=order,
            reason="goodwill",
            amount=Decimal("12.34"),
            payout=Payout("voucher"),
            actor=STAFF,
        )
    # The staff member reads the back office in the other language.
    staff_language = "en" if language == "nl" else "nl"
    client = signed_in(tenant, "anna@acme.example", language=staff_language)
    assert client.post(f"{BASE}credit-notes/{note.pk}/book/").status_code == 302
    pdf = client.get(f"{BASE}credit-notes/{note.pk}/document.pdf")
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    for word in expected:
        assert word in text, word
    for word in absent:
        assert word not in text, word
    with tenant_context(tenant):
        assert CreditNote.objects.get(pk=note.pk).status == "booked"


def test_the_ledger_names_who_wrote_each_line(tenant, make_voucher):
    voucher = make_voucher("25.00")  # issued by the system
    client = signed_in(tenant, "anna@acme.example")
    client.post(f"{BASE}vouchers/{voucher.pk}/redeem/", {"amount": "1.00"})
    with tenant_context(tenant):
        key = api_key_create(name="Till 4 POS", actor=STAFF).api_key
        voucher.refresh_from_db()
        voucher_redeem(voucher=voucher, amount=Decimal("2.00"), actor=Actor.api_key(key))
    page = client.get(f"{BASE}vouchers/{voucher.pk}/").content.decode()
    ledger = page[page.index('id="ledger"') :]
    by_column = [cell.split("</td>")[0] for cell in ledger.split('<td class="actor">')[1:]]
    assert by_column == ["System", "anna@acme.example", "Till 4 POS"]
    assert "staff:" not in page and "api_key:" not in page and "system:" not in page
    dutch = signed_in(tenant, "bram@acme.example", language="nl")
    assert (
        '<td class="actor">Systeem</td>'
        in dutch.get(f"{BASE}vouchers/{voucher.pk}/").content.decode()
    )


def test_the_dutch_catalogue_is_complete():
    import polib

    from credits import __file__ as package

    catalogue = polib.pofile(package.replace("__init__.py", "locale/nl/LC_MESSAGES/django.po"))
    assert catalogue.percent_translated() == 100
    assert not [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
