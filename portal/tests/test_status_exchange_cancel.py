"""The status page names the order that ships a replacement (number and state) and the
reason a return was cancelled, in the customer's language."""

from __future__ import annotations

import pytest
from django.test import Client

from credits.services.decisions import return_decide
from orders.models import Order
from orders.services import order_event_record
from returns.services import return_withdraw
from returns.workflow import return_move
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from testing.credits import inspected_return
from testing.orders import create_order
from testing.returns import file_return
from testing.staff import TEST_ACTOR

pytestmark = pytest.mark.django_db


def status_page(tenant, return_request) -> str:
    with tenant_context(tenant):
        path = f"/r/{tenant.slug}/s/{return_request.access_token()}/"
    response = Client().get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_replacement_decision_shows_the_new_order_and_its_state(tenant):
    with tenant_context(tenant):
        request = inspected_return(
            number="4001", resolution="refund", case_type="complaint", inspect=False, language="nl"
        )
        return_decide(
            return_request=request, decision="replace", reason="Defect.", actor=TEST_ACTOR
        )
        exchange = Order.objects.get(exchange_for=request.rma)
    html = status_page(tenant, request)
    assert f"Je vervanging wordt verstuurd als bestelling {exchange.number}." in html
    assert "Status van die bestelling: wordt klaargemaakt." in html

    with tenant_context(tenant):
        order_event_record(order=exchange, event_type="shipped", actor=TEST_ACTOR)
    assert "Status van die bestelling: verzonden." in status_page(tenant, request)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "This return was cancelled. Reason: Sold out, sorry."),
        ("nl", "Deze retour is geannuleerd. Reden: Sold out, sorry."),
    ],
)
def test_a_cancelled_return_shows_the_reason(tenant, language, sentence):
    with tenant_context(tenant):
        request = file_return(create_order("1001", language=language))
        return_move(
            return_request=request, to="cancelled", actor=TEST_ACTOR, reason="Sold out, sorry."
        )
    html = status_page(tenant, request)
    assert sentence in html
    assert 'data-testid="cancellation-reason"' in html


def test_an_open_return_shows_no_cancellation_reason(tenant):
    with tenant_context(tenant):
        request = file_return(create_order("1001", language="en"))
    html = status_page(tenant, request)
    assert 'data-testid="cancellation-reason"' not in html
    assert 'data-testid="exchange-state"' not in html


def test_a_withdrawn_return_shows_the_withdrawal(tenant):
    with tenant_context(tenant):
        request = file_return(create_order("1001", language="en"))
        return_withdraw(return_request=request, actor=Actor.consumer("jan@example.nl"))
    assert "This return was cancelled. Reason: " in status_page(tenant, request)
