"""Celery tasks of the credits app: tasks take ``tenant_id`` first and reload by id."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from credits.models import CreditNote, Refund, Voucher
from credits.selectors import refunds_due, vouchers_due_to_expire
from credits.statuses import CreditNoteStatus
from returns_platform.audit import Actor
from returns_platform.tenancy import unscoped_context, with_tenant

EXPIRY_ACTOR = Actor.system("voucher expiry")


@shared_task
@with_tenant
def render_credit_note_document(tenant_id: int, credit_note_id: int) -> str:
    from credits.services import credit_note_document_store

    credit_note = (
        CreditNote.objects.select_related("order", "order__customer")
        .filter(pk=credit_note_id, status=CreditNoteStatus.BOOKED)
        .first()
    )
    if credit_note is None:
        return ""
    return credit_note_document_store(credit_note=credit_note).document.name


@shared_task
@with_tenant
def submit_refund(tenant_id: int, refund_id: int) -> str:
    from credits.services import refund_submit

    return refund_submit(refund=Refund(pk=refund_id)).status


@shared_task
@with_tenant
def submit_due_refunds_for_tenant(tenant_id: int) -> int:
    from credits.services import refunds_submit_due

    return refunds_submit_due()


@shared_task
def submit_due_refunds() -> int:
    """Periodic: fan out to every tenant that has refunds due or stuck in processing."""
    with unscoped_context():
        tenant_ids = set(
            refunds_due(Refund.unscoped.all(), now=timezone.now())
            .values_list("tenant_id", flat=True)
            .distinct()
        )
    for tenant_id in sorted(tenant_ids):
        submit_due_refunds_for_tenant.delay(tenant_id)
    return len(tenant_ids)


@shared_task
@with_tenant
def expire_vouchers_for_tenant(tenant_id: int) -> int:
    from credits.services import vouchers_expire_due

    return vouchers_expire_due(actor=EXPIRY_ACTOR)


@shared_task
def expire_vouchers() -> int:
    """Periodic: fan out to every tenant with active vouchers past their expiry date."""
    with unscoped_context():
        tenant_ids = set(
            vouchers_due_to_expire(Voucher.unscoped.all(), today=timezone.localdate())
            .values_list("tenant_id", flat=True)
            .distinct()
        )
    for tenant_id in sorted(tenant_ids):
        expire_vouchers_for_tenant.delay(tenant_id)
    return len(tenant_ids)
