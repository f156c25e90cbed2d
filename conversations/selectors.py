"""Reading a return's thread, with or without the internal notes."""

from __future__ import annotations

from conversations.models import Message, MessageAttachment
from returns.models import ReturnRequest
from returns_platform.errors import NotFoundError


def conversation_thread(*, return_request: ReturnRequest, include_internal: bool) -> list[Message]:
    """The thread oldest first; customers never get internal notes (``include_internal``)."""
    messages = Message.objects.filter(return_request=return_request)
    if not include_internal:
        messages = messages.filter(is_internal=False)
    return list(messages.select_related("author").prefetch_related("attachments"))


def conversation_attachment_get(
    *, return_request: ReturnRequest, attachment_id: int, include_internal: bool
) -> MessageAttachment:
    attachments = MessageAttachment.objects.filter(
        pk=attachment_id, message__return_request=return_request
    )
    if not include_internal:
        attachments = attachments.filter(message__is_internal=False)
    attachment = attachments.first()
    if attachment is None:
        raise NotFoundError(code="not_found.attachment")
    return attachment
