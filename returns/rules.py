"""Return rules as pure functions: (order, requested lines, case type, policy snapshot,
already-returned quantities, country) -> verdicts.

No database access here. ``policy`` is the JSON snapshot of ``ReturnPolicy``
(``ReturnPolicy.snapshot()``), which is also what the request stores, so a request can
be re-judged later by exactly the rules it was judged by.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from returns.predicates import case_needs_parcel
from returns.statuses import CaseType, ReturnMethod

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


@dataclass(frozen=True)
class Verdict:
    rule: str
    outcome: str  # ok | blocked | review
    reason: str
    line: int | None = None  # index of the requested line, None for the whole request

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "outcome": self.outcome,
            "reason": self.reason,
            "line": self.line,
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
        return Verdict(RULE_WINDOW, REVIEW, str(NO_DELIVERY_DATE))
    values = {"days": days, "deadline": deadline.isoformat()}
    if today <= deadline:
        return Verdict(RULE_WINDOW, OK, WITHIN_WINDOW.format(**values))
    return Verdict(RULE_WINDOW, REVIEW, OUTSIDE_WINDOW.format(**values))


def check_business_window(*, order: Any, policy: Mapping, today: date) -> Verdict:
    """A business has no right of withdrawal; the shop may grant one with its own window
    (``window_days_business``), which is then a hard limit, not a case for review."""
    days = int(policy.get("window_days_business") or 0)
    if days <= 0:
        company = order.company or order.vat_id
        return Verdict(RULE_WINDOW, BLOCKED, NO_BUSINESS_WITHDRAWAL.format(company=company))
    deadline = window_deadline(order, days)
    if deadline is None:
        return Verdict(RULE_WINDOW, REVIEW, str(NO_DELIVERY_DATE))
    values = {"days": days, "deadline": deadline.isoformat()}
    if today <= deadline:
        return Verdict(RULE_WINDOW, OK, BUSINESS_WITHIN_WINDOW.format(**values))
    return Verdict(RULE_WINDOW, BLOCKED, BUSINESS_OUTSIDE_WINDOW.format(**values))


def check_country(*, country: str, policy: Mapping) -> Verdict:
    allowed = policy.get("allowed_countries") or []
    blocked = policy.get("blocked_countries") or []
    if country in blocked or (allowed and country not in allowed):
        return Verdict(RULE_COUNTRY, BLOCKED, COUNTRY_NOT_ALLOWED.format(country=country))
    return Verdict(RULE_COUNTRY, OK, COUNTRY_OK.format(country=country))


def check_returnable(*, index: int, order_line: Any, case_type: str, policy: Mapping) -> Verdict:
    """Non-returnable items are excluded from withdrawal only; a defect or a missing item
    is the shop's to put right whatever the item (statutory warranty)."""
    values = {"line": index + 1, "sku": order_line.sku, "category": order_line.category}
    if case_type == CaseType.RETURN:
        if not order_line.returnable:
            return Verdict(RULE_RETURNABLE, BLOCKED, LINE_NOT_RETURNABLE.format(**values), index)
        if order_line.sku in (policy.get("non_returnable_skus") or []):
            return Verdict(RULE_RETURNABLE, BLOCKED, SKU_NOT_RETURNABLE.format(**values), index)
        if order_line.category and order_line.category in (
            policy.get("non_returnable_categories") or []
        ):
            return Verdict(
                RULE_RETURNABLE, BLOCKED, CATEGORY_NOT_RETURNABLE.format(**values), index
            )
    return Verdict(RULE_RETURNABLE, OK, LINE_RETURNABLE.format(**values), index)


def check_quantity(
    *, index: int, line: RequestedLine, already_returned: Mapping[int, int]
) -> Verdict:
    left = quantity_left(line.order_line, already_returned)
    values = {"line": index + 1, "quantity": line.quantity, "left": left}
    if line.quantity < 1 or line.quantity > left:
        return Verdict(RULE_QUANTITY, BLOCKED, QUANTITY_TOO_HIGH.format(**values), index)
    return Verdict(RULE_QUANTITY, OK, QUANTITY_OK.format(**values), index)


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
        return Verdict(RULE_METHOD, BLOCKED, METHOD_NOT_OFFERED.format(**values))
    return Verdict(RULE_METHOD, OK, METHOD_OK.format(**values))


def check_resolution(*, resolution: str, policy: Mapping) -> Verdict:
    if resolution not in (policy.get("resolutions") or []):
        return Verdict(
            RULE_RESOLUTION, BLOCKED, RESOLUTION_NOT_OFFERED.format(resolution=resolution)
        )
    return Verdict(RULE_RESOLUTION, OK, RESOLUTION_OK.format(resolution=resolution))


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
