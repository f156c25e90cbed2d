"""Refunds: paid once through Stripe, Mollie or by hand; retried with the same key."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
import responses
from django.utils import timezone

from credits.models import Refund
from credits.providers.base import to_minor_units
from credits.services import refund_confirm_manual, refund_create, refund_submit
from credits.services.refunds import MAX_ATTEMPTS, refunds_submit_due
from credits.tasks import submit_due_refunds, submit_refund
from returns_platform.errors import DomainError
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.credits import STAFF, STRIPE_URL, make_refund, stripe_refund

pytestmark = pytest.mark.django_db

MOLLIE_URL = "https://api.mollie.com/v2/payments/tr_WDqYK6vllg/refunds"


def stripe_error(status, error_type, code, message):
    return responses.Response(
        responses.POST,
        STRIPE_URL,
        status=status,
        json={"error": {"type": error_type, "code": code, "message": message}},
    )


def mollie_refund():
    return {
        "resource": "refund",
        "id": "re_4qqhO89gsT",
        "mode": "test",
        "amount": {"value": "10.00", "currency": "EUR"},
        "status": "pending",
        "createdAt": "2026-11-23T13:00:00+00:00",
        "description": "Refund order 1001",
        "paymentId": "tr_WDqYK6vllg",
        "_links": {
            "self": {
                "href": "https://api.mollie.com/v2/payments/tr_WDqYK6vllg/refunds/re_4qqhO89gsT",
                "type": "application/hal+json",
            }
        },
    }


def submit(tenant, refund, now=None):
    with tenant_context(tenant):
        return refund_submit(refund=refund, now=now)


@responses.activate
def test_stripe_refund_request_shape_and_success_event(tenant, order, stripe_account, published):
    call = responses.add(responses.POST, STRIPE_URL, json=stripe_refund())
    refund = make_refund(tenant, order)  # no commit in this test: submitted by hand

    refund = submit(tenant, refund)

    assert refund.status == "succeeded"
    assert refund.provider_reference == "re_3MtwBwLkdIwHu7ix28a3tqPa"
    assert call.call_count == 1
    request = responses.calls[0].request
    assert parse_qs(request.body) == {
        "payment_intent": ["pi_3MtwBwLkdIwHu7ix28a3tqPa"],
        "amount": ["1000"],
        "currency": ["eur"],
    }
    assert request.headers["Idempotency-Key"] == refund.idempotency_key
    assert request.headers["Authorization"] == "Bearer sk_test_123"
    event = [e for e in published if e.name == "refund.succeeded"][0]
    assert event.data == {
        "amount": "10.00",
        "currency": "EUR",
        "email": "jan@example.nl",
        "language": "nl",
        "order_number": "1001",
        "provider": "stripe",
        "customer_name": "Jan Jansen",
    }


@responses.activate
def test_double_click_and_retried_task_pay_once(tenant, order, stripe_account):
    call = responses.add(responses.POST, STRIPE_URL, json=stripe_refund())
    refund = make_refund(tenant, order)

    submit(tenant, refund)
    submit(tenant, refund)  # the second click
    submit_refund(tenant.pk, refund.pk)  # the task, retried by the broker
    submit_due_refunds()  # the periodic sweep

    assert call.call_count == 1
    with tenant_context(tenant):
        refund.refresh_from_db()
        assert refund.attempts == 1
        assert refund.status == "succeeded"
        assert AuditEvent.objects.filter(action="refund.succeeded").count() == 1


@responses.activate
def test_transient_failure_is_retried_later_with_the_same_key(tenant, order, stripe_account):
    failing = stripe_error(500, "api_error", None, "An unknown error occurred")
    responses.add(failing)
    refund = make_refund(tenant, order)
    start = timezone.now()

    refund = submit(tenant, refund, now=start)
    assert refund.status == "pending"
    assert refund.attempts == 1
    assert refund.next_attempt_at == start + timedelta(minutes=1)
    assert "unknown error" in refund.last_error

    # Not due yet: nothing is sent.
    with tenant_context(tenant):
        refunds_submit_due(now=start + timedelta(seconds=30))
    assert len(responses.calls) == 1

    responses.replace(responses.POST, STRIPE_URL, json=stripe_refund())
    with tenant_context(tenant):
        refunds_submit_due(now=start + timedelta(minutes=2))
        refund.refresh_from_db()
    assert refund.status == "succeeded"
    assert refund.attempts == 2
    keys = [call.request.headers["Idempotency-Key"] for call in responses.calls]
    assert keys == [refund.idempotency_key] * 2


@responses.activate
def test_refused_refund_fails_at_once_and_keeps_the_error(tenant, order, stripe_account, published):
    responses.add(
        stripe_error(
            400,
            "invalid_request_error",
            "charge_already_refunded",
            "Charge has already been refunded.",
        )
    )
    refund = submit(tenant, make_refund(tenant, order))
    assert refund.status == "failed"
    assert "charge_already_refunded" in refund.last_error
    assert [e.name for e in published if e.name.startswith("refund.")] == ["refund.failed"]


@responses.activate
def test_after_the_attempt_limit_the_refund_fails(tenant, order, stripe_account):
    responses.add(stripe_error(503, "api_error", None, "Service unavailable"))
    refund = make_refund(tenant, order)
    now = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        refund = submit(tenant, refund, now=now)
        now += timedelta(days=1)
    assert refund.status == "failed"
    assert refund.attempts == MAX_ATTEMPTS
    assert len(responses.calls) == MAX_ATTEMPTS
    submit(tenant, refund, now=now)
    assert len(responses.calls) == MAX_ATTEMPTS


@responses.activate
def test_a_claim_left_by_a_crashed_worker_is_retried_with_the_same_key(
    tenant, order, stripe_account
):
    responses.add(responses.POST, STRIPE_URL, json=stripe_refund())
    refund = make_refund(tenant, order)
    with tenant_context(tenant):
        Refund.objects.filter(pk=refund.pk).update(
            status="processing",
            attempts=1,
            processing_started_at=timezone.now() - timedelta(hours=1),
        )
        refunds_submit_due()
        refund.refresh_from_db()
    assert refund.status == "succeeded"
    assert responses.calls[0].request.headers["Idempotency-Key"] == refund.idempotency_key


@responses.activate
def test_mollie_refund_request_shape(tenant, order, mollie_account):
    call = responses.add(responses.POST, MOLLIE_URL, json=mollie_refund(), status=201)
    refund = submit(tenant, make_refund(tenant, order, provider="mollie"))
    assert refund.status == "succeeded"
    assert refund.provider_reference == "re_4qqhO89gsT"
    assert call.call_count == 1
    request = responses.calls[0].request
    assert json.loads(request.body) == {
        "amount": {"currency": "EUR", "value": "10.00"},
        "description": "Refund order 1001",
    }
    assert request.headers["Idempotency-Key"] == refund.idempotency_key
    assert request.headers["Authorization"] == "Bearer test_abcdefghij"


@responses.activate
def test_mollie_error_response_fails_the_refund(tenant, order, mollie_account):
    responses.add(
        responses.POST,
        MOLLIE_URL,
        status=422,
        json={
            "status": 422,
            "title": "Unprocessable Entity",
            "detail": "The amount is higher than the amount that can be refunded",
            "field": "amount",
            "_links": {"documentation": {"href": "https://docs.mollie.com/", "type": "text/html"}},
        },
    )
    refund = submit(tenant, make_refund(tenant, order, provider="mollie"))
    assert refund.status == "failed"
    assert "higher than the amount" in refund.last_error


@responses.activate
def test_mollie_server_error_is_retryable(tenant, order, mollie_account):
    responses.add(
        responses.POST,
        MOLLIE_URL,
        status=503,
        json={"status": 503, "title": "Service Unavailable", "detail": "Try again later"},
    )
    refund = submit(tenant, make_refund(tenant, order, provider="mollie"))
    assert refund.status == "pending"
    assert refund.next_attempt_at is not None


def test_manual_refund_waits_for_staff_confirmation(tenant, order, published):
    refund = make_refund(tenant, order, provider="manual")
    assert submit(tenant, refund).status == "pending"
    with tenant_context(tenant):
        refund = refund_confirm_manual(refund=refund, actor=STAFF, provider_reference="BANK-77")
        assert refund.status == "succeeded"
        with pytest.raises(DomainError) as caught:
            refund_confirm_manual(refund=refund, actor=STAFF)
    assert caught.value.code == "refund_not_pending"
    assert [e.name for e in published].count("refund.succeeded") == 1


def test_refunds_never_exceed_the_order_total(tenant, order):
    # The order's total is 114.80.
    make_refund(tenant, order, provider="manual", amount="100.00")
    with tenant_context(tenant):
        before = Refund.objects.count()
        for amount, code in [("14.81", "refund_exceeds_order"), ("0.00", "invalid_amount")]:
            with pytest.raises(DomainError) as caught:
                refund_create(order=order, amount=Decimal(amount), provider="manual", actor=STAFF)
            assert caught.value.code == code
        with pytest.raises(DomainError) as caught:
            refund_create(
                order=order, amount=Decimal("1.00"), currency="USD", provider="manual", actor=STAFF
            )
        assert caught.value.code == "currency_mismatch"
        assert Refund.objects.count() == before
    make_refund(tenant, order, provider="manual", amount="14.80")


def test_stripe_needs_a_payment_reference(tenant, order, stripe_account):
    with tenant_context(tenant), pytest.raises(DomainError) as caught:
        refund_create(order=order, amount=Decimal("1.00"), provider="stripe", actor=STAFF)
    assert caught.value.code == "payment_reference_required"


def test_minor_units_are_exact():
    assert to_minor_units(Decimal("10.00"), "EUR") == 1000
    assert to_minor_units(Decimal("0.29"), "EUR") == 29
    assert to_minor_units(Decimal("1500"), "JPY") == 1500
    assert to_minor_units(Decimal("1.234"), "KWD") == 1234
    with pytest.raises(ValueError):
        to_minor_units(Decimal("0.001"), "EUR")


@responses.activate
def test_a_slow_call_whose_claim_was_taken_over_records_the_outcome_once(
    tenant, order, stripe_account, published
):
    refund = make_refund(tenant, order)
    takeover = []

    def slow_provider(request):
        if not takeover:
            # While this call hangs, the sweep declares the claim stale and another
            # worker submits the refund again (with the same idempotency key).
            takeover.append(True)
            with tenant_context(tenant):
                Refund.objects.filter(pk=refund.pk).update(
                    processing_started_at=timezone.now() - timedelta(hours=1)
                )
                refunds_submit_due()
        return 200, {}, json.dumps(stripe_refund())

    responses.add_callback(responses.POST, STRIPE_URL, callback=slow_provider)
    submit(tenant, refund)

    keys = {call.request.headers["Idempotency-Key"] for call in responses.calls}
    assert len(responses.calls) == 2 and keys == {refund.idempotency_key}
    with tenant_context(tenant):
        refund.refresh_from_db()
        assert AuditEvent.objects.filter(action="refund.succeeded").count() == 1
    assert (refund.status, refund.attempts) == ("succeeded", 2)
    assert [e.name for e in published].count("refund.succeeded") == 1
