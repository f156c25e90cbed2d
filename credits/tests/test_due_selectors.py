"""What is due for the periodic refund and voucher tasks: one selector each, shared by
the fan-out over tenants and by the per-tenant service."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from credits.models import Refund, Voucher
from credits.selectors import refunds_due, vouchers_due_to_expire
from credits.tasks import expire_vouchers, submit_due_refunds
from returns_platform.tenancy import tenant_context, unscoped_context
from testing.factories import RefundFactory, VoucherFactory

pytestmark = pytest.mark.django_db


def _refunds(tenant):
    now = timezone.now()
    with tenant_context(tenant):
        return {
            "due": RefundFactory(provider="stripe", status="pending", next_attempt_at=None),
            "later": RefundFactory(
                provider="stripe", status="pending", next_attempt_at=now + timedelta(hours=1)
            ),
            "manual": RefundFactory(provider="manual", status="pending"),
            "claimed": RefundFactory(
                provider="stripe", status="processing", processing_started_at=now
            ),
            "stale": RefundFactory(
                provider="stripe",
                status="processing",
                processing_started_at=now - timedelta(hours=1),
            ),
        }


def test_refunds_due_are_the_submittable_and_the_abandoned(tenant):
    made = _refunds(tenant)
    with tenant_context(tenant):
        due = set(refunds_due(Refund.objects.all(), now=timezone.now()))
    assert due == {made["due"], made["stale"]}


def test_the_fan_out_skips_a_shop_whose_refunds_are_not_due(tenant, other_tenant):
    now = timezone.now()
    with tenant_context(other_tenant):
        RefundFactory(provider="stripe", status="pending", next_attempt_at=now + timedelta(days=1))
    with tenant_context(tenant):
        RefundFactory(provider="stripe", status="pending", next_attempt_at=None)
    with mock.patch("credits.tasks.submit_due_refunds_for_tenant.delay") as fan_out:
        assert submit_due_refunds() == 1
    fan_out.assert_called_once_with(tenant.pk)


def test_vouchers_due_to_expire(tenant, other_tenant):
    today = timezone.localdate()
    with tenant_context(tenant):
        past = VoucherFactory(expires_at=today - timedelta(days=1))
        VoucherFactory(expires_at=today + timedelta(days=1))
    with tenant_context(other_tenant):
        VoucherFactory(expires_at=today + timedelta(days=30))
    with unscoped_context():
        due = set(vouchers_due_to_expire(Voucher.unscoped.all(), today=today))
    assert due == {past}
    with mock.patch("credits.tasks.expire_vouchers_for_tenant.delay") as fan_out:
        assert expire_vouchers() == 1
    fan_out.assert_called_once_with(tenant.pk)
