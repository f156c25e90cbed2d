"""Which mails an event produces: recipients, language and the plain-data context.

Pure apart from loading the order of an ``order.*`` event; no I/O beyond the database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from notifications.mails import (
    LABELS,
    METHOD_INSTRUCTIONS,
    POLICY_LABEL,
    STAFF_CUSTOMER_MESSAGE,
    STAFF_REQUESTED,
    SUPPORT_LABEL,
)
from notifications.rendering import mail_money, pick_language
from orders.carriers import carrier_display_name
from returns.predicates import case_needs_parcel, offers_carrier_document
from returns_platform.dates import format_date
from returns_platform.event_catalogue import webhook_events
from returns_platform.events import DomainEvent

logger = logging.getLogger(__name__)

# The back-office page of one return request (``backoffice/urls.py``).
BACKOFFICE_REQUEST_ROUTE = "backoffice:request"

ORDER_EVENTS = ("order.shipped", "order.delayed", "order.delivered", "order.cancelled")
# Return events that mail the customer; the others (concept, on_hold, ...) only go to webhooks.
RETURN_MAIL_EVENTS = (
    "return.requested",
    "return.approved",
    "return.cancelled",
    "return.received",
    "return.completed",
)
OTHER_MAIL_EVENTS = (
    "return.message",
    "refund.succeeded",
    "voucher.issued",
    "credit_note.booked",
    "feedback.requested",
)
CUSTOMER_MAIL_EVENTS = ORDER_EVENTS + RETURN_MAIL_EVENTS + OTHER_MAIL_EVENTS
# Events that mail the shop (notification address and assignee): event -> staff template.
STAFF_MAIL_EVENTS = {
    "return.requested": STAFF_REQUESTED,
    "return.customer_message": STAFF_CUSTOMER_MESSAGE,
}
# Every event a webhook can subscribe to: the catalogue's published events.
ALL_EVENTS = webhook_events()

# Track & trace pages per carrier; {code} is the URL-quoted tracking number.
TRACKING_URLS = {
    "postnl": "https://jouw.postnl.nl/track-and-trace/{code}-{country}-{postcode}",
    "dhl": "https://www.dhl.com/global-en/home/tracking.html?tracking-id={code}",
    "dpd": "https://tracking.dpd.de/status/en_US/parcel/{code}",
    "ups": "https://www.ups.com/track?tracknum={code}",
    "gls": "https://gls-group.com/track/{code}",
    "bpost": "https://track.bpost.cloud/btr/web/#/search?itemCode={code}",
    "inpost": "https://inpost.pl/sledzenie-przesylek?number={code}",
    "postnord": "https://www.postnord.se/en/our-tools/track-and-trace?shipmentId={code}",
}


@dataclass
class PlannedMail:
    template: str  # an event name, or a staff template (STAFF_MAIL_EVENTS)
    recipient: str
    language: str
    context: dict
    qr_url: str = ""
    order_number: str = ""
    rma: str = ""
    extra: dict = field(default_factory=dict)


def tracking_url(
    carrier: str, tracking_number: str, *, postcode: str = "", country: str = ""
) -> str:
    pattern = TRACKING_URLS.get((carrier or "").strip().lower())
    if not pattern or not tracking_number:
        return ""
    return pattern.format(
        code=quote(tracking_number, safe=""),
        postcode=quote("".join(postcode.split()).upper(), safe=""),
        country=quote(country.upper(), safe=""),
    )


def public_url(path: str) -> str:
    if not path:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    return settings.PUBLIC_BASE_URL + "/" + path.lstrip("/")


def _in_language(text: Any, language: str) -> str:
    """A lazily translated text in ``language`` (mails never follow the active language)."""
    with translation.override(language):
        return str(text)


def tenant_data(tenant: Any, language: str) -> dict:
    logo_url = ""
    if getattr(tenant, "logo", None):
        logo_url = public_url(tenant.logo.url)
    return {
        "name": tenant.name,
        "slug": tenant.slug,
        "brand_colour": tenant.brand_colour,
        "logo_url": logo_url,
        "policy_url": tenant.policy_url,
        "support_url": tenant.support_url,
        "policy_label": _in_language(POLICY_LABEL, language),
        "support_label": _in_language(SUPPORT_LABEL, language),
        "portal_url": public_url(f"/r/{tenant.slug}/"),
    }


def _label(kind: str, value: str, language: str) -> str:
    label = LABELS[kind].get(value or "")
    return _in_language(label, language) if label else value or ""


def _pickup_lines(rma: str, language: str) -> dict:
    """The pickup the customer chose (carriers/): the day and the carrier's window."""
    from carriers.selectors import pickup_of

    pickup = pickup_of(rma) if rma else None
    if pickup is None:
        return {}
    return {"pickup_day": format_date(pickup["date"], language), "pickup_slot": pickup["slot"]}


def event_context(name: str, data: dict, tenant: Any, language: str) -> dict:
    """The context of a mail about ``name``; ``data`` is the event's data (plain values)."""
    currency = data.get("currency") or getattr(tenant, "currency", "")
    status_url = public_url(data.get("status_path", ""))
    context: dict[str, Any] = {
        "tenant": tenant_data(tenant, language),
        "customer_name": data.get("customer_name", ""),
        "email": data.get("email", ""),
        "order_number": data.get("order_number", ""),
        "rma": data.get("rma", ""),
        "reason": data.get("reason", ""),
        "status": data.get("status", ""),
        "status_url": status_url,
    }
    if name.startswith("return."):
        method = data.get("method", "")
        # Events recorded before ``needs_parcel`` was in their data answer by case type.
        parcel = data.get("needs_parcel", case_needs_parcel(data.get("case_type", "")))
        context.update(
            {
                "case_type": data.get("case_type", ""),
                "case_type_label": _label("case_type", data.get("case_type", ""), language),
                "method": method,
                "method_label": _label("method", method, language),
                "method_instructions": _in_language(
                    METHOD_INSTRUCTIONS.get(method, "") if parcel else "", language
                ),
                "resolution": data.get("resolution", ""),
                "resolution_label": _label("resolution", data.get("resolution", ""), language),
                "refund_total": mail_money(data.get("refund_total"), currency, language),
                # The status page offers the label (or the QR code) for download.
                "label_url": status_url
                if offers_carrier_document(method=method, parcel=parcel)
                else "",
                "excerpt": data.get("excerpt", ""),
                "assignee_email": data.get("assignee_email", ""),
            }
        )
        if name == "return.approved" and method == "pickup":
            context.update(_pickup_lines(context["rma"], language))
    elif name == "refund.succeeded":
        context.update(
            {
                "amount": mail_money(data.get("amount"), currency, language),
                "provider": data.get("provider", ""),
            }
        )
    elif name == "voucher.issued":
        context.update(
            {
                "code": data.get("code", ""),
                "amount": mail_money(data.get("amount"), currency, language),
                "expires_date": format_date(data.get("expires_at"), language),
            }
        )
    elif name == "credit_note.booked":
        context.update(
            {
                "number": data.get("number", ""),
                "amount": mail_money(data.get("amount"), currency, language),
            }
        )
    elif name == "feedback.requested":
        context["feedback_url"] = public_url(data.get("feedback_path", ""))
    return context


def backoffice_return_url(rma: str) -> str:
    """The absolute address of a request's page in the back office ("" without an RMA).

    Reversed from the back office's URL conf, so the link follows the page if it moves.
    Mails are planned inside the publishing transaction: a missing route must not undo
    the change being reported, so it falls back to the back office's front page.
    """
    if not rma:
        return ""
    try:
        path = reverse(BACKOFFICE_REQUEST_ROUTE, kwargs={"rma": str(rma)})
    except NoReverseMatch:
        logger.error("No back-office route %s for %r", BACKOFFICE_REQUEST_ROUTE, rma)
        path = "/backoffice/"
    return public_url(path)


def staff_context(name: str, data: dict, tenant: Any, language: str) -> dict:
    """The context of a mail to the shop: the event's context plus the back-office link."""
    context = event_context(name, data, tenant, language)
    context["backoffice_url"] = backoffice_return_url(data.get("rma", ""))
    return context


def staff_recipients(tenant: Any, data: dict) -> list[str]:
    """The shop's notification address and the request's assignee, each once."""
    recipients: list[str] = []
    for address in (tenant.notification_email, data.get("assignee_email")):
        address = (address or "").strip()
        if address and address.lower() not in {r.lower() for r in recipients}:
            recipients.append(address)
    return recipients


def order_context(name: str, order: Any, data: dict, tenant: Any, language: str) -> dict:
    carrier = data.get("carrier") or order.carrier
    tracking_number = data.get("tracking_number") or order.tracking_number
    customer_name = order.customer.name if order.customer_id else order.shipping_name
    return {
        "tenant": tenant_data(tenant, language),
        "customer_name": customer_name or order.shipping_name,
        "email": order.email,
        "order_number": order.number,
        "carrier": carrier,
        "carrier_name": carrier_display_name(carrier),
        "tracking_number": tracking_number,
        "tracking_url": tracking_url(
            carrier,
            tracking_number,
            postcode=order.shipping_postcode,
            country=order.shipping_country,
        ),
        "expected_date": format_date(data.get("expected_at"), language),
        "reason": data.get("reason", ""),
        "refund_amount": mail_money(
            data.get("refund_amount"), data.get("currency") or order.currency, language
        ),
        "return_url": public_url(f"/r/{tenant.slug}/"),
        "status_url": "",
        "rma": "",
    }


def load_order(event: DomainEvent) -> Any:
    """The order an ``order.*`` event is about (None for other events or a vanished order)."""
    if event.name not in ORDER_EVENTS or event.subject_type != "order":
        return None
    from orders.models import Order

    return Order.objects.select_related("customer").filter(number=event.subject_id).first()


def plan_mails(event: DomainEvent, tenant: Any, *, order: Any = None) -> list[PlannedMail]:
    """The mails ``event`` sends: to the customer (when its data has an e-mail) and, for
    ``STAFF_MAIL_EVENTS``, to the shop's notification address and the assignee."""
    data = event.data or {}
    if event.name in ORDER_EVENTS:
        if order is None or not order.email:
            return []
        language = pick_language(order.language, tenant.default_language)
        context = order_context(event.name, order, data, tenant, language)
        return [PlannedMail(event.name, order.email, language, context, "", order.number, "")]
    if event.name not in CUSTOMER_MAIL_EVENTS and event.name not in STAFF_MAIL_EVENTS:
        return []
    mails = []
    email = (data.get("email") or "").strip()
    order_number = str(data.get("order_number") or "")
    rma = str(data.get("rma") or "")
    if email and event.name in CUSTOMER_MAIL_EVENTS:
        language = pick_language(data.get("language"), tenant.default_language)
        qr = public_url(data.get("status_path", "")) if event.name == "return.approved" else ""
        context = event_context(event.name, data, tenant, language)
        context["qr_url"] = qr
        mails.append(PlannedMail(event.name, email, language, context, qr, order_number, rma))
    staff_template = STAFF_MAIL_EVENTS.get(event.name)
    if staff_template:
        staff_language = pick_language(tenant.default_language)
        for address in staff_recipients(tenant, data):
            context = staff_context(event.name, data, tenant, staff_language)
            mails.append(
                PlannedMail(staff_template, address, staff_language, context, "", order_number, rma)
            )
    return mails
