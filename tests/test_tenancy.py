"""The tenant scope fails closed, and PostgreSQL enforces it a second time."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from orders.models import Order
from returns_platform.db import POLICY_NAME, tenant_owned_models
from returns_platform.tenancy import (
    CrossTenantWrite,
    TenantNotSet,
    get_current_tenant,
    tenant_context,
    unscoped_context,
    with_tenant,
)
from testing.orders import create_order
from testing.tenants import as_application_role

pytestmark = pytest.mark.django_db


def test_no_tenant_in_scope_raises(tenant):
    with pytest.raises(TenantNotSet):
        list(Order.objects.all())
    with pytest.raises(TenantNotSet):
        Order.objects.count()


def test_scope_filters_by_tenant(tenant, other_tenant):
    with tenant_context(tenant):
        create_order("1001")
    with tenant_context(other_tenant):
        create_order("1001", email="b@x.de")
        create_order("1002", email="b@x.de")
        assert Order.objects.count() == 2
    with tenant_context(tenant):
        assert list(Order.objects.values_list("number", "email")) == [("1001", "jan@example.nl")]
    assert Order.unscoped.count() == 3


def test_saving_another_tenants_object_is_refused(tenant, other_tenant):
    with tenant_context(tenant):
        order = create_order("1001")
    with tenant_context(other_tenant), pytest.raises(CrossTenantWrite):
        order.email = "hijack@x.nl"
        order.save()
    with tenant_context(tenant):
        assert Order.objects.get().email == "jan@example.nl"


def test_bulk_create_fills_and_checks_the_tenant(tenant, other_tenant):
    from orders.models import Customer

    with tenant_context(tenant):
        [customer] = Customer.objects.bulk_create([Customer(email="a@x.nl")])
        assert customer.tenant_id == tenant.pk
        with pytest.raises(CrossTenantWrite):
            Customer.objects.bulk_create([Customer(email="b@x.nl", tenant=other_tenant)])


def test_with_tenant_scopes_a_task_body(tenant):
    seen = []

    @with_tenant
    def task(tenant_id, value):
        seen.append((get_current_tenant().slug, value))

    task(tenant.pk, 7)
    assert seen == [("acme", 7)]
    assert get_current_tenant() is None


def test_context_is_restored_after_nesting(tenant, other_tenant):
    with tenant_context(tenant):
        with tenant_context(other_tenant):
            assert get_current_tenant() == other_tenant
        assert get_current_tenant() == tenant
    assert get_current_tenant() is None


# --- Row-level security on PostgreSQL -------------------------------------------------


@pytest.mark.postgres
def test_row_level_security_policies_cover_every_tenant_table(db):
    # Applied by migrate (post_migrate); re-applying is idempotent and tested elsewhere.
    tables = [model._meta.db_table for model in tenant_owned_models()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relname = ANY(%s)", [tables]
        )
        protected = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT tablename FROM pg_policies WHERE policyname = %s", [POLICY_NAME])
        with_policy = {row[0] for row in cursor.fetchall()}
    assert "orders_order" in tables
    assert protected == with_policy == set(tables)


@pytest.mark.postgres
def test_row_level_security_hides_other_tenants_rows_from_the_app_role(tenant, other_tenant):
    with tenant_context(tenant):
        create_order("1001")
    with tenant_context(other_tenant):
        create_order("2001", email="b@x.de")
    with transaction.atomic():
        with connection.cursor() as cursor:
            as_application_role(cursor)
        # Even a raw query that forgets the tenant filter sees only the scoped tenant.
        with tenant_context(tenant), connection.cursor() as cursor:
            cursor.execute("SELECT number FROM orders_order ORDER BY number")
            assert [row[0] for row in cursor.fetchall()] == ["1001"]
        with tenant_context(other_tenant), connection.cursor() as cursor:
            cursor.execute("SELECT number FROM orders_order ORDER BY number")
            assert [row[0] for row in cursor.fetchall()] == ["2001"]
        # The ORM through a server-side cursor carries the scope too.
        with tenant_context(other_tenant):
            assert [o.number for o in Order.objects.iterator(chunk_size=1)] == ["2001"]
        # No tenant in scope: nothing at all (fail closed).
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM orders_order")
            assert cursor.fetchone()[0] == 0
        with unscoped_context(), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM orders_order")
            assert cursor.fetchone()[0] == 2
        # Writing a row for another tenant is refused by the policy's check.
        with tenant_context(tenant), connection.cursor() as cursor:
            cursor.execute("UPDATE orders_order SET email = 'x@x.nl' WHERE number = '2001'")
            assert cursor.rowcount == 0
        transaction.set_rollback(True)
