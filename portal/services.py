"""Commands of the portal: keeping photos until confirmation, submitting, withdrawing.

The returns core decides; these functions translate the consumer's wizard into its
calls and its answers back into words the consumer reads in their own language.
"""

from __future__ import annotations

import dataclasses
import datetime
import secrets
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from orders.models import Order
from portal.selectors import OrderJudgement
from portal.wizard import Photo, WizardState
from returns import rules
from returns.attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, attachment_check
from returns.keep_item import keep_item_applies
from returns.models import ReturnRequest
from returns.preview import returns_every_unit
from returns.services import (
    request_preview,
    return_is_free,
    return_request_create,
    return_withdraw,
)
from returns_platform.audit import Actor
from returns_platform.errors import DomainError

MAX_PHOTOS_PER_LINE = 5
PHOTO_TYPES = {"image/jpeg": ".jpg", "image/png": ".png"}
UPLOAD_ROOT = "portal-uploads/"
UPLOAD_DIR = UPLOAD_ROOT + "{tenant_id}/"


class PortalError(DomainError):
    """A problem with the consumer's photos (codes in ``portal.errors``)."""


def portal_photo_store(*, tenant_id: int, upload) -> Photo:
    """Check one uploaded photo and keep its re-encoded copy until confirmation.

    Pillow decodes and re-encodes it (returns/attachments.py), which drops its metadata
    (location, camera) and anything appended to it; the stored name is random.
    """
    name = str(getattr(upload, "name", "") or "photo")[:200]
    if getattr(upload, "size", 0) and upload.size > MAX_ATTACHMENT_BYTES:
        raise PortalError(code="too_large", params={"name": name})
    try:
        checked = attachment_check(name=name, upload=upload)
    except DomainError as error:
        too_large = error.code == "attachment_too_large"
        raise PortalError(
            code="attachment_too_large.photo" if too_large else "invalid_attachment.photo",
            params={"name": name},
        ) from error
    if checked.content_type not in PHOTO_TYPES:  # a PDF is a document, not a photo
        raise PortalError(code="invalid_attachment.photo", params={"name": name})
    path = UPLOAD_DIR.format(tenant_id=tenant_id) + secrets.token_urlsafe(24)
    path += PHOTO_TYPES[checked.content_type]
    stored = default_storage.save(path, ContentFile(checked.content))
    return Photo(
        path=stored, name=name, content_type=checked.content_type, size=len(checked.content)
    )


def portal_photos_discard(*, photos: list[Photo], tenant_id: int) -> None:
    prefix = UPLOAD_DIR.format(tenant_id=tenant_id)
    for photo in photos:
        if photo.path.startswith(prefix):  # never delete outside the shop's upload area
            default_storage.delete(photo.path)


def photo_limits_check(*, state: WizardState) -> None:
    for line in state.chosen_lines().values():
        if len(line.photos) > MAX_PHOTOS_PER_LINE:
            raise PortalError(code="too_many_photos", params={"count": MAX_PHOTOS_PER_LINE})
    if len(state.all_photos()) > MAX_ATTACHMENTS:
        raise PortalError(code="too_many_attachments.photos", params={"count": MAX_ATTACHMENTS})


def is_free_return(*, state: WizardState, policy: dict) -> bool:
    return return_is_free(case_type=state.case_type, resolution=state.resolution, policy=policy)


def portal_preview(*, order: Order, judgement: OrderJudgement, state: WizardState) -> dict:
    """The itemised refund the core will compute, for the review page (pure, no queries)."""
    chosen = state.chosen_lines()
    lines = [
        (choice.order_line, chosen[choice.order_line.pk].quantity)
        for choice in judgement.lines
        if choice.order_line.pk in chosen
    ]
    cost = rules.method_cost(judgement.policy, state.method, order.shipping_country)
    if state.keep_item:  # nothing travels, so nothing is charged for it
        cost = Decimal("0")
    return request_preview(
        order=order,
        lines=lines,
        case_type=state.case_type,
        resolution=state.resolution,
        return_cost=cost if cost is not None else Decimal("0"),
        is_free_return=is_free_return(state=state, policy=judgement.policy),
        policy=judgement.policy,
        full_withdrawal=returns_every_unit(
            ordered={
                choice.order_line.pk: choice.order_line.quantity for choice in judgement.lines
            },
            already_returned=judgement.already_returned,
            requested={line.pk: quantity for line, quantity in lines},
        ),
    )


def keep_item_offer(*, order: Order, judgement: OrderJudgement, state: WizardState):
    """The amount paid when the customer keeps the items, or None when the shop does not
    offer it for this choice (``returns.keep_item``: threshold, categories, case)."""
    kept = dataclasses.replace(state, keep_item=True)
    preview = portal_preview(order=order, judgement=judgement, state=kept)
    chosen = state.chosen_lines()
    offered = keep_item_applies(
        policy=judgement.policy,
        currency=order.currency,
        total=Decimal(preview["total"]),
        order_lines=[c.order_line for c in judgement.lines if c.order_line.pk in chosen],
        case_type=state.case_type,
        resolution=state.resolution,
    )
    return Decimal(preview["total"]) if offered else None


# The wizard step a refusal of the core sends the consumer back to, by the field it names.
FIELD_STEPS = {
    "order": "home",
    "case_type": "case",
    "lines": "items",
    "method": "method",
    "resolution": "resolution",
    "attachments": "details",
    "keep_item": "method",
}
ATTACHMENT_CODES = ("too_many_attachments", "invalid_attachment", "attachment_too_large")


def submit_problem(error: DomainError) -> tuple[str, str]:
    """(step, message in the active language) for a refusal of the create service."""
    field = error.field or ""
    if field.endswith(".reason") or error.code in ATTACHMENT_CODES:
        step = "details"
    else:
        step = FIELD_STEPS.get(field.partition("[")[0].partition(".")[0], "review")
    return step, error.public_message


def message_problem(error: DomainError) -> str:
    """A refusal of the conversation service in the consumer's language."""
    return error.public_message


def portal_return_submit(*, order: Order, state: WizardState, language: str) -> ReturnRequest:
    """File the request through the core, queue its label, then drop the temporary photos.

    Everything is re-checked by ``return_request_create``; a refusal raises its
    ``DomainError`` and changes nothing (the photos stay for another attempt).
    """
    chosen = state.chosen_lines()
    order_line_ids = sorted(chosen)
    lines, attachments = [], []
    for index, line_id in enumerate(order_line_ids):
        line = chosen[line_id]
        lines.append(
            {
                "order_line": line_id,
                "quantity": line.quantity,
                "reason_code": line.reason,
                "comment": line.comment,
                "exchange_sku": line.exchange_sku,
            }
        )
        for photo in line.photos:
            with default_storage.open(photo.path, "rb") as handle:
                attachments.append({"name": photo.name, "file": handle.read(), "line": index})
    with transaction.atomic():
        return_request = return_request_create(
            order=order,
            case_type=state.case_type,
            resolution=state.resolution,
            method=state.method,
            lines=lines,
            actor=Actor.consumer(order.email),
            language=language,
            attachments=attachments,
            keep_item=state.keep_item,
        )
        if state.carrier_step:
            _carrier_choice_store(return_request=return_request, state=state)
    portal_photos_discard(photos=state.all_photos(), tenant_id=order.tenant_id)
    return return_request


def _carrier_choice_store(*, return_request: ReturnRequest, state: WizardState) -> None:
    """The chosen service point or pickup slot goes on the return's carrier shipment (in
    the transaction that stores the request, so an approval's booking sees it)."""
    from carriers.services import shipment_choose

    day, _, slot = state.pickup_slot.partition("|")
    shipment_choose(
        return_request=return_request,
        service_point=state.service_point or None,
        pickup_date=datetime.date.fromisoformat(day) if day else None,
        pickup_slot=slot,
    )


def portal_return_withdraw(*, return_request: ReturnRequest) -> ReturnRequest:
    return return_withdraw(
        return_request=return_request,
        actor=Actor.consumer(return_request.email),
        reason="Withdrawn by the customer in the return portal.",
    )
