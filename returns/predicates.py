"""The returns domain's rules, asked by name.

Every interface (API, portal, back office), the other apps (credits, carriers,
notifications) and the templates ask these questions instead of restating them. The
model exposes the per-request ones as properties (``return_request.needs_parcel``), so a
template reads ``{% if return_request.needs_parcel %}``, never a case type or a status.
Pure functions: no queries.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from orders.statuses import OrderStatus
from returns.statuses import FINAL_STATUSES, CaseType, ReturnMethod, ReturnStatus

# Case types whose goods never travel back (nothing was delivered to send back).
NO_PARCEL_CASES: frozenset[str] = frozenset({CaseType.MISSING_ITEM})
# Case types that need a photo of the problem on every line.
PHOTO_CASES: frozenset[str] = frozenset({CaseType.COMPLAINT})
# Methods whose parcel travels with a printed label from us.
LABEL_METHODS: frozenset[str] = frozenset({ReturnMethod.DROP_OFF, ReturnMethod.PICKUP})
# Methods for which the status page offers something to show the carrier: the printed
# label, or the label-less QR code.
CARRIER_DOCUMENT_METHODS: frozenset[str] = LABEL_METHODS | {ReturnMethod.QR_DROP_OFF}


def case_needs_parcel(case_type: str) -> bool:
    """Whether a case of this type sends goods back (asked before a request exists:
    the portal's steps, the create service)."""
    return case_type not in NO_PARCEL_CASES


def needs_parcel(return_request: Any) -> bool:
    """Goods travel back: not a missing item, and not goods the customer keeps.

    Without a parcel there is no method step, label, carrier booking or receipt; the
    request may go approved -> completed, and the requested units count as accepted."""
    return case_needs_parcel(return_request.case_type) and not return_request.keep_item


def without_parcel() -> Q:
    """``needs_parcel`` is false, as a query filter on return requests."""
    return Q(case_type__in=NO_PARCEL_CASES) | Q(keep_item=True)


def case_needs_photo(case_type: str) -> bool:
    """A complaint shows the problem: each of its lines needs a photo."""
    return case_type in PHOTO_CASES


def case_takes_decision(case_type: str) -> bool:
    """A complaint ends in the shop's decision (repair, replace, refund or reject)."""
    return case_type == CaseType.COMPLAINT


def status_is_final(status: str) -> bool:
    return status in FINAL_STATUSES


def is_final(return_request: Any) -> bool:
    """Completed, cancelled or expired: nothing more happens to the request."""
    return status_is_final(return_request.status)


def can_withdraw(return_request: Any) -> bool:
    """The consumer may take back a request nobody has started on."""
    return return_request.status == ReturnStatus.REQUESTED


def order_accepts_returns(order: Any) -> bool:
    """A cancelled order was never delivered: there is nothing to return."""
    return order.status != OrderStatus.CANCELLED


def method_needs_label(method: str) -> bool:
    return method in LABEL_METHODS


def needs_label(return_request: Any) -> bool:
    """A printed label for the parcel: a parcel travels, by a method that uses one."""
    return needs_parcel(return_request) and method_needs_label(return_request.method)


def offers_carrier_document(*, method: str, parcel: bool) -> bool:
    """Whether the status page offers a label or a QR code to show the carrier."""
    return parcel and method in CARRIER_DOCUMENT_METHODS
