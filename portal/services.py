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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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
    """A problem to show the consumer; ``message`` is already in their language."""

    code = "portal_error"


def portal_photo_store(*, tenant_id: int, upload) -> Photo:
    """Check one uploaded photo and keep its re-encoded copy until confirmation.

    Pillow decodes and re-encodes it (returns/attachments.py), which drops its metadata
    (location, camera) and anything appended to it; the stored name is random.
    """
    name = str(getattr(upload, "name", "") or "photo")[:200]
    if getattr(upload, "size", 0) and upload.size > MAX_ATTACHMENT_BYTES:
        raise PortalError(_("%(name)s is larger than 10 MB.") % {"name": name}, code="too_large")
    try:
        checked = attachment_check(name=name, upload=upload)
    except DomainError as error:
        if error.code == "attachment_too_large":
            message = _("%(name)s is larger than 10 MB.") % {"name": name}
        else:
            message = _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name}
        raise PortalError(message, code=error.code) from error
    if checked.content_type not in PHOTO_TYPES:  # a PDF is a document, not a photo
        raise PortalError(
            _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name},
            code="invalid_attachment",
        )
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
            raise PortalError(
                _("At most %(count)d photos per item.") % {"count": MAX_PHOTOS_PER_LINE},
                code="too_many_photos",
            )
    if len(state.all_photos()) > MAX_ATTACHMENTS:
        raise PortalError(
            _("At most %(count)d photos per return in all.") % {"count": MAX_ATTACHMENTS},
            code="too_many_attachments",
        )


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


# The core's refusals at confirmation, in the consumer's words, and the step to go back to.
SUBMIT_PROBLEMS = {
    "quantity_exceeds_remaining": (
        "items",
        gettext_noop(
            "Some of these items are no longer available to return. Please check the quantities."
        ),
    ),
    "line_blocked": (
        "items",
        gettext_noop("One of the items cannot be returned. Please check your choice."),
    ),
    "line_not_in_order": ("items", gettext_noop("Please choose the items again.")),
    "duplicate_line": ("items", gettext_noop("Please choose the items again.")),
    "no_lines": ("items", gettext_noop("Choose at least one item.")),
    "unknown_reason": ("details", gettext_noop("Please choose a reason for every item.")),
    "method_not_offered": (
        "method",
        gettext_noop("This return method is not available. Please choose another."),
    ),
    "resolution_not_offered": (
        "resolution",
        gettext_noop("This option is not available. Please choose another."),
    ),
    "country_blocked": (
        "home",
        gettext_noop("Returns from your country are not accepted by this shop."),
    ),
    "business_no_withdrawal": (
        "case",
        gettext_noop(
            "Business purchases cannot be returned by withdrawal. You can report a defect "
            "or a missing item."
        ),
    ),
    "too_many_attachments": ("details", gettext_noop("Too many photos for one return.")),
    "photo_required": ("details", gettext_noop("Add at least one photo of the problem.")),
    "order_cancelled": (
        "home",
        gettext_noop("This order was cancelled, so there is nothing to return."),
    ),
    "invalid_attachment": (
        "details",
        gettext_noop("One of the photos could not be read. Please upload it again."),
    ),
    "attachment_too_large": ("details", gettext_noop("One of the photos is too large.")),
    "keep_item_not_offered": (
        "method",
        gettext_noop(
            "Keeping the items is no longer offered for this return. Please choose how to "
            "send it back."
        ),
    ),
}


def submit_problem(error: DomainError) -> tuple[str, str]:
    """(step, message in the active language) for a refusal of the create service."""
    step, message = SUBMIT_PROBLEMS.get(
        error.code,
        ("review", gettext_noop("Your return could not be registered. Please try again.")),
    )
    return step, _(message)


MESSAGE_PROBLEMS = {
    "empty_message": gettext_noop("Write a message first."),
    "message_too_long": gettext_noop("Your message is too long."),
    "too_many_attachments": gettext_noop("Too many files for one message."),
    "attachment_too_large": gettext_noop("One of the files is larger than 10 MB."),
    "invalid_attachment": gettext_noop(
        "Only JPEG, PNG or WebP photos and PDF documents can be sent."
    ),
}


def message_problem(error: DomainError) -> str:
    """A refusal of the conversation service in the consumer's language."""
    return _(MESSAGE_PROBLEMS.get(error.code, gettext_noop("Your message could not be sent.")))


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
