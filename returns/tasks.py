"""Celery tasks of the returns app: they take ``tenant_id`` first and reload by id."""

from __future__ import annotations

from celery import shared_task

from returns_platform.tenancy import with_tenant


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
@with_tenant
def render_return_label(tenant_id: int, return_request_id: int) -> str:
    """Render and store a request's return label (idempotent: a stored label is kept)."""
    from returns.labels import return_label_store

    stored = return_label_store(return_request_id=return_request_id)
    return stored.label_pdf.name if stored is not None and stored.label_pdf else ""


@shared_task
@with_tenant
def send_feedback_requests_for_tenant(tenant_id: int) -> int:
    from returns.feedback import feedback_due, feedback_invite

    return sum(feedback_invite(return_request_id=pk) for pk in feedback_due())


@shared_task
def send_feedback_requests() -> int:
    """Periodic: invite the customers of returns completed long enough ago (each once)."""
    from returns.feedback import feedback_request_delay
    from tenants.models import Tenant

    if feedback_request_delay() is None:
        return 0
    tenant_ids = list(Tenant.objects.filter(is_active=True).values_list("pk", flat=True))
    for tenant_id in tenant_ids:
        send_feedback_requests_for_tenant.delay(tenant_id)
    return len(tenant_ids)
