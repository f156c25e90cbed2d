"""Refunds: created pending, claimed by one worker, paid once through the provider.

The provider call runs outside any database transaction: a refund is first *claimed*
with a compare-and-set update (``pending`` at attempt n -> ``processing`` at n + 1), so
of two workers, two clicks or a retried task only one calls the provider. Every call for
a refund carries the refund's own idempotency key, so even a call repeated after a crash
or a timeout is paid once by the provider.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_noop

from credits.models import CreditNote, PaymentProviderAccount, Refund
from credits.providers import ProviderError, RefundRequest, provider_for
from credits.selectors import refunds_due
from credits.services.common import amount_string, require_positive_amount
from credits.statuses import RefundProvider, RefundStatus
from credits.workflow import refund_transition
from orders.models import Order
from returns_platform import events
from returns_platform.audit import SYSTEM, Actor
from returns_platform.errors import ConflictError, DomainError
from returns_platform.tenancy import require_current_tenant

MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
PROVIDER_NOT_CONFIGURED = gettext_noop("No {provider} account is configured for this shop.")


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def default_provider() -> str:
    account = PaymentProviderAccount.objects.filter(is_default=True).first()
    return account.provider if account else RefundProvider.MANUAL


def require_provider_ready(*, provider: str, payment_reference: str, field: str) -> None:
    if provider == RefundProvider.MANUAL:
        return
    if not PaymentProviderAccount.objects.filter(provider=provider).exists():
        raise DomainError(
            code="provider_not_configured", field=field, params={"provider": provider}
        )
    if not payment_reference:
        raise DomainError(
            code="payment_reference_required",
            field="payment_reference",
            params={"provider": provider},
        )


@transaction.atomic
def refund_create(
    *,
    order: Order,
    amount: Decimal,
    actor: Actor,
    provider: str = "",
    payment_reference: str = "",
    currency: str | None = None,
    credit_note: CreditNote | None = None,
) -> Refund:
    """A pending refund; never more in total than the order's value."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if currency is not None and currency != order.currency:
        raise DomainError(
            code="currency_mismatch",
            field="currency",
            params={"subject": "order", "expected": order.currency, "given": currency},
        )
    require_positive_amount(amount, order.currency)
    provider = provider or default_provider()
    require_provider_ready(provider=provider, payment_reference=payment_reference, field="provider")
    refunded = (
        Refund.objects.filter(order=order)
        .exclude(status=RefundStatus.FAILED)
        .aggregate(total=Sum("amount"))["total"]
    ) or Decimal("0")
    if refunded + amount > order.total:
        raise DomainError(
            code="refund_exceeds_order",
            field="amount",
            params={"number": order.number, "total": order.total, "currency": order.currency},
        )
    refund = Refund.objects.create(
        order=order,
        credit_note=credit_note,
        amount=amount,
        currency=order.currency,
        provider=provider,
        payment_reference=payment_reference,
        idempotency_key=uuid.uuid4().hex,
    )
    events.record(
        "refund.created",
        actor=actor,
        subject=refund,
        order_number=order.number,
        data={
            "amount": amount_string(amount, refund.currency),
            "currency": refund.currency,
            "provider": provider,
            "credit_note": credit_note.number if credit_note else "",
        },
    )
    if provider != RefundProvider.MANUAL:
        from credits.tasks import submit_refund

        tenant_id = require_current_tenant().pk
        # robust: a broker outage is logged, not turned into a 500 for a committed refund;
        # the periodic sweep (refunds_due) submits every pending refund it finds.
        transaction.on_commit(lambda: submit_refund.delay(tenant_id, refund.pk), robust=True)
    return refund


def refund_submit(*, refund: Refund, now=None) -> Refund:
    """Pay a due pending refund through its provider, at most once.

    Not atomic on purpose: the claim commits before the provider is called, and the
    outcome is recorded in a transaction of its own.
    """
    now = now or timezone.now()
    refund = Refund.objects.get(pk=refund.pk)
    if refund.provider == RefundProvider.MANUAL or refund.status != RefundStatus.PENDING:
        return refund
    if refund.next_attempt_at is not None and refund.next_attempt_at > now:
        return refund
    attempt = refund.attempts + 1
    claimed = refund_transition(
        refund=refund,
        to=RefundStatus.PROCESSING,
        expected_attempts=refund.attempts,
        attempts=attempt,
        processing_started_at=now,
    )
    if not claimed:  # another worker got there first
        return Refund.objects.get(pk=refund.pk)
    account = PaymentProviderAccount.objects.filter(provider=refund.provider).first()
    try:
        if account is None:
            raise ProviderError(
                PROVIDER_NOT_CONFIGURED.format(provider=refund.provider), retryable=False
            )
        result = provider_for(refund.provider, account.api_key).refund(
            RefundRequest(
                amount=refund.amount,
                currency=refund.currency,
                payment_reference=refund.payment_reference,
                idempotency_key=refund.idempotency_key,
                description=f"Refund order {refund.order.number}",
            )
        )
    except ProviderError as error:
        return _record_failure(refund=refund, error=error, now=now)
    return _record_success(refund=refund, provider_reference=result.provider_reference, now=now)


def _record_succeeded(*, refund: Refund, actor: Actor, provider_reference: str) -> None:
    """The one history entry (and the mail and webhook) of a paid refund, whoever paid it."""
    order = refund.order
    events.record(
        "refund.succeeded",
        actor=actor,
        subject=refund,
        order_number=order.number,
        data={
            "amount": amount_string(refund.amount, refund.currency),
            "currency": refund.currency,
            "provider": refund.provider,
            "provider_reference": provider_reference,
            "attempts": refund.attempts,
        },
        payload={
            "amount": amount_string(refund.amount, refund.currency),
            "currency": refund.currency,
            "email": order.email,
            "language": order.language,
            "order_number": order.number,
            "provider": refund.provider,
            "customer_name": (order.customer.name if order.customer_id else "")
            or order.shipping_name,
        },
    )


@transaction.atomic
def _record_success(*, refund: Refund, provider_reference: str, now) -> Refund:
    recorded = refund_transition(
        refund=refund,
        to=RefundStatus.SUCCEEDED,
        expected_attempts=refund.attempts,
        provider_reference=provider_reference,
        succeeded_at=now,
        last_error="",
        next_attempt_at=None,
    )
    if not recorded:  # our claim was taken over (stale); its holder records the outcome
        return Refund.objects.get(pk=refund.pk)
    _record_succeeded(refund=refund, actor=SYSTEM, provider_reference=provider_reference)
    return refund


@transaction.atomic
def _record_failure(*, refund: Refund, error: ProviderError, now) -> Refund:
    message = str(error)[:2000]
    if error.retryable and refund.attempts < MAX_ATTEMPTS:
        to, action = RefundStatus.PENDING, "refund.attempt_failed"
        next_attempt_at = now + backoff(refund.attempts)
    else:
        to, action, next_attempt_at = RefundStatus.FAILED, "refund.failed", None
    recorded = refund_transition(
        refund=refund,
        to=to,
        expected_attempts=refund.attempts,
        last_error=message,
        next_attempt_at=next_attempt_at,
    )
    if not recorded:  # our claim was taken over (stale); its holder records the outcome
        return Refund.objects.get(pk=refund.pk)
    events.record(
        action,
        actor=SYSTEM,
        subject=refund,
        order_number=refund.order.number,
        data={
            "attempts": refund.attempts,
            "error": message,
            "retryable": error.retryable,
            "next_attempt_at": refund.next_attempt_at,
        },
        # A final failure tells the shop (webhook); a retried attempt only enters history.
        payload=None
        if action != "refund.failed"
        else {
            "amount": amount_string(refund.amount, refund.currency),
            "currency": refund.currency,
            "order_number": refund.order.number,
            "provider": refund.provider,
            "error": message,
        },
    )
    return refund


@transaction.atomic
def refund_confirm_manual(*, refund: Refund, actor: Actor, provider_reference: str = "") -> Refund:
    """Staff confirm they paid a manual refund out themselves."""
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    if refund.provider != RefundProvider.MANUAL:
        raise ConflictError(code="not_manual_refund")
    if refund.status != RefundStatus.PENDING:
        raise ConflictError(code="refund_not_pending", params={"status": refund.status})
    refund_transition(
        refund=refund,
        to=RefundStatus.SUCCEEDED,
        provider_reference=provider_reference[:200],
        succeeded_at=timezone.now(),
    )
    _record_succeeded(refund=refund, actor=actor, provider_reference=provider_reference)
    return refund


def refunds_submit_due(*, now=None) -> int:
    """Submit every due refund of the current tenant; free claims left by a crashed worker."""
    now = now or timezone.now()
    due = refunds_due(Refund.objects.all(), now=now)
    for stale in due.filter(status=RefundStatus.PROCESSING):
        refund_transition(
            refund=stale,
            to=RefundStatus.PENDING,
            expected_attempts=stale.attempts,
            next_attempt_at=now,
        )
    submitted = 0
    for pk in list(due.filter(status=RefundStatus.PENDING).values_list("pk", flat=True)):
        refund = refund_submit(refund=Refund(pk=pk), now=now)
        submitted += refund.status != RefundStatus.PENDING
    return submitted
