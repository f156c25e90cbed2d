"""Words for the codes staff would otherwise read raw: events of the document history,
the subjects they are about, rules of the return policy, statuses and reasons.

Every code has a label in the screen's language; a code this module does not know yet
(a new event) is shown as words ("Label ready"), never as ``return.label_ready``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "order.upserted": _("Order received"),
    "order.shipped": _("Order shipped"),
    "order.delayed": _("Order delayed"),
    "order.delivered": _("Order delivered"),
    "order.cancelled": _("Order cancelled"),
    "order.exchange_created": _("Exchange order created"),
    "return.requested": _("Return requested"),
    "return.concept": _("Set to concept"),
    "return.on_hold": _("Put on hold"),
    "return.approved": _("Approved"),
    "return.cancelled": _("Cancelled"),
    "return.expired": _("Expired"),
    "return.label_created": _("Label created"),
    "return.label_ready": _("Label ready"),
    "return.in_transit": _("Parcel in transit"),
    "return.received": _("Parcel received"),
    "return.inspected": _("Inspected"),
    "return.completed": _("Completed"),
    "return.receipt": _("Receipt recorded"),
    "return.receipt_photos": _("Receipt photos added"),
    "return.resolved": _("Resolved"),
    "return.decided": _("Decision recorded"),
    "return.free_return_set": _("Free return changed"),
    "return.reassigned": _("Reassigned"),
    "return.note_added": _("Internal note added"),
    "return.message": _("Message to the customer"),
    "return.customer_message": _("Message from the customer"),
    "return.message_posted": _("Message posted"),
    "return.carrier_booked": _("Carrier booked"),
    "return.carrier_delivered": _("Delivered by the carrier"),
    "return.carrier_failed": _("Carrier booking failed"),
    "return.carrier_retry": _("Carrier booking retried"),
    "return.pickup_booked": _("Pickup booked"),
    "return.pickup_cancelled": _("Pickup cancelled"),
    "credit_note.created": _("Credit note created"),
    "credit_note.updated": _("Credit note changed"),
    "credit_note.booked": _("Credit note booked"),
    "refund.created": _("Refund created"),
    "refund.succeeded": _("Refund paid"),
    "refund.failed": _("Refund failed"),
    "refund.attempt_failed": _("Refund attempt failed"),
    "voucher.issued": _("Voucher issued"),
    "voucher.redeemed": _("Voucher redeemed"),
    "voucher.redemption_reversed": _("Voucher redemption reversed"),
    "voucher.void": _("Voucher voided"),
    "voucher.expired": _("Voucher expired"),
    "feedback.requested": _("Feedback requested"),
    "feedback.given": _("Feedback given"),
    "feedback.changed": _("Feedback changed"),
}

SUBJECT_LABELS = {
    "order": _("Order"),
    "return": _("Return"),
    "credit_note": _("Credit note"),
    "refund": _("Refund"),
    "voucher": _("Voucher"),
}

RULE_LABELS = {
    "window": _("Return window"),
    "country": _("Country"),
    "method": _("Return method"),
    "resolution": _("Resolution"),
    "returnable": _("Returnable"),
    "quantity": _("Quantity"),
}


def words(code: str) -> str:
    """The last part of a dotted code as words: ``return.label_ready`` -> "Label ready"."""
    text = code.rpartition(".")[2].replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def event_label(action: str) -> str:
    label = EVENT_LABELS.get(action)
    return str(label) if label is not None else words(action)


def rule_label(rule: str) -> str:
    label = RULE_LABELS.get(rule)
    return str(label) if label is not None else words(rule)


def subject(event: Any, documents: Mapping[tuple[str, str], tuple[str, str]]) -> dict:
    """What a history entry is about, for people: ``{"label", "url"}``.

    ``documents`` maps ``(subject_type, subject_id)`` to the document's own name and page
    (a credit note's number, a voucher's code) where the view found one.
    """
    kind, identifier = event.subject_type, str(event.subject_id)
    kind_label = SUBJECT_LABELS.get(kind)
    name, url = documents.get((kind, identifier), ("", ""))
    if not name:
        name = identifier
        url = _url(kind, identifier)
    prefix = str(kind_label) if kind_label is not None else words(kind)
    return {"label": f"{prefix} {name}", "url": url}


def _url(kind: str, identifier: str) -> str:
    names = {"order": "backoffice:order", "return": "backoffice:request"}
    if kind not in names:
        return ""
    try:
        return reverse(names[kind], args=[identifier])
    except NoReverseMatch:
        return ""


def documents_of(dossier: Any) -> dict[tuple[str, str], tuple[str, str]]:
    """The order's credit notes, vouchers and refunds by the ids their history entries
    carry (the database id, or the public number), with their names and pages."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for note in dossier.credit_notes:
        name = note.number or str(_("draft %(id)s") % {"id": note.pk})
        url = reverse("backoffice-credits:credit-note", args=[note.pk])
        found[("credit_note", str(note.pk))] = (name, url)
        if note.number:
            found[("credit_note", note.number)] = (name, url)
    for voucher in dossier.vouchers:
        url = reverse("backoffice-credits:voucher", args=[voucher.pk])
        found[("voucher", str(voucher.pk))] = (voucher.display_code, url)
    for refund in dossier.refunds:
        url = reverse("backoffice-credits:refunds")
        found[("refund", str(refund.pk))] = (f"#{refund.pk}", url)
    return found
