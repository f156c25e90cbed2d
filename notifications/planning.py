"""Which mails an event produces: recipients, language and the plain-data context.

Pure apart from loading the order of an ``order.*`` event; no I/O beyond the database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from notifications.facts import event_facts
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
    "return.label_created",
    "return.in_transit",
    "return.received",
    "return.inspected",
    "return.completed",
    "return.cancelled",
    "return.free_return_set",
    "return.decided",
)
OTHER_MAIL_EVENTS = (
    "order.exchange_created",
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
# Mails that carry the QR code of the status page (which offers the label).
QR_MAIL_EVENTS = ("return.approved", "return.label_created")

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
        context.update(return_facts_context(name, data, language, currency))
    elif name == "refund.succeeded":
        context.update(
            {
                "amount": mail_money(data.get("amount"), currency, language),
                "provider": data.get("provider", ""),
                "paid_on": format_date(data.get("paid_on"), language),
                "payout_label": _label("payout", data.get("payout", ""), language),
            }
        )
    elif name == "voucher.issued":
        context.update(
            {
                "code": data.get("code", ""),
                "amount": mail_money(data.get("amount"), currency, language),
                "valid_from_date": format_date(data.get("valid_from"), language),
                "expires_date": format_date(last_valid_day(data.get("expires_at")), language),
            }
        )
    elif name == "credit_note.booked":
        context.update(
            {
                "number": data.get("number", ""),
                "amount": mail_money(data.get("amount"), currency, language),
            }
        )
    elif name == "order.exchange_created":
        context.update(
            {
                "exchange_number": data.get("number", ""),
                "rma": data.get("rma") or data.get("exchange_for", ""),
                "lines": [
                    {"quantity": line.get("quantity"), "name": line.get("name", "")}
                    for line in data.get("lines") or []
                ],
            }
        )
    elif name == "feedback.requested":
        context["feedback_url"] = public_url(data.get("feedback_path", ""))
    return context


def last_valid_day(expires_at: Any) -> date | None:
    """The last day a voucher is accepted: ``expires_at`` is the first day it is refused
    (``credits.services.vouchers``), so "valid until" names the day before."""
    if not expires_at:
        return None
    try:
        first_refused = date.fromisoformat(str(expires_at)[:10])
    except ValueError:
        return None
    return first_refused - timedelta(days=1)


def _lines_context(lines: list, language: str, currency: str) -> list[dict]:
    """A return's items as a mail lists them, in ``language``."""
    return [
        {
            "quantity": line.get("quantity"),
            "name": line.get("name", ""),
            "reason": (line.get("reasons") or {}).get(language, ""),
            "comment": line.get("comment", ""),
            "received_quantity": line.get("received_quantity"),
            "condition_label": _label("condition", line.get("condition", ""), language),
            "accepted": mail_money(line.get("accepted_amount"), currency, language),
            "accepted_reason": line.get("accepted_reason", ""),
            "paid": mail_money(line.get("paid"), currency, language),
        }
        for line in lines
    ]


def return_facts_context(name: str, data: dict, language: str, currency: str) -> dict:
    """What a ``return.*`` mail adds from the recorded facts (``notifications.facts``)."""
    context: dict[str, Any] = {
        "lines": _lines_context(data.get("lines") or [], language, currency),
        "auto_approved": bool(data.get("auto_approved")),
    }
    shipment = data.get("shipment") or {}
    if shipment:
        pickup = shipment.get("pickup") or {}
        context.update(
            {
                "carrier_name": carrier_display_name(shipment.get("carrier", "")),
                "tracking_number": shipment.get("tracking_number", ""),
                "tracking_url": shipment.get("tracking_url", ""),
                "scanned_on": format_date(shipment.get("in_transit_at"), language),
                # A home pickup the carrier has booked (or is asked to book): its day and
                # time window, so the customer is in when the driver comes.
                "pickup_date": format_date(pickup.get("date"), language),
                "pickup_window": (pickup.get("window") or "").replace("-", "–"),
                "pickup_confirmed": bool(pickup.get("confirmed")),
            }
        )
    resolution = data.get("resolved") or {}
    if resolution:
        money_of = resolution.get("currency") or currency
        lines = [
            {
                "quantity": line.get("quantity"),
                "name": line.get("name", ""),
                "condition_label": _label("condition", line.get("condition", ""), language),
                "paid": mail_money(line.get("paid"), money_of, language),
                "accepted": mail_money(line.get("amount"), money_of, language),
                "deducted": mail_money(line.get("deducted"), money_of, language)
                if _positive(line.get("deducted"))
                else "",
                "reason": line.get("reason", ""),
            }
            for line in resolution.get("lines") or []
        ]
        context.update(
            {
                # What was credited, not the estimate the request started with.
                "refund_total": mail_money(resolution.get("amount"), money_of, language)
                if _positive(resolution.get("amount"))
                else "",
                "accepted_lines": lines,
                "partly_accepted": any(line["deducted"] for line in lines),
                "exchange_order": resolution.get("exchange_order", ""),
                "voucher_code": resolution.get("voucher_code", ""),
            }
        )
    if name == "return.free_return_set":
        context["return_cost"] = mail_money(data.get("return_cost"), currency, language)
    if name == "return.decided":
        context.update(
            {
                "decision": data.get("decision", ""),
                "decision_label": _label("decision", data.get("decision", ""), language),
                "legal_basis": data.get("legal_basis", ""),
                "exchange_order": data.get("exchange_order", ""),
            }
        )
    return context


def _positive(amount: Any) -> bool:
    try:
        return Decimal(str(amount or "0")) > 0
    except ArithmeticError:
        return False


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
        # Only a refund the cancellation recorded: made by the shop ("shop", with its
        # reference) or issued through the platform ("platform", being paid out).
        "refund_amount": mail_money(
            data.get("refund_amount"), data.get("currency") or order.currency, language
        ),
        "refund_by": (data.get("refund") or {}).get("by", "")
        if isinstance(data.get("refund"), dict)
        else "",
        "refund_reference": (data.get("refund") or {}).get("reference", "")
        if isinstance(data.get("refund"), dict)
        else "",
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


def switched_on(tenant: Any, template: str) -> bool:
    """Whether the shop sends this mail (every mail is on until the shop switches it off)."""
    return template not in (getattr(tenant, "mails_switched_off", None) or ())


def customer_mail_due(name: str, data: dict) -> bool:
    """Whether the customer's mail about ``name`` says something true and new.

    - A request the rules approve at once gets the approval mail only: "we will check
      it" would be untrue while the label is already downloadable.
    - A label the carrier's first scan created (the parcel is already moving) is told by
      the in-transit mail.
    - The shop taking back a free return is not news the customer needs a mail for.
    """
    if name == "return.requested":
        return not data.get("auto_approved")
    if name == "return.label_created":
        return not (data.get("shipment") or {}).get("in_transit_at")
    if name == "return.free_return_set":
        return bool(data.get("is_free_return"))
    return True


def plan_mails(event: DomainEvent, tenant: Any, *, order: Any = None) -> list[PlannedMail]:
    """The mails ``event`` sends: to the customer (when its data has an e-mail) and, for
    ``STAFF_MAIL_EVENTS``, to the shop's notification address and the assignee; never a
    mail the shop has switched off."""
    return [
        mail for mail in _planned(event, tenant, order=order) if switched_on(tenant, mail.template)
    ]


def _planned(event: DomainEvent, tenant: Any, *, order: Any = None) -> list[PlannedMail]:
    data = event.data or {}
    if event.name in ORDER_EVENTS:
        if order is None or not order.email:
            return []
        language = pick_language(order.language, tenant.default_language)
        context = order_context(event.name, order, data, tenant, language)
        return [PlannedMail(event.name, order.email, language, context, "", order.number, "")]
    if event.name not in CUSTOMER_MAIL_EVENTS and event.name not in STAFF_MAIL_EVENTS:
        return []
    wanted = [
        template
        for template in (event.name, STAFF_MAIL_EVENTS.get(event.name, ""))
        if template and switched_on(tenant, template)
    ]
    if not wanted:
        return []  # nothing to send: no need to read the facts either
    data = {**data, **event_facts(event)}
    mails = []
    email = (data.get("email") or "").strip()
    order_number = str(data.get("order_number") or "")
    rma = str(data.get("rma") or "")
    if email and event.name in CUSTOMER_MAIL_EVENTS and customer_mail_due(event.name, data):
        language = pick_language(data.get("language"), tenant.default_language)
        qr = public_url(data.get("status_path", "")) if event.name in QR_MAIL_EVENTS else ""
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
