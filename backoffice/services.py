"""Back-office commands that are not a single core service: bulk actions on the queue,
photos taken at receipt, and the shop settings that live on tenants (branding, channels,
the team). Every change is audited in the transaction that makes it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from returns.attachments import CheckedUpload
from returns.models import Attachment, ReturnLine, ReturnRequest
from returns.services import attachment_store, return_reassign
from returns.workflow import return_transition
from returns_platform.audit import Actor, audit_record
from returns_platform.errors import ConflictError, DomainError
from tenants.models import Membership, Role, Tenant
from tenants.services import membership_set, user_get_or_create

LAST_ADMIN = "A shop keeps at least one admin."
NOT_YOURSELF = "You cannot remove yourself from the shop."
BULK_ACTIONS = ("concept", "approved", "on_hold", "assign")

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
    "notification_email",
    "policy_url",
    "support_url",
)


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, DomainError]] = field(default_factory=list)


def returns_bulk_act(
    *,
    return_requests: Sequence[ReturnRequest],
    action: str,
    actor: Actor,
    user: Any,
    assignee: Any = None,
) -> BulkResult:
    """Apply one action to each selected request, each in its own transaction.

    A refused request (held by a colleague, not allowed from its status) does not stop
    the others; the result says which were done and why the rest were refused.
    """
    if action not in BULK_ACTIONS:
        raise DomainError(
            f"{action!r} is not a bulk action.", code="invalid_action", field="action"
        )
    result = BulkResult()
    for return_request in return_requests:
        try:
            if action == "assign":
                return_reassign(
                    return_request=return_request, assignee=assignee, actor=actor, user=user
                )
            else:
                return_transition(return_request=return_request, to=action, actor=actor, user=user)
        except DomainError as error:
            result.refused.append((return_request.rma, error))
        else:
            result.done.append(return_request.rma)
    return result


@transaction.atomic
def receipt_photos_store(
    *,
    return_request: ReturnRequest,
    photos: Sequence[tuple[ReturnLine, CheckedUpload]],
    actor: Actor,
) -> list[Attachment]:
    """Keep photos taken at receipt with their line (uploads checked by the caller)."""
    stored = []
    for line, upload in photos:
        if line.request_id != return_request.pk:
            raise DomainError("Line is not part of this return.", code="line_not_in_return")
        stored.append(attachment_store(return_request=return_request, upload=upload, line=line))
    if stored:
        audit_record(
            actor=actor,
            action="return.receipt_photos",
            subject_type="return",
            subject_id=return_request.rma,
            order_number=return_request.order.number,
            data={"photos": [{"line": a.line_id, "name": a.original_name} for a in stored]},
        )
    return stored


@transaction.atomic
def tenant_settings_update(*, tenant: Tenant, changes: dict, actor: Actor) -> Tenant:
    """Change the shop's branding, addresses and notification address (validated fields)."""
    unknown = set(changes) - set(TENANT_SETTINGS_FIELDS)
    if unknown:
        raise DomainError(
            f"{sorted(unknown)[0]} is not a shop setting.", code="invalid_setting", field=None
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
        audit_record(
            actor=actor,
            action="tenant.settings_changed",
            subject_type="tenant",
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
        raise DomainError(f"{role!r} is not a role.", code="invalid_role", field="role")
    user = user_get_or_create(email=email, password=password or None)
    current = Membership.objects.select_for_update().filter(user=user).first()
    demoted = current is not None and current.role == Role.ADMIN and role != Role.ADMIN
    if demoted and _admin_count() <= 1:
        raise ConflictError(LAST_ADMIN, code="last_admin", field="role")
    return membership_set(user=user, role=role, actor=actor)


@transaction.atomic
def team_member_remove(*, membership: Membership, actor: Actor, user: Any) -> None:
    """Take a colleague out of the shop; their next request is refused by the middleware."""
    locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if locked.user_id == user.pk:
        raise ConflictError(NOT_YOURSELF, code="not_yourself")
    if locked.role == Role.ADMIN and _admin_count() <= 1:
        raise ConflictError(LAST_ADMIN, code="last_admin")
    audit_record(
        actor=actor,
        action="membership.removed",
        subject_type="membership",
        subject_id=locked.pk,
        data={"user": locked.user.get_username(), "role": locked.role},
    )
    locked.delete()
