"""The ways a tenant comes into scope: operator commands, back office, portal."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from backoffice.middleware import SESSION_TENANT_KEY
from returns_platform.tenancy import tenant_context
from tenants.models import ApiKey, Membership, Role, Tenant
from tenants.services import membership_set
from testing.tenants import make_tenant

pytestmark = pytest.mark.django_db


def test_create_tenant_and_api_key_commands(client):
    out = StringIO()
    call_command(
        "create_tenant",
        "--slug",
        "shoes",
        "--name",
        "Shoe Shop",
        "--admin-email",
        "Boss@Shoes.example",
        stdout=out,
    )
    tenant = Tenant.objects.get(slug="shoes")
    with tenant_context(tenant):
        membership = Membership.objects.get()
    assert (membership.user.username, membership.role) == ("boss@shoes.example", Role.ADMIN)
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "create_tenant", "--slug", "shoes", "--name", "Again", "--admin-email", "x@y.example"
        )

    out = StringIO()
    call_command("create_api_key", "shoes", stdout=out, stderr=StringIO())
    key = out.getvalue().strip().splitlines()[-1]
    assert key.startswith("rp_")
    response = client.get("/api/v1/orders/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    with tenant_context(tenant):
        stored = ApiKey.objects.get()
    assert key not in stored.key_hash and stored.last_used_at is not None
    with pytest.raises(CommandError):
        call_command("create_api_key", "nope")


def test_backoffice_needs_login_and_a_membership(client, tenant, other_tenant):
    assert client.get("/backoffice/").url.startswith("/backoffice/login/")
    assert (
        client.post(
            "/backoffice/login/", {"username": "admin@acme.example", "password": "pw-acme"}
        ).status_code
        == 302
    )
    page = client.get("/backoffice/")
    assert page.status_code == 200
    assert page.context["request"].tenant == tenant
    # Pointing the session at a shop the user is no member of gets nothing of it.
    session = client.session
    session[SESSION_TENANT_KEY] = other_tenant.pk
    session.save()
    assert client.get("/backoffice/").url == "/backoffice/tenants/"
    assert client.post("/backoffice/tenants/", {"tenant": other_tenant.pk}).status_code == 404


def test_staff_of_two_shops_choose_one(client, tenant, other_tenant):
    user = get_user_model().objects.get(username="admin@acme.example")
    with tenant_context(other_tenant):
        membership_set(
            user=user,
            role=Role.AGENT,
            actor=__import__("returns_platform.audit", fromlist=["Actor"]).Actor.system(),
        )
    client.force_login(user)
    assert client.get("/backoffice/").url == "/backoffice/tenants/"
    choice = client.get("/backoffice/tenants/")
    assert [m.tenant.slug for m in choice.context["memberships"]] == ["acme", "globex"]
    client.post("/backoffice/tenants/", {"tenant": other_tenant.pk})
    assert client.get("/backoffice/").context["request"].tenant == other_tenant


def test_portal_resolves_the_slug(client, tenant):
    page = client.get("/r/acme/")
    assert page.status_code == 200
    assert b"Acme" in page.content
    assert client.get("/r/unknown/").status_code == 404
    tenant.is_active = False
    tenant.save(update_fields=["is_active"])
    assert client.get("/r/acme/").status_code == 404


def test_inactive_tenants_key_is_refused(tenant):
    from testing.tenants import api_client_for

    api = api_client_for(tenant)
    Tenant.objects.filter(pk=tenant.pk).update(is_active=False)
    response = api.get("/api/v1/orders/")
    assert (response.status_code, response.json()["code"]) == (401, "invalid_api_key")


def test_seed_demo_is_idempotent():
    out = StringIO()
    call_command("seed_demo", "--orders", "20", stdout=out)
    demo = Tenant.objects.get(slug="demo")
    with tenant_context(demo):
        from orders.models import Order
        from returns.models import ReturnRequest
        from returns_platform.models import AuditEvent

        orders, events = Order.objects.count(), AuditEvent.objects.count()
        returns = ReturnRequest.objects.count()
        countries = set(Order.objects.values_list("shipping_country", flat=True))
    call_command("seed_demo", "--orders", "20", stdout=StringIO())
    with tenant_context(demo):
        assert (Order.objects.count(), AuditEvent.objects.count()) == (orders, events)
        assert ReturnRequest.objects.count() == returns
    assert orders == 20 and len(countries) >= 3
    assert returns >= 5, "the demo queue is seeded with returns"
    assert Tenant.objects.filter(slug="nordic").exists()
    assert "rp_demo" in out.getvalue()
    make_tenant("later")  # the demo's fixed slugs do not block other shops


def test_failed_logins_are_throttled(client, tenant):
    for _ in range(5):
        wrong = client.post(
            "/backoffice/login/", {"username": "admin@acme.example", "password": "wrong"}
        )
        assert wrong.status_code in (200, 429)
    locked = client.post(
        "/backoffice/login/", {"username": "admin@acme.example", "password": "pw-acme"}
    )
    assert locked.status_code == 429
    assert b"Too many failed log-ins" in locked.content
    assert "_auth_user_id" not in client.session
