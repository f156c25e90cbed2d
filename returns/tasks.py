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
