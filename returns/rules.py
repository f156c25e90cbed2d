"""Return rules as pure functions: (order, requested lines, case type, policy snapshot,
already-returned quantities, country) -> verdicts.

No database access here. ``policy`` is the JSON snapshot of ``ReturnPolicy``
(``ReturnPolicy.snapshot()``), which is also what the request stores, so a request can
be re-judged later by exactly the rules it was judged by.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from returns.predicates import case_needs_parcel
from returns.statuses import CaseType, Resolution, ReturnMethod

OK, BLOCKED, REVIEW = "ok", "blocked", "review"

RULE_WINDOW = "window"
RULE_COUNTRY = "country"
RULE_RETURNABLE = "returnable"
RULE_QUANTITY = "quantity"
RULE_METHOD = "method"
RULE_RESOLUTION = "resolution"

WITHIN_WINDOW = _("Within the {days}-day window (until {deadline}).")
OUTSIDE_WINDOW = _("The {days}-day window ended on {deadline}; staff will review the request.")
NO_DELIVERY_DATE = _("The order has no delivery or ship date; staff will review the request.")
NO_BUSINESS_WITHDRAWAL = _(
    "{company} bought as a business: a business customer has no statutory right of "
    "withdrawal, and this shop does not take business returns. Defects and missing items "
    "can still be reported."
)
BUSINESS_WITHIN_WINDOW = _(
    "Business customer: within the shop's {days}-day window for businesses (until {deadline})."
)
BUSINESS_OUTSIDE_WINDOW = _(
    "Business customer: the shop's {days}-day window for businesses ended on {deadline}."
)
COUNTRY_OK = _("Returns from {country} are accepted.")
COUNTRY_NOT_ALLOWED = _("Returns from {country} are not accepted.")
LINE_RETURNABLE = _("Line {line}: {sku} can be returned.")
LINE_NOT_RETURNABLE = _("Line {line}: {sku} cannot be returned.")
SKU_NOT_RETURNABLE = _("Line {line}: {sku} is on the shop's list of non-returnable items.")
CATEGORY_NOT_RETURNABLE = _("Line {line}: items in category {category} cannot be returned.")
QUANTITY_OK = _("Line {line}: {quantity} of {left} left to return.")
QUANTITY_TOO_HIGH = _("Line {line}: {quantity} requested but only {left} left to return.")
METHOD_OK = _("{method} is offered for {country}.")
METHOD_NOT_OFFERED = _("{method} is not offered for {country}.")
RESOLUTION_OK = _("{resolution} is offered.")
RESOLUTION_NOT_OFFERED = _("{resolution} is not offered.")


# The verdicts' messages by key: a verdict is stored as its key and values, and read in
# the language of whoever reads it (the consumer on the portal, staff in the back office).
MESSAGES = {
    "within_window": WITHIN_WINDOW,
    "outside_window": OUTSIDE_WINDOW,
    "no_delivery_date": NO_DELIVERY_DATE,
    "business_no_withdrawal": NO_BUSINESS_WITHDRAWAL,
    "business_within_window": BUSINESS_WITHIN_WINDOW,
    "business_outside_window": BUSINESS_OUTSIDE_WINDOW,
    "country_ok": COUNTRY_OK,
    "country_not_allowed": COUNTRY_NOT_ALLOWED,
    "line_returnable": LINE_RETURNABLE,
    "line_not_returnable": LINE_NOT_RETURNABLE,
    "sku_not_returnable": SKU_NOT_RETURNABLE,
    "category_not_returnable": CATEGORY_NOT_RETURNABLE,
    "quantity_ok": QUANTITY_OK,
    "quantity_too_high": QUANTITY_TOO_HIGH,
    "method_ok": METHOD_OK,
    "method_not_offered": METHOD_NOT_OFFERED,
    "resolution_ok": RESOLUTION_OK,
    "resolution_not_offered": RESOLUTION_NOT_OFFERED,
}
# Values that are codes are read as their label in the reader's language.
LABELLED_VALUES = {"method": ReturnMethod, "resolution": Resolution}


def verdict_text(message: str, params: Mapping[str, Any]) -> str:
    """A verdict's message in the active language ("" for an unknown key)."""
    template = MESSAGES.get(message)
    if template is None:
        return ""
    values = dict(params)
    for name, choices in LABELLED_VALUES.items():
        if values.get(name) in choices.values:
            values[name] = str(choices(values[name]).label)
    try:
        return str(template).format(**values)
    except (KeyError, IndexError, ValueError):
        return str(template)


def verdict_reason(stored: Mapping) -> str:
    """A stored verdict in the active language; a row stored as text only (before
    verdicts kept their key) reads as it was written."""
    text = verdict_text(str(stored.get("message") or ""), stored.get("params") or {})
    return text or str(stored.get("reason") or "")


@dataclass(frozen=True)
class Verdict:
    rule: str
    outcome: str  # ok | blocked | review
    message: str  # a key of MESSAGES
    line: int | None = None  # index of the requested line, None for the whole request
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The verdict in the active language."""
        return verdict_text(self.message, self.params)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "outcome": self.outcome,
            "reason": self.reason,
            "line": self.line,
            "message": self.message,
            "params": dict(self.params),
        }


@dataclass(frozen=True)
class RequestedLine:
    """One line the consumer wants to send back: the order line and how many units."""

    order_line: Any  # needs pk, sku, category, returnable, quantity
    quantity: int


def reference_date(order: Any) -> date | None:
    """The day the window starts: delivery, or shipping when delivery is unknown."""
    moment: datetime | None = order.delivered_at or order.shipped_at
    if moment is None:
        return None
    return moment.date()


def window_deadline(order: Any, days: int) -> date | None:
    start = reference_date(order)
    return None if start is None else start + timedelta(days=days)


def quantity_left(order_line: Any, already_returned: Mapping[int, int]) -> int:
    return max(order_line.quantity - already_returned.get(order_line.pk, 0), 0)


def method_cost(policy: Mapping, method: str, country: str) -> Decimal | None:
    """The cost of ``method`` for ``country``, or None when the method is not offered there."""
    costs = (policy.get("methods") or {}).get(method)
    if not costs:
        return None
    value = costs.get(country, costs.get("default"))
    if value is None or value == "":
        return None
    return Decimal(str(value))


def check_window(*, order: Any, case_type: str, policy: Mapping, today: date) -> Verdict:
    if case_type == CaseType.RETURN and getattr(order, "is_business", False):
        return check_business_window(order=order, policy=policy, today=today)
    days = int(policy["window_days"][case_type])
    deadline = window_deadline(order, days)
    if deadline is None:
        return Verdict(RULE_WINDOW, REVIEW, "no_delivery_date")
    values = {"days": days, "deadline": deadline.isoformat()}
    if today <= deadline:
        return Verdict(RULE_WINDOW, OK, "within_window", params=values)
    return Verdict(RULE_WINDOW, REVIEW, "outside_window", params=values)


def check_business_window(*, order: Any, policy: Mapping, today: date) -> Verdict:
    """A business has no right of withdrawal; the shop may grant one with its own window
    (``window_days_business``), which is then a hard limit, not a case for review."""
    days = int(policy.get("window_days_business") or 0)
    if days <= 0:
        company = order.company or order.vat_id
        return Verdict(RULE_WINDOW, BLOCKED, "business_no_withdrawal", params={"company": company})
    deadline = window_deadline(order, days)
    if deadline is None:
        return Verdict(RULE_WINDOW, REVIEW, "no_delivery_date")
    values = {"days": days, "deadline": deadline.isoformat()}
    if today <= deadline:
        return Verdict(RULE_WINDOW, OK, "business_within_window", params=values)
    return Verdict(RULE_WINDOW, BLOCKED, "business_outside_window", params=values)


def check_country(*, country: str, policy: Mapping) -> Verdict:
    allowed = policy.get("allowed_countries") or []
    blocked = policy.get("blocked_countries") or []
    if country in blocked or (allowed and country not in allowed):
        return Verdict(RULE_COUNTRY, BLOCKED, "country_not_allowed", params={"country": country})
    return Verdict(RULE_COUNTRY, OK, "country_ok", params={"country": country})


def check_returnable(*, index: int, order_line: Any, case_type: str, policy: Mapping) -> Verdict:
    """Non-returnable items are excluded from withdrawal only; a defect or a missing item
    is the shop's to put right whatever the item (statutory warranty)."""
    values = {"line": index + 1, "sku": order_line.sku, "category": order_line.category}
    if case_type == CaseType.RETURN:
        if not order_line.returnable:
            return Verdict(RULE_RETURNABLE, BLOCKED, "line_not_returnable", index, values)
        if order_line.sku in (policy.get("non_returnable_skus") or []):
            return Verdict(RULE_RETURNABLE, BLOCKED, "sku_not_returnable", index, values)
        if order_line.category and order_line.category in (
            policy.get("non_returnable_categories") or []
        ):
            return Verdict(RULE_RETURNABLE, BLOCKED, "category_not_returnable", index, values)
    return Verdict(RULE_RETURNABLE, OK, "line_returnable", index, values)


def check_quantity(
    *, index: int, line: RequestedLine, already_returned: Mapping[int, int]
) -> Verdict:
    left = quantity_left(line.order_line, already_returned)
    values = {"line": index + 1, "quantity": line.quantity, "left": left}
    if line.quantity < 1 or line.quantity > left:
        return Verdict(RULE_QUANTITY, BLOCKED, "quantity_too_high", index, values)
    return Verdict(RULE_QUANTITY, OK, "quantity_ok", index, values)


# Nothing travels back without a parcel, but a request still names a method: the domain
# picks one the shop offers that moves no parcel (own shipping, in store) first.
NO_PARCEL_METHODS = (ReturnMethod.OWN_SHIPPING, ReturnMethod.IN_STORE, ReturnMethod.DROP_OFF)


def no_parcel_method(policy: Mapping, country: str) -> str:
    """The method recorded for a case without a parcel (the consumer chooses none)."""
    for method in (*NO_PARCEL_METHODS, *ReturnMethod.values):
        if method_cost(policy, str(method), country) is not None:
            return str(method)
    return str(ReturnMethod.OWN_SHIPPING)


def check_method(*, method: str, country: str, policy: Mapping, parcel: bool = True) -> Verdict:
    values = {"method": method, "country": country}
    if parcel and method_cost(policy, method, country) is None:
        return Verdict(RULE_METHOD, BLOCKED, "method_not_offered", params=values)
    return Verdict(RULE_METHOD, OK, "method_ok", params=values)


def check_resolution(*, resolution: str, policy: Mapping) -> Verdict:
    if resolution not in (policy.get("resolutions") or []):
        return Verdict(
            RULE_RESOLUTION, BLOCKED, "resolution_not_offered", params={"resolution": resolution}
        )
    return Verdict(RULE_RESOLUTION, OK, "resolution_ok", params={"resolution": resolution})


def evaluate(
    *,
    order: Any,
    lines: Sequence[RequestedLine],
    case_type: str,
    policy: Mapping,
    already_returned: Mapping[int, int],
    country: str,
    method: str,
    resolution: str,
    today: date,
) -> list[Verdict]:
    """Every rule's verdict: the request-level ones, then two per requested line."""
    verdicts = [
        check_window(order=order, case_type=case_type, policy=policy, today=today),
        check_country(country=country, policy=policy),
        check_method(
            method=method, country=country, policy=policy, parcel=case_needs_parcel(case_type)
        ),
        check_resolution(resolution=resolution, policy=policy),
    ]
    for index, line in enumerate(lines):
        verdicts.append(
            check_returnable(
                index=index, order_line=line.order_line, case_type=case_type, policy=policy
            )
        )
        verdicts.append(check_quantity(index=index, line=line, already_returned=already_returned))
    return verdicts


def overall(verdicts: Sequence[Verdict]) -> str:
    """blocked if any rule blocks, else review if any asks for it, else ok."""
    outcomes = {verdict.outcome for verdict in verdicts}
    if BLOCKED in outcomes:
        return BLOCKED
    if REVIEW in outcomes:
        return REVIEW
    return OK
