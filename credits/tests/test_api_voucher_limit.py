"""A shop caps the vouchers its API keys may issue; staff are not capped by it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credits.models import CreditSettings, Voucher
from credits.services import voucher_issue
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.credits import STAFF

pytestmark = pytest.mark.django_db


def _voucher(amount: str, bonus: str = "0.00") -> dict:
    return {
        "amount": amount,
        "bonus": bonus,
        "currency": "EUR",
        "description": "Goodwill",
        "valid_from": "2026-11-22",
        "expires_at": "2027-11-22",
    }


def _written(tenant) -> tuple[int, int]:
    with tenant_context(tenant):
        return Voucher.objects.count(), AuditEvent.objects.count()


def test_the_default_limit_refuses_a_voucher_above_it_and_writes_nothing(api, tenant):
    before = _written(tenant)
    response = api.post("/api/v1/vouchers/", _voucher("1000.01"), format="json")

    assert response.status_code == 409, response.json()
    body = response.json()
    assert (body["code"], body["field"], body["limit"], body["currency"]) == (
        "voucher_limit_exceeded",
        "amount",
        "1000.00",
        "EUR",
    )
    assert _written(tenant) == before
    at_limit = api.post("/api/v1/vouchers/", _voucher("1000.00"), format="json")
    assert at_limit.status_code == 201, at_limit.json()


def test_the_bonus_counts_towards_the_limit(api, tenant):
    with tenant_context(tenant):
        CreditSettings.objects.update_or_create(defaults={"api_voucher_limit": Decimal("50.00")})
    before = _written(tenant)

    response = api.post("/api/v1/vouchers/", _voucher("45.00", bonus="5.01"), format="json")

    assert (response.status_code, response.json()["code"]) == (409, "voucher_limit_exceeded")
    assert _written(tenant) == before
    accepted = api.post("/api/v1/vouchers/", _voucher("45.00", "5.00"), format="json")
    assert accepted.status_code == 201, accepted.json()


def test_an_empty_limit_lets_keys_issue_any_amount(api, tenant):
    with tenant_context(tenant):
        CreditSettings.objects.update_or_create(defaults={"api_voucher_limit": None})
    response = api.post("/api/v1/vouchers/", _voucher("25000.00"), format="json")
    assert response.status_code == 201, response.json()


def test_staff_issue_above_the_api_limit(tenant):
    with tenant_context(tenant):
        voucher = voucher_issue(amount=Decimal("5000.00"), currency="EUR", actor=STAFF)
        assert voucher.balance == Decimal("5000.00")


def test_the_limit_is_the_same_for_every_key_of_the_shop_and_not_for_another_shop(
    api, colleague_api, outsider_api, tenant, other_tenant
):
    with tenant_context(tenant):
        CreditSettings.objects.update_or_create(defaults={"api_voucher_limit": Decimal("10.00")})
    assert api.post("/api/v1/vouchers/", _voucher("10.01"), format="json").status_code == 409
    assert (
        colleague_api.post("/api/v1/vouchers/", _voucher("10.01"), format="json").status_code == 409
    )
    assert (
        outsider_api.post("/api/v1/vouchers/", _voucher("10.01"), format="json").status_code == 201
    )
