"""Gapless, per-tenant document numbers from a counter row locked for update."""

from django.db import IntegrityError, transaction

from returns_platform.models import DocumentCounter
from returns_platform.tenancy import require_current_tenant


def counter_next(*, series: str) -> int:
    """Take the next number of ``series`` for the current tenant.

    Must run inside the transaction that stores the numbered document: the counter row
    stays locked until it commits, and a rollback gives the number back, so numbers have
    no gaps and no duplicates whatever the concurrency.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("counter_next() must run inside the document's transaction.")
    tenant = require_current_tenant()
    counter = DocumentCounter.objects.select_for_update().filter(series=series).first()
    if counter is None:
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(tenant=tenant, series=series, value=0)
        except IntegrityError:
            pass  # another transaction created it first; the lock below waits for it
        counter = DocumentCounter.objects.select_for_update().get(series=series)
    counter.value += 1
    DocumentCounter.objects.filter(pk=counter.pk).update(value=counter.value)
    return counter.value
