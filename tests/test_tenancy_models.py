"""Every tenant-owned model is shaped for the tenant scope (and for sharding by tenant)."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from returns_platform.tenancy import TenantManager, TenantOwnedModel
from tenants.models import Tenant

# Look-ups that *find* the tenant, so they cannot start with it.
TENANT_FINDING_LOOKUPS = {
    ("tenants", "ApiKey", "prefix"),  # Bearer key -> its tenant
    ("tenants", "Membership", "user"),  # signed-in staff user -> the shops they work for
}
# Models without a tenant column: the tenant itself, Django's own tables and the
# sign-in lockout log (a failed sign-in happens before any tenant is known).
GLOBAL_APPS = {"auth", "contenttypes", "sessions", "admin", "messages", "staticfiles", "axes"}
GLOBAL_MODELS = {("tenants", "Tenant")}


def project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m._meta.app_label not in GLOBAL_APPS]


def test_every_project_model_is_tenant_owned_or_known_global():
    loose = [
        m._meta.label
        for m in project_models()
        if not issubclass(m, TenantOwnedModel)
        and (m._meta.app_label, m.__name__) not in GLOBAL_MODELS
    ]
    assert loose == [], f"models without the tenant scope: {loose}"


def test_tenant_fk_is_required_and_default_manager_is_scoped():
    problems = []
    for model in project_models():
        if not issubclass(model, TenantOwnedModel):
            continue
        field = model._meta.get_field("tenant")
        if not isinstance(field, models.ForeignKey) or field.related_model is not Tenant:
            problems.append(f"{model._meta.label}.tenant is not a FK to Tenant")
        if field.null:
            problems.append(f"{model._meta.label}.tenant is nullable")
        if not isinstance(model._default_manager, TenantManager):
            problems.append(f"{model._meta.label} default manager is not scoped")
    assert problems == []


def _starts_with_tenant(fields) -> bool:
    fields = [f.lstrip("-") for f in fields]
    return bool(fields) and fields[0] in ("tenant", "tenant_id")


def test_unique_constraints_and_indexes_start_with_tenant():
    problems = []
    for model in project_models():
        if not issubclass(model, TenantOwnedModel):
            continue
        app, name = model._meta.app_label, model.__name__
        meta = model._meta
        for constraint in meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and not _starts_with_tenant(
                constraint.fields
            ):
                problems.append(f"{meta.label}: unique {constraint.name} {constraint.fields}")
        for together in meta.unique_together:
            if not _starts_with_tenant(together):
                problems.append(f"{meta.label}: unique_together {together}")
        for index in meta.indexes:
            if not _starts_with_tenant(index.fields):
                problems.append(f"{meta.label}: index {index.name} {index.fields}")
        for field in meta.local_fields:
            if field.primary_key or field.name == "tenant":
                continue
            if (field.unique or field.db_index) and (app, name, field.name) not in (
                TENANT_FINDING_LOOKUPS
            ):
                problems.append(f"{meta.label}.{field.name}: single-column index or unique")
    assert problems == [], "\n".join(problems)


def test_inspection_catches_a_bad_model():
    """The check above is not vacuous: a model with a global unique field fails it."""

    class Leaky(TenantOwnedModel):
        code = models.CharField(max_length=10, unique=True)

        class Meta:
            app_label = "orders"
            managed = False

    field = Leaky._meta.get_field("code")
    assert field.unique and ("orders", "Leaky", "code") not in TENANT_FINDING_LOOKUPS
