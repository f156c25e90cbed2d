"""Fixtures of the credits tests: an order, published events, vouchers."""

from __future__ import annotations

import pytest

from credits.models import PaymentProviderAccount
from returns_platform.tenancy import tenant_context
from testing.credits import make_voucher, order  # noqa: F401 (fixtures)


@pytest.fixture
def stripe_account(tenant):
    with tenant_context(tenant):
        return PaymentProviderAccount.objects.create(
            provider="stripe", api_key="sk_test_123", is_default=True
        )


@pytest.fixture
def mollie_account(tenant):
    with tenant_context(tenant):
        return PaymentProviderAccount.objects.create(provider="mollie", api_key="test_abcdefghij")
