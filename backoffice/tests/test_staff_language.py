"""A Dutch customer's request read by English and Dutch staff: verdicts, warnings,
reasons, methods and history in the screen's language, and no raw code anywhere."""

from __future__ import annotations

import pytest
from django.utils import translation

from returns.models import ReturnRequest
from returns.selectors import return_policy_get
from returns_platform.tenancy import tenant_context
from testing.orders import make_order
from testing.returns import file_return
from testing.staff import client_for

pytestmark = pytest.mark.django_db
RAW_CODES = ("drop_off", "too_small", "return.requested", "return.label_ready")


@pytest.fixture
def dutch_request(tenant):
    """A request filed on the Dutch portal: the consumer read every verdict in Dutch."""
    with tenant_context(tenant):
        policy = return_policy_get()
        policy.high_value_threshold = "1.00"  # every request gets a warning
        policy.save()
        order = make_order("1001", language="nl")
        with translation.override("nl"):
            return_request = file_return(order, language="nl")
    return return_request


def _page(client, rma: str, language: str) -> str:
    client.post("/backoffice/language/", {"language": language})
    response = client.get(f"/backoffice/requests/{rma}/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_english_screen_shows_a_dutch_customers_request_in_english(dutch_request, agent):
    with translation.override("nl"):
        stored = dutch_request.verdicts
    assert any("NL worden geaccepteerd" in verdict["reason"] for verdict in stored)
    page = _page(client_for(agent), dutch_request.rma, "en")
    assert "Returns from NL are accepted." in page
    assert "Drop-off at a service point is offered for NL." in page
    assert "Value " in page and "is above the review threshold" in page
    assert "Return requested" in page  # the history's event
    assert "Too small" in page  # the reason's English label
    assert "Nederlands" in page or "Dutch" in page  # the customer's language, named
    assert "worden geaccepteerd" not in page and "wordt aangeboden" not in page
    for code in RAW_CODES:
        assert code not in page, code


def test_a_dutch_screen_shows_the_same_request_in_dutch(dutch_request, agent):
    page = _page(client_for(agent), dutch_request.rma, "nl")
    assert "NL worden geaccepteerd" in page
    assert "Returns from NL are accepted." not in page
    assert "is above the review threshold" not in page
    assert "Retour aangevraagd" in page
    for code in RAW_CODES:
        assert code not in page, code


def test_a_request_stored_before_verdicts_kept_their_key_reads_as_it_was_written(
    dutch_request, tenant, agent
):
    with tenant_context(tenant):
        ReturnRequest.objects.filter(pk=dutch_request.pk).update(
            verdicts=[{"rule": "country", "outcome": "ok", "reason": "Stored text.", "line": None}],
            warnings=[{"code": "high_value", "message": "Value 9.00 EUR is high."}],
        )
    page = _page(client_for(agent), dutch_request.rma, "en")
    assert "Stored text." in page and "Value 9.00 EUR is high." in page
    assert "Country" in page  # the rule's label, not its code


def test_the_order_history_names_documents_instead_of_table_rows(tenant, agent):
    from decimal import Decimal

    from credits.services import credit_note_book, credit_note_create
    from credits.services.credit_notes import Payout
    from returns_platform.audit import Actor

    with tenant_context(tenant):
        order = make_order("1002")
        note = credit_note_create(
            order=order,
            reason="goodwill",
            amount=Decimal("5.00"),
            payout=Payout("voucher"),
            actor=Actor.system("test"),
        )
        credit_note_book(credit_note=note, actor=Actor.system("booker"))
        note.refresh_from_db()
    client = client_for(agent)
    page = client.get("/backoffice/orders/1002/").content.decode()
    assert f">Credit note {note.number}</a>" in page
    assert "Credit note booked" in page
    assert f"credit_note {note.pk}" not in page and "credit_note.booked" not in page
