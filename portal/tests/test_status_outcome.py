"""The status page tells the whole story in the customer's language: items and
quantities, the estimate, then the accepted amounts, the refund as recorded (being
processed, then paid with its date), the voucher and its balance, and what happens next.
The API names the same page (``status_url``)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from credits.models import Refund
from credits.services import return_resolve
from credits.statuses import RefundStatus
from credits.tests.conftest import STAFF, inspected_return
from orders.models import Order
from returns.models import ReturnRequest
from returns.tests.conftest import file_return
from returns_platform.tenancy import tenant_context

pytestmark = pytest.mark.django_db


def status_page(return_request) -> str:
    with tenant_context(return_request.tenant):
        path = f"/r/acme/s/{return_request.access_token()}/"
    response = Client().get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_request_shows_its_items_the_estimate_and_what_happens_next(tenant, order):
    with tenant_context(tenant):
        Order.objects.filter(pk=order.pk).update(language="pl")
        order.refresh_from_db()
        return_request = file_return(order, quantities=[2, 1])
    html = status_page(return_request)
    assert "Twój zwrot" in html
    assert "2 × T-shirt M" in html and "1 × Jeans 32" in html
    total = return_request.refund_preview["total"].replace(".", ",")
    assert "Przewidywany zwrot" in html and total in html  # Polish amounts: 109,85
    assert "Co dalej" in html and "Sprawdzimy Twoje zgłoszenie" in html


def test_after_resolution_the_accepted_amount_and_the_refund_as_recorded(tenant):
    with tenant_context(tenant):
        return_request = inspected_return(resolution="refund")
        ReturnRequest.objects.filter(pk=return_request.pk).update(language="de")
        resolution = return_resolve(return_request=return_request, actor=STAFF)
        return_request.refresh_from_db()
    html = status_page(return_request)
    amount = f"{resolution.amount:.2f}".replace(".", ",")
    assert f"Akzeptierter Betrag: {amount}" in html
    assert "wird bearbeitet" in html and "ausgezahlt" not in html
    with tenant_context(tenant):
        paid_at = timezone.now().replace(year=2026, month=11, day=27, hour=12)
        Refund.objects.filter(pk=resolution.refund_id).update(
            status=RefundStatus.SUCCEEDED, succeeded_at=paid_at
        )
    html = status_page(return_request)
    assert "am 27.11.2026 auf Ihre ursprüngliche Zahlungsart ausgezahlt" in html


def test_store_credit_shows_the_voucher_code_and_balance(tenant):
    with tenant_context(tenant):
        return_request = inspected_return(resolution="store_credit")
        ReturnRequest.objects.filter(pk=return_request.pk).update(language="sv")
        resolution = return_resolve(return_request=return_request, actor=STAFF)
        return_request.refresh_from_db()
    html = status_page(return_request)
    assert resolution.voucher.code in html
    assert "Ditt tillgodohavande: presentkort" in html


@override_settings(PUBLIC_BASE_URL="https://returns.example.com")
def test_the_api_names_the_status_page(tenant, api, order):
    with tenant_context(tenant):
        return_request = file_return(order)
    url = api.get(f"/api/v1/returns/{return_request.rma}/").json()["status_url"]
    assert url.startswith("https://returns.example.com/r/acme/s/") and url.endswith("/")
    token = url.removeprefix("https://returns.example.com/r/acme/s/").rstrip("/")
    assert ReturnRequest.read_access_token(token) == (tenant.pk, return_request.rma)
