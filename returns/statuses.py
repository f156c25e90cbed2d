"""Return statuses, case types and the one transition table of the return workflow."""

import functools

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONCEPT = "concept", _("Concept")
    ON_HOLD = "on_hold", _("On hold")
    APPROVED = "approved", _("Approved")
    LABEL_CREATED = "label_created", _("Label created")
    IN_TRANSIT = "in_transit", _("In transit")
    RECEIVED = "received", _("Received")
    INSPECTED = "inspected", _("Inspected")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class CaseType(models.TextChoices):
    RETURN = "return", _("Return (withdrawal)")
    COMPLAINT = "complaint", _("Complaint or warranty claim")
    MISSING_ITEM = "missing_item", _("Missing item")


class Resolution(models.TextChoices):
    REFUND = "refund", _("Refund")
    STORE_CREDIT = "store_credit", _("Store credit")
    EXCHANGE = "exchange", _("Exchange")
    REPLACEMENT = "replacement", _("Replacement")
    REPAIR = "repair", _("Repair")


class ReturnMethod(models.TextChoices):
    DROP_OFF = "drop_off", _("Drop-off at a service point")
    QR_DROP_OFF = "qr_drop_off", _("Label-less QR code at a service point")
    PICKUP = "pickup", _("Pickup at home")
    IN_STORE = "in_store", _("Return in store")
    OWN_SHIPPING = "own_shipping", _("Own shipping")


class Condition(models.TextChoices):
    AS_NEW = "as_new", _("As new")
    OPENED = "opened", _("Opened")
    DAMAGED = "damaged", _("Damaged")
    WRONG_ITEM = "wrong_item", _("Wrong item")
    MISSING = "missing", _("Missing")


class DecisionKind(models.TextChoices):
    """What a complaint ends in."""

    REPAIR = "repair", _("Repair")
    REPLACE = "replace", _("Replace")
    REFUND = "refund", _("Refund")
    REJECT = "reject", _("Reject")


class Disposition(models.TextChoices):
    RESTOCK = "restock", _("Restock")
    REFURBISH = "refurbish", _("Refurbish")
    DISPOSE = "dispose", _("Dispose")


S = ReturnStatus

# from -> the statuses it may move to. Nothing else is allowed
# (docs/architecture.md, "Returns workflow").
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.REQUESTED: (S.CONCEPT, S.ON_HOLD, S.APPROVED, S.CANCELLED),
    S.CONCEPT: (S.ON_HOLD, S.APPROVED, S.CANCELLED),
    S.ON_HOLD: (S.REQUESTED, S.CONCEPT, S.APPROVED, S.CANCELLED),
    S.APPROVED: (S.LABEL_CREATED, S.RECEIVED, S.COMPLETED, S.CANCELLED, S.EXPIRED),
    S.LABEL_CREATED: (S.IN_TRANSIT, S.RECEIVED, S.EXPIRED, S.CANCELLED),
    S.IN_TRANSIT: (S.RECEIVED,),
    S.RECEIVED: (S.INSPECTED,),
    S.INSPECTED: (S.COMPLETED,),
    S.COMPLETED: (),
    S.CANCELLED: (),
    S.EXPIRED: (),
}

# approved -> completed skips the parcel: only a request without one (returns.predicates).
NO_PARCEL_ONLY: frozenset[tuple[str, str]] = frozenset({(S.APPROVED, S.COMPLETED)})

# Requests in these statuses no longer hold quantity of their order lines.
RELEASED_STATUSES: frozenset[str] = frozenset({S.CANCELLED})
# A parcel may be booked in from these statuses.
RECEIVABLE_STATUSES: frozenset[str] = frozenset(
    {S.APPROVED, S.LABEL_CREATED, S.IN_TRANSIT, S.RECEIVED}
)
FINAL_STATUSES: frozenset[str] = frozenset({S.COMPLETED, S.CANCELLED, S.EXPIRED})


def allowed_targets(status: str, case_type: str, keep_item: bool = False) -> list[str]:
    """The statuses a request of ``case_type`` in ``status`` may move to, in table order.

    Without a parcel (a missing item, or goods the customer keeps) approved -> completed
    is allowed."""
    return list(_allowed_targets(str(status), str(case_type), bool(keep_item)))


@functools.lru_cache(maxsize=256)
def _allowed_targets(status: str, case_type: str, keep_item: bool) -> tuple[str, ...]:
    """``allowed_targets`` worked out once per combination (a list page asks for 50)."""
    from returns.predicates import case_needs_parcel  # the predicates build on this module

    no_parcel = not case_needs_parcel(case_type) or keep_item
    return tuple(
        str(target)
        for target in TRANSITIONS.get(status, ())
        if (status, target) not in NO_PARCEL_ONLY or no_parcel
    )


def is_allowed(status: str, to: str, case_type: str, keep_item: bool = False) -> bool:
    return to in allowed_targets(status, case_type, keep_item)
