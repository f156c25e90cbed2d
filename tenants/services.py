"""Commands on tenants (shops), their settings, sales channels, team members and API keys.

The shop-administration rules live here: a shop keeps at least one admin, nobody removes
themselves, channel codes are unique in a shop, a consultant works for the shop."""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.errors import ConflictError, DomainError
from returns_platform.models import AuditChain
from returns_platform.tenancy import tenant_context, unscoped_context
from tenants import keycache
from tenants.models import (
    ALL_API_SCOPES,
    ApiKey,
    ChannelKind,
    Membership,
    Role,
    SalesChannel,
    Tenant,
)

API_KEY_PREFIX = "rp"
SLUG_TAKEN = "A tenant with slug {slug!r} already exists."
# The sales channel a new shop starts with: the one docs/api.md's example order names.
DEFAULT_CHANNELS = (("webshop", "Web shop", ChannelKind.WEBSHOP),)

# Fields of the shop an admin edits on the settings pages.
TENANT_SETTINGS_FIELDS = (
    "name",
    "default_language",
    "brand_colour",
    "logo",
    "return_address_name",
    "return_address_street",
    "return_address_postcode",
    "return_address_city",
    "return_address_country",
    "legal_name",
    "legal_address",
    "vat_number",
    "notification_email",
    "policy_url",
    "support_url",
)


class TenantError(ValueError):
    pass


@dataclass(frozen=True)
class IssuedApiKey:
    api_key: ApiKey
    plaintext: str


def hash_api_key(plaintext: str) -> str:
    # Keys carry 256 random bits, so a plain SHA-256 cannot be brute-forced.
    return hashlib.sha256(plaintext.encode()).hexdigest()


def split_api_key(plaintext: str) -> tuple[str, str] | None:
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


@transaction.atomic
def tenant_create(
    *,
    name: str,
    slug: str,
    admin_email: str | None = None,
    admin_password: str | None = None,
    channels: Sequence[tuple[str, str, str]] = DEFAULT_CHANNELS,
    **fields: object,
) -> Tenant:
    """Create a shop with its audit chain, its defaults, its sales channels ((code, name,
    kind); by default one web shop) and (optionally) its first admin."""
    with unscoped_context():
        if Tenant.objects.filter(slug=slug).exists():
            raise TenantError(SLUG_TAKEN.format(slug=slug))
    tenant = Tenant.objects.create(name=name, slug=slug, **fields)
    with tenant_context(tenant):
        AuditChain.objects.create(tenant=tenant)
        _create_tenant_defaults(tenant)
        for code, name, kind in channels:
            sales_channel_save(
                code=code,
                name=name,
                kind=kind,
                consultant=None,
                actor=Actor.system("create_tenant"),
            )
        if admin_email:
            user = user_get_or_create(email=admin_email, password=admin_password)
            membership_set(user=user, role=Role.ADMIN, actor=Actor.system("create_tenant"))
        events.record(
            "tenant.created",
            actor=Actor.system(),
            subject_id=tenant.slug,
            data={"name": name},
        )
    return tenant


def _create_tenant_defaults(tenant: Tenant) -> None:
    """Defaults other apps register (return reasons, policy): see ``TENANT_DEFAULTS``."""
    for create_defaults in TENANT_DEFAULTS:
        create_defaults(tenant)


# Callables(tenant) run, in the new tenant's scope, when a tenant is created.
TENANT_DEFAULTS: list = []


def user_get_or_create(*, email: str, password: str | None = None):
    User = get_user_model()
    user = User.objects.filter(username__iexact=email).first()
    if user is None:
        user = User(username=email.lower(), email=email.lower())
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    return user


def membership_set(*, user, role: str, actor: Actor) -> Membership:
    membership = Membership.objects.filter(user=user).first()
    created = membership is None
    if membership is not None and membership.role == role:
        return membership
    if created:
        membership = Membership.objects.create(user=user, role=role)
    else:
        membership.role = role
        membership.save(update_fields=["role"])
    events.record(
        "membership.created" if created else "membership.changed",
        actor=actor,
        subject_id=membership.pk,
        data={"user": user.get_username(), "role": role},
    )
    return membership


@transaction.atomic
def api_key_create(
    *, name: str, actor: Actor, created_by=None, scopes: Iterable[str] | None = None
) -> IssuedApiKey:
    """Issue a key with the given scopes (every scope when none are named)."""
    chosen = ALL_API_SCOPES if scopes is None else [s for s in ALL_API_SCOPES if s in set(scopes)]
    unknown = sorted(set(scopes or ()) - set(ALL_API_SCOPES))
    if unknown or not chosen:
        raise DomainError(
            code="invalid_scopes.unknown" if unknown else "invalid_scopes",
            params={"scopes": ", ".join(unknown)},
        )
    prefix = secrets.token_hex(6)
    plaintext = f"{API_KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=hash_api_key(plaintext),
        created_by=created_by,
        scopes=chosen,
    )
    events.record(
        "api_key.created",
        actor=actor,
        subject_id=api_key.pk,
        data={"name": name, "prefix": prefix, "scopes": chosen},
    )
    return IssuedApiKey(api_key=api_key, plaintext=plaintext)


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor: Actor) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        # Forget now (this process stops trusting the key at once) and again after commit
        # (a request in between may have cached the row as it was before the revocation).
        keycache.forget(api_key.prefix)
        transaction.on_commit(functools.partial(keycache.forget, api_key.prefix))
        events.record(
            "api_key.revoked",
            actor=actor,
            subject_id=api_key.pk,
            data={"name": api_key.name},
        )
    return api_key


@transaction.atomic
def sales_channel_save(
    *,
    code: str,
    name: str,
    kind: str,
    consultant: Any,
    actor: Actor,
    channel: SalesChannel | None = None,
) -> SalesChannel:
    """Create a channel, or change one (its code included); the consultant must be staff."""
    if consultant is not None and not Membership.objects.filter(user=consultant).exists():
        raise DomainError(code="not_a_member.consultant", field="consultant")
    duplicate = SalesChannel.objects.filter(code=code)
    if channel is not None:
        duplicate = duplicate.exclude(pk=channel.pk)
    if duplicate.exists():
        raise DomainError(code="code_taken", field="code", params={"code": code})
    created = channel is None
    channel = channel or SalesChannel()
    channel.code, channel.name, channel.kind, channel.consultant = code, name, kind, consultant
    channel.save()
    events.record(
        "sales_channel.created" if created else "sales_channel.changed",
        actor=actor,
        subject_id=channel.code,
        data={
            "name": name,
            "kind": kind,
            "consultant": consultant.get_username() if consultant else "",
        },
    )
    return channel


@transaction.atomic
def tenant_settings_update(*, tenant: Tenant, changes: dict, actor: Actor) -> Tenant:
    """Change the shop's branding, addresses and notification address (validated fields)."""
    unknown = set(changes) - set(TENANT_SETTINGS_FIELDS)
    if unknown:
        raise DomainError(
            code="invalid_setting", field=None, params={"setting": sorted(unknown)[0]}
        )
    locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
    changed = {}
    for name, value in changes.items():
        if name == "logo":
            if value:
                locked.logo = value
                changed[name] = getattr(value, "name", "logo")
            continue
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            changed[name] = value
    locked.full_clean()
    locked.save()
    if changed:
        events.record(
            "tenant.settings_changed",
            actor=actor,
            subject_id=locked.slug,
            data={"changed": changed},
        )
    for name in TENANT_SETTINGS_FIELDS:
        setattr(tenant, name, getattr(locked, name))
    return locked


def _admin_count() -> int:
    return Membership.objects.filter(role=Role.ADMIN).count()


@transaction.atomic
def team_member_set(*, email: str, role: str, actor: Actor, password: str = "") -> Membership:
    """Add a colleague (a new account when the e-mail is unknown) or change their role."""
    if role not in Role.values:
        raise DomainError(code="invalid_role", field="role", params={"role": role})
    user = user_get_or_create(email=email, password=password or None)
    current = Membership.objects.select_for_update().filter(user=user).first()
    demoted = current is not None and current.role == Role.ADMIN and role != Role.ADMIN
    if demoted and _admin_count() <= 1:
        raise ConflictError(code="last_admin", field="role")
    return membership_set(user=user, role=role, actor=actor)


@transaction.atomic
def team_member_remove(*, membership: Membership, actor: Actor, user: Any) -> None:
    """Take a colleague out of the shop; their next request is refused by the middleware."""
    locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if locked.user_id == user.pk:
        raise ConflictError(code="not_yourself")
    if locked.role == Role.ADMIN and _admin_count() <= 1:
        raise ConflictError(code="last_admin")
    events.record(
        "membership.removed",
        actor=actor,
        subject_id=locked.pk,
        data={"user": locked.user.get_username(), "role": locked.role},
    )
    locked.delete()
