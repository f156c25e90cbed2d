"""Gapless per-tenant numbers, also when transactions race or roll back."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from returns_platform.numbering import counter_next
from returns_platform.tenancy import tenant_context


@pytest.mark.django_db
def test_numbers_are_per_tenant_and_a_rollback_gives_the_number_back(tenant, other_tenant):
    with tenant_context(tenant), transaction.atomic():
        assert counter_next(series="rma") == 1
    with tenant_context(tenant):
        try:
            with transaction.atomic():
                assert counter_next(series="rma") == 2
                raise RuntimeError("document could not be stored")
        except RuntimeError:
            pass
        with transaction.atomic():
            assert counter_next(series="rma") == 2
    with tenant_context(other_tenant), transaction.atomic():
        assert counter_next(series="rma") == 1


@pytest.mark.django_db(transaction=True)
def test_counter_needs_the_documents_transaction(tenant):
    with tenant_context(tenant), pytest.raises(RuntimeError):
        counter_next(series="rma")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_numbering_is_gapless_and_unique(tenant):
    taken: list[int] = []
    lock = threading.Lock()

    def take():
        try:
            with tenant_context(tenant):
                for _ in range(10):
                    with transaction.atomic():
                        number = counter_next(series="race")
                    with lock:
                        taken.append(number)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == list(range(1, 81))
