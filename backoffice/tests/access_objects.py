"""The objects the back-office access battery needs in each shop, made on demand.

``objects_for`` returns the ids a Route's placeholders name (``{rma}``, ``{voucher}``, ...);
add a maker here when a new screen takes a new kind of id."""

from __future__ import annotations

import io
from decimal import Decimal

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from returns.models import ReturnReason, ReturnRequest
from returns_platform.audit import Actor
from returns_platform.tenancy import TenantOwnedModel, tenant_context
from tenants.models import Membership, SalesChannel
from tenants.services import api_key_create


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


SYSTEM = Actor.system("test")


def _photo(return_request) -> int:
    from returns.attachments import attachment_check
    from returns.services import receipt_photos_store

    line = return_request.lines.first()
    [photo] = receipt_photos_store(
        return_request=return_request,
        photos=[(line, attachment_check(name="p.png", upload=photo_bytes()))],
        actor=SYSTEM,
    )
    return photo.pk


def _message_file(return_request) -> int:
    from conversations.services import conversation_post

    message = conversation_post(
        return_request=return_request,
        body="With a file",
        actor=SYSTEM,
        attachments=[SimpleUploadedFile("m.png", photo_bytes(), "image/png")],
    )
    return message.attachments.first().pk


def _channel(return_request) -> int:
    channel, _ = SalesChannel.objects.get_or_create(
        code="shop", defaults={"name": "Shop", "kind": "store"}
    )
    return channel.pk


def _voucher(return_request) -> int:
    from credits.services import voucher_issue

    return voucher_issue(amount=Decimal("25.00"), currency="EUR", actor=SYSTEM).pk


def _draft_note(return_request):
    from credits.services import credit_note_create
    from credits.services.credit_notes import Payout

    return credit_note_create(
        order=return_request.order,
        reason="goodwill",
        amount=Decimal("5.00"),
        payout=Payout("voucher"),
        actor=SYSTEM,
    )


def _booked_note(return_request) -> int:
    from credits.services import credit_note_book

    return credit_note_book(credit_note=_draft_note(return_request), actor=SYSTEM).pk


def _refund(return_request) -> int:
    from credits.services import refund_create

    return refund_create(order=return_request.order, amount=Decimal("3.00"), actor=SYSTEM).pk


def _resolvable(return_request) -> str:
    """The RMA of a received and inspected return waiting for its resolution."""
    from credits.tests.conftest import inspected_return

    return inspected_return(number="2001").rma


def _mail(return_request) -> int:
    from notifications.models import OutboxKind, OutboxMessage, OutboxStatus

    now = timezone.now()
    return OutboxMessage.objects.create(
        kind=OutboxKind.EMAIL,
        event="return.received",
        event_id="access-mail",
        rma=return_request.rma,
        order_number=return_request.order.number,
        recipient="jan@example.nl",
        language="en",
        subject="We received your parcel",
        body_text="Thank you.",
        status=OutboxStatus.FAILED,
        attempts=8,
        last_error="SMTPServerDisconnected: down",
        next_attempt_at=now,
        created_at=now,
    ).pk


def _subscription_and_delivery(return_request) -> tuple[int, int]:
    from notifications.models import (
        OutboxKind,
        OutboxMessage,
        OutboxStatus,
        WebhookDelivery,
        WebhookSubscription,
    )

    now = timezone.now()
    subscription = WebhookSubscription.objects.create(
        url="http://127.0.0.1:9/hook", events=["*"], secret="whsec_access"
    )
    message = OutboxMessage.objects.create(
        kind=OutboxKind.WEBHOOK,
        event="return.approved",
        event_id="access-hook",
        recipient=subscription.url,
        subscription=subscription,
        status=OutboxStatus.FAILED,
        next_attempt_at=now,
        created_at=now,
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, message=message, attempt=1, status_code=503, created_at=now
    )
    return subscription.pk, delivery.pk


# The text of the mail template a shop made its own (for the template screens).
OWN_WORDS = "Our own words for this parcel."


def _template_override(return_request) -> str:
    from notifications.models import NotificationTemplate

    NotificationTemplate.objects.create(
        event="return.received", language="en", subject="Got it", body=OWN_WORDS
    )
    return "return.received"


def objects_for(tenant, request_obj, *, member_email: str, needed: set[str]) -> dict:
    """Ids of one shop's objects, in the shapes the URLs take; only the ``needed`` ones
    beyond the request and its order are made (the battery stays quick)."""
    with tenant_context(tenant):
        return_request = ReturnRequest.objects.select_related("order").get(pk=request_obj.pk)
        ids = {
            "rma": return_request.rma,
            "number": return_request.order.number,
            "language": "en",
            "table": "reasons",
        }
        makers = {
            "reason": lambda r: ReturnReason.objects.order_by("pk").first().pk,
            "channel": _channel,
            "key": lambda r: api_key_create(name="erp", actor=SYSTEM).api_key.pk,
            "member": lambda r: Membership.objects.get(user__username=member_email).pk,
            "file": _photo,
            "message_file": _message_file,
            "voucher": _voucher,
            "note": lambda r: _draft_note(r).pk,
            "booked_note": _booked_note,
            "refund": _refund,
            "resolvable": _resolvable,
            "mail": _mail,
            "event": _template_override,
        }
        for name in sorted(needed - set(ids)):
            if name == "delivery":
                continue
            if name == "subscription":
                ids["subscription"], ids["delivery"] = _subscription_and_delivery(return_request)
            else:
                ids[name] = makers[name](return_request)
    return ids


def every_row(tenant) -> dict:
    """Every tenant-owned row of the shop, in full: what "nothing changed" compares."""
    with tenant_context(tenant):
        return {
            model._meta.label: list(model.objects.order_by("pk").values())
            for model in apps.get_models()
            if issubclass(model, TenantOwnedModel)
        }
