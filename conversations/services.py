"""Posting to a return's thread: checked, stored, audited and announced in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from conversations.models import AuthorKind, Message, MessageAttachment
from returns.attachments import attachments_check
from returns.models import ReturnRequest
from returns.workflow import return_event_data
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.events import record
from returns_platform.models import ActorKind

MAX_BODY = 5000
MAX_ATTACHMENTS = 5
EXCERPT_LENGTH = 300


def _author_kind(actor: Actor) -> str:
    if actor.kind == ActorKind.CONSUMER:
        return AuthorKind.CONSUMER
    if actor.kind in (ActorKind.STAFF, ActorKind.API_KEY):
        return AuthorKind.STAFF  # the shop speaking, from the back office or its own systems
    return AuthorKind.SYSTEM


def _excerpt(body: str) -> str:
    return body if len(body) <= EXCERPT_LENGTH else body[: EXCERPT_LENGTH - 1].rstrip() + "…"


@transaction.atomic
def conversation_post(
    *,
    return_request: ReturnRequest,
    body: str,
    actor: Actor,
    author: Any = None,
    is_internal: bool = False,
    attachments: Sequence[Any] = (),
) -> Message:
    """Add a message (or, for staff, an internal note) to the thread of ``return_request``.

    Customer messages and staff replies are announced (``return.customer_message`` /
    ``return.message``) so the other side is told; internal notes are only audited.
    """
    kind = _author_kind(actor)
    body = (body or "").strip()
    if is_internal and kind == AuthorKind.CONSUMER:
        raise DomainError(code="internal_note_by_consumer", status=403)
    if not body:
        raise DomainError(code="empty_message")
    if len(body) > MAX_BODY:
        raise DomainError(code="message_too_long", params={"limit": MAX_BODY})
    attachments = list(attachments or ())
    if len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(code="too_many_attachments.message", params={"limit": MAX_ATTACHMENTS})
    checked = attachments_check(
        [{"name": getattr(upload, "name", ""), "file": upload} for upload in attachments]
    )

    message = Message(
        return_request=return_request,
        author_kind=kind,
        author=author,
        author_label=(actor.label or "")[:200],
        body=body,
        is_internal=is_internal,
    )
    message.tenant_id = return_request.tenant_id
    message.save()
    for upload in checked:
        attachment = MessageAttachment(
            message=message,
            original_name=upload.name,
            content_type=upload.content_type,
            size=len(upload.content),
        )
        attachment.tenant_id = return_request.tenant_id
        attachment.file.save(upload.name, ContentFile(upload.content), save=False)
        attachment.save()

    history = {"message": message.pk, "author": kind, "attachments": len(checked)}
    payload = None
    if is_internal:
        name = "return.note_added"
    else:
        name = "return.customer_message" if kind == AuthorKind.CONSUMER else "return.message"
        payload = return_event_data(
            return_request, to=return_request.status, previous=return_request.status
        )
        payload.update({"message_id": message.pk, "excerpt": _excerpt(body), "author": kind})
    record(
        name,
        actor=actor,
        subject=return_request,
        order_number=return_request.order.number,
        data=history,
        payload=payload,
    )
    return message
