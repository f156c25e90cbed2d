"""Shops and API clients for tests."""

from __future__ import annotations

from rest_framework.test import APIClient

from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants.services import api_key_create, tenant_create


def make_tenant(slug: str, **fields):
    """A shop ``slug`` with its first admin ``admin@<slug>.example`` (password pw-<slug>)."""
    return tenant_create(
        name=slug.title(),
        slug=slug,
        admin_email=f"admin@{slug}.example",
        admin_password="pw-" + slug,
        **fields,
    )


def api_client_for(tenant_obj) -> APIClient:
    """An API client with a new key of ``tenant_obj`` (the key is ``client.api_key``)."""
    with tenant_context(tenant_obj):
        issued = api_key_create(name="test", actor=Actor.system("test"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}")
    client.api_key = issued.api_key
    return client


def hand_clock(monkeypatch, module) -> list[float]:
    """Replace ``module.clock`` (a per-process cache's clock) by one moved by hand:
    ``now[0] += seconds``."""
    now = [1000.0]
    monkeypatch.setattr(module, "clock", lambda: now[0])
    return now


PROBE_ROLE = "returns_rls_probe"


def as_application_role(cursor) -> None:
    """Switch this transaction to a role that does not own the tables (as in production),
    so that row-level security applies (PostgreSQL)."""
    cursor.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PROBE_ROLE}') "
        f"THEN CREATE ROLE {PROBE_ROLE} NOSUPERUSER NOBYPASSRLS; END IF; END $$"
    )
    cursor.execute(f"GRANT USAGE ON SCHEMA public TO {PROBE_ROLE}")
    cursor.execute(f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {PROBE_ROLE}")
    cursor.execute(f"SET LOCAL ROLE {PROBE_ROLE}")
