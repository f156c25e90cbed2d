"""What an open return relies on cannot change under it: currency, held lines, held units."""

from __future__ import annotations

import copy
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from credits import tasks
from credits.models import CreditNote
from credits.services import credit_note_book
from orders.models import Order
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from tenants.services import membership_set, user_get_or_create


def _order() -> dict:
    delivered = timezone.now() - timedelta(days=2)
    return {
        "number": "M-1",
        "email": "sara@example.se",
        "language": "sv",
        "currency": "SEK",
        "shipping_address": {
            "name": "Sara",
            "street": "Storgatan 1",
            "postcode": "111 21",
            "city": "Stockholm",
            "country": "SE",
        },
        "placed_at": (delivered - timedelta(days=2)).isoformat(),
        "shipped_at": (delivered - timedelta(days=1)).isoformat(),
        "delivered_at": delivered.isoformat(),
        "lines": [
            {"sku": "JACKET", "name": "Jacket", "quantity": 3, "unit_price": "200.00"},
            {"sku": "SOCKS", "name": "Socks", "quantity": 1, "unit_price": "50.00"},
        ],
    }


@pytest.fixture
def held(api):
    """Order M-1 with a return holding two of its three jackets."""
    created = api.post("/api/v1/orders/", _order(), format="json")
    assert created.status_code == 201, created.json()
    jacket = created.json()["lines"][0]["id"]
    filed = api.post(
        "/api/v1/returns/",
        {
            "order": "M-1",
            "case_type": "return",
            "resolution": "refund",
            "method": "drop_off",
            "lines": [{"order_line": jacket, "quantity": 2, "reason": "too_small"}],
        },
        format="json",
    )
    assert filed.status_code == 201, filed.json()
    return filed.json()["rma"]


def _upsert(api, change):
    payload = _order()
    change(payload)
    return api.post("/api/v1/orders/", payload, format="json")


def _snapshot(tenant):
    with tenant_context(tenant):
        order = Order.objects.get(number="M-1")
        return (
            order.currency,
            order.total,
            [(line.sku, line.name, line.quantity, line.unit_price) for line in order.lines.all()],
        )


def test_the_currency_of_an_order_with_an_open_return_is_locked(api, tenant, held):
    before = _snapshot(tenant)
    response = _upsert(api, lambda order: order.update(currency="EUR"))
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["returns"], body["field"]) == ("currency_locked", [held], "currency")
    assert held in body["message"]
    assert _snapshot(tenant) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("unit_price", "1.00"), ("sku", "SOMETHING"), ("name", "Something else")],
)
def test_a_held_line_keeps_what_the_return_pays_for(api, tenant, held, field, value):
    before = _snapshot(tenant)
    response = _upsert(api, lambda order: order["lines"][0].update({field: value}))
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["returns"]) == ("line_in_use", [held])
    assert field in response.json()["message"]
    assert _snapshot(tenant) == before


def test_held_units_cannot_be_taken_away_but_others_can(api, tenant, held):
    refused = _upsert(api, lambda order: order["lines"][0].update(quantity=1))
    assert (refused.status_code, refused.json()["code"]) == (409, "line_in_use")
    assert "2 unit(s)" in refused.json()["message"]

    # Two jackets are held: dropping to two is fine; the unheld line may change freely.
    def change(order):
        order["lines"][0]["quantity"] = 2
        order["lines"][1].update(unit_price="45.00", name="Wool socks")

    accepted = _upsert(api, change)
    assert accepted.status_code == 200, accepted.json()
    assert _snapshot(tenant)[2] == [
        ("JACKET", "Jacket", 2, pytest.approx(200)),
        ("SOCKS", "Wool socks", 1, pytest.approx(45)),
    ]


def test_a_replay_is_unchanged_and_a_cancelled_return_releases_its_lines(api, tenant, held):
    assert _upsert(api, lambda order: None).status_code == 200
    cancelled = api.post(
        f"/api/v1/returns/{held}/transitions/",
        {"to": "cancelled", "reason": "customer changed their mind"},
        format="json",
    )
    assert cancelled.status_code == 200, cancelled.json()
    changed = _upsert(api, lambda order: order.update(currency="EUR"))
    assert changed.status_code == 200, changed.json()
    assert _snapshot(tenant)[0] == "EUR"


def test_bulk_upsert_names_the_refused_order(api, tenant, held):
    other = copy.deepcopy(_order())
    other["number"] = "M-2"
    changed = _order()
    changed["currency"] = "EUR"
    response = api.post("/api/v1/orders/bulk/", {"orders": [other, changed]}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "currency_locked")
    with tenant_context(tenant):
        assert not Order.objects.filter(number="M-2").exists()


def _credit_note(api, amount: str) -> int:
    created = api.post(
        "/api/v1/credit-notes/",
        {
            "order": "M-1",
            "reason": "goodwill",
            "amount": amount,
            "payout": {
                "method": "gift_card",
                "gift_card_provider": "VVV",
                "gift_card_reference": "G",
            },
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    return created.json()["id"]


@pytest.fixture
def order_of_650(api):
    """M-1: three jackets at 200.00 and socks at 50.00, 650.00 SEK in all."""
    assert api.post("/api/v1/orders/", _order(), format="json").status_code == 201


@pytest.mark.usefixtures("order_of_650")
def test_booked_credit_notes_never_exceed_the_order_total(api, tenant):
    first = api.post(f"/api/v1/credit-notes/{_credit_note(api, '400.00')}/book/")
    assert first.status_code == 200, first.json()
    second_id = _credit_note(api, "300.00")
    refused = api.post(f"/api/v1/credit-notes/{second_id}/book/")
    assert refused.status_code == 409
    body = refused.json()
    assert (body["code"], body["creditable"], body["booked"], body["currency"]) == (
        "credit_exceeds_order",
        "650.00",
        "400.00",
        "SEK",
    )
    assert api.get(f"/api/v1/credit-notes/{second_id}/").json()["status"] == "draft"
    # The refusal took no number: the next booking follows the first without a gap.
    third = api.post(f"/api/v1/credit-notes/{_credit_note(api, '250.00')}/book/")
    assert third.status_code == 200, third.json()
    assert int(third.json()["number"][-5:]) == int(first.json()["number"][-5:]) + 1


@pytest.mark.usefixtures("order_of_650")
def test_only_an_admin_books_past_the_total_and_says_why(api, tenant):
    note_id = _credit_note(api, "700.00")
    with tenant_context(tenant):
        admin = user_get_or_create(email="admin@acme.example", password="pw-acme")
        agent = user_get_or_create(email="agent@acme.example", password="pw-agent-1")
        membership_set(user=agent, role=Role.AGENT, actor=Actor.system("test"))
        note = CreditNote.objects.get(pk=note_id)
        with pytest.raises(DomainError) as no_reason:
            credit_note_book(credit_note=note, actor=Actor.staff(admin))
        with pytest.raises(DomainError) as not_admin:
            credit_note_book(credit_note=note, actor=Actor.staff(agent), override_reason="x")
        booked = credit_note_book(
            credit_note=note, actor=Actor.staff(admin), override_reason="Goodwill after a fire"
        )
        event = AuditEvent.objects.get(action="credit_note.booked")
    assert (no_reason.value.code, not_admin.value.code) == (
        "credit_exceeds_order",
        "override_not_allowed",
    )
    assert booked.number
    assert event.data["over_order_total"] == {
        "creditable": "650.00",
        "booked": "0.00",
        "currency": "SEK",
        "reason": "Goodwill after a fire",
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_for_one_order_stop_at_its_total(api, tenant, monkeypatch):
    """Five bookings of 200.00 race for an order of 650.00: three win, two are refused."""

    monkeypatch.setattr(tasks.render_credit_note_document, "delay", lambda *args: None)
    assert api.post("/api/v1/orders/", _order(), format="json").status_code == 201
    note_ids = [_credit_note(api, "200.00") for _ in range(5)]
    barrier = threading.Barrier(5)

    def book(note_id):
        try:
            with tenant_context(tenant):
                barrier.wait(timeout=30)
                note = CreditNote.objects.get(pk=note_id)
                return credit_note_book(credit_note=note, actor=Actor.system("test")).number
        except DomainError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=5) as pool:
        outcomes = list(pool.map(book, note_ids))
    assert (
        sorted(o for o in outcomes if o == "credit_exceeds_order") == ["credit_exceeds_order"] * 2
    )
    with tenant_context(tenant):
        booked = CreditNote.objects.filter(order__number="M-1", status="booked")
        assert booked.count() == 3
        assert sum(note.total for note in booked) == Decimal("600.00")
