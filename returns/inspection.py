"""What inspection accepts of a received line: the policy's deduction per condition.

The shop's policy may deduct a percentage for a condition (``{"opened": "10",
"damaged": "50"}``). The receipt pre-fills the accepted amount with the paid price of the
received units minus that percentage; staff may book another amount, with a reason.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from returns_platform.errors import DomainError
from returns_platform.money import minor_units, quantize

if TYPE_CHECKING:
    from returns.models import ReturnLine, ReturnRequest


HUNDRED = Decimal("100")


def condition_deduction(policy: dict, condition: str) -> Decimal:
    """The percentage the policy (snapshot) deducts for ``condition``; 0 when none."""
    value = (policy.get("condition_deductions") or {}).get(str(condition))
    return Decimal(str(value)) if value not in (None, "") else Decimal("0")


def suggested_accepted_amount(
    *, unit_price: Decimal, received: int, condition: str, policy: dict, currency: str
) -> Decimal:
    """The paid price of the received units less the condition's deduction."""
    paid = unit_price * received
    percent = condition_deduction(policy, condition)
    return quantize(paid * (HUNDRED - percent) / HUNDRED, currency)


def accepted_amount_check(
    *, line: ReturnLine, data: dict, index: int, received: int, return_request: ReturnRequest
) -> tuple[Decimal, str]:
    """The amount accepted for a line being booked in, and why it differs (if it does).

    Without ``accepted_amount`` the policy's suggestion is booked. Another amount needs
    ``accepted_reason``; it is at least 0 and at most the paid price of the received units.
    """
    currency = return_request.currency
    maximum = quantize(line.unit_price * received, currency)
    suggested = suggested_accepted_amount(
        unit_price=line.unit_price,
        received=received,
        condition=data["condition"],
        policy=return_request.policy_snapshot or {},
        currency=currency,
    )
    given = data.get("accepted_amount")
    if given is None or given == "":
        return suggested, ""
    accepted = Decimal(given)
    if quantize(accepted, currency) != accepted:
        raise DomainError(
            code="invalid_precision",
            field=f"lines[{index}].accepted_amount",
            params={"currency": currency, "places": minor_units(currency)},
        )
    if accepted < 0 or accepted > maximum:
        raise DomainError(
            code="accepted_amount_too_high",
            field=f"lines[{index}].accepted_amount",
            params={"line": line.pk, "maximum": maximum},
        )
    reason = str(data.get("accepted_reason") or "").strip()
    if accepted != suggested and not reason:
        raise DomainError(
            code="accepted_reason_required",
            field=f"lines[{index}].accepted_reason",
            suggested=str(suggested),
            params={"line": line.pk, "suggested": suggested},
        )
    return accepted, reason if accepted != suggested else ""
