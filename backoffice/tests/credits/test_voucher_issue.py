"""Issuing a goodwill voucher from the back office."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from credits.codes import format_code
from credits.models import Voucher, VoucherEntry
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from tenants.services import membership_set, user_get_or_create
from testing.credits import STAFF
from testing.dates import days

pytestmark = pytest.mark.django_db
URL = "/backoffice/credits/vouchers/new/"


def client_for(tenant, email: str = "agent@acme.example", role: str = Role.AGENT) -> Client:
    user = user_get_or_create(email=email, password="pw")
    with tenant_context(tenant):
        membership_set(user=user, role=role, actor=STAFF)
    client = Client()
    client.force_login(user)
    return client


def snapshot(tenant) -> dict:
    with tenant_context(tenant):
        return {
            "vouchers": Voucher.objects.count(),
            "entries": VoucherEntry.objects.count(),
            "audit": AuditEvent.objects.count(),
        }


def form(**fields) -> dict:
    return {
        "amount": "15.00",
        "currency": "EUR",
        "description": "Sorry for the late delivery",
        "valid_from": "",
        "expires_at": days(365).isoformat(),
        "order": "",
        "email": "",
        **fields,
    }


def test_issue_a_goodwill_voucher(tenant):
    client = client_for(tenant)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'name="currency" value="EUR"' in page.content.decode()  # the shop's currency

    response = client.post(URL, form(currency="eur"))
    assert response.status_code == 302
    with tenant_context(tenant):
        voucher = Voucher.objects.get()
        entry = voucher.entries.get()
        event = AuditEvent.objects.get(action="voucher.issued")
    assert response["Location"] == f"/backoffice/credits/vouchers/{voucher.pk}/"
    assert (voucher.amount, voucher.balance, voucher.currency) == (
        Decimal("15.00"),
        Decimal("15.00"),
        "EUR",
    )
    assert voucher.description == "Sorry for the late delivery"
    assert (voucher.valid_from, voucher.expires_at) == (timezone.localdate(), days(365))
    assert (entry.kind, entry.reference) == ("issue", "goodwill")
    assert (event.actor_kind, event.actor_label) == ("staff", "agent@acme.example")
    shown = client.get(response["Location"]).content.decode()
    assert format_code(voucher.code) in shown
    assert "15.00 EUR" in shown and '<td class="actor">agent@acme.example</td>' in shown


def test_a_voucher_for_an_order_carries_its_customer(tenant, order):
    client = client_for(tenant)
    response = client.post(URL, form(order="1001", valid_from=days(3).isoformat(), expires_at=""))
    assert response.status_code == 302
    with tenant_context(tenant):
        voucher = Voucher.objects.get()
        event = AuditEvent.objects.get(action="voucher.issued")
    assert (voucher.order_id, voucher.email, voucher.language) == (
        order.pk,
        order.email,
        order.language,
    )
    assert (voucher.valid_from, voucher.expires_at) == (days(3), None)
    assert event.order_number == "1001"  # in the order's document history


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"amount": "0"}, "amount", "The amount must be greater than zero."),
        ({"amount": "-5"}, "amount", "The amount must be greater than zero."),
        ({"amount": "ten"}, "amount", "Enter a number."),
        ({"amount": ""}, "amount", "This field is required."),
        ({"amount": "1.001"}, "amount", "EUR amounts have 2 decimal places."),
        ({"amount": "1.0001"}, "amount", "no more than 3 decimal places"),
        ({"amount": "1.5", "currency": "JPY"}, "amount", "JPY amounts have 0 decimal places."),
        ({"currency": "XYZ"}, "currency", "is not an ISO 4217 currency code."),
        ({"currency": "EURO"}, "currency", "at most 3 characters"),
        ({"expires_at": timezone.localdate().isoformat()}, "expires_at", "must be after"),
        (
            {"valid_from": days(10).isoformat(), "expires_at": days(5).isoformat()},
            "expires_at",
            "must be after",
        ),
        ({"valid_from": "31-02-2026"}, "valid_from", "Enter a valid date."),
        ({"order": "9999"}, "order", "No order with this number."),
        ({"order": "1001", "currency": "USD"}, "currency", "This order is in EUR, not USD."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
    ],
)
def test_bad_input_is_a_field_error_and_writes_nothing(tenant, order, fields, field, message):
    client = client_for(tenant)
    before = snapshot(tenant)
    response = client.post(URL, form(**fields))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}-error"' in page
    assert message in page
    assert snapshot(tenant) == before


def test_a_refusal_reads_dutch_for_a_dutch_staff_member(tenant):
    client = client_for(tenant)
    client.post("/backoffice/language/", {"language": "nl"})
    page = client.get(URL).content.decode()
    assert "<h1>Waardebon uitgeven</h1>" in page and "Geldig vanaf" in page
    before = snapshot(tenant)
    response = client.post(URL, form(amount="0"))
    assert response.status_code == 400
    assert "Het bedrag moet groter dan nul zijn." in response.content.decode()
    assert snapshot(tenant) == before


def test_only_admins_and_agents_issue_vouchers(client, tenant):
    anonymous = client.post(URL, form())
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/backoffice/login/")
    warehouse = client_for(tenant, "warehouse@acme.example", Role.WAREHOUSE)
    before = snapshot(tenant)
    assert warehouse.get(URL).status_code == 403
    assert warehouse.post(URL, form()).status_code == 403
    assert snapshot(tenant) == before
    admin = client_for(tenant, "boss@acme.example", Role.ADMIN)
    assert admin.post(URL, form()).status_code == 302
    assert client_for(tenant).put(URL).status_code == 405


def test_the_issue_page_is_constant_in_queries(tenant, make_voucher, django_assert_num_queries):
    client = client_for(tenant)
    client.get(URL)  # the first request stores the chosen shop in the session
    make_voucher("5.00")
    # Session, user and membership; the form reads nothing else.
    with django_assert_num_queries(3):
        assert client.get(URL).status_code == 200
