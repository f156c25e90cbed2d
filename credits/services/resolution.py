"""Return resolution: completing an inspected return pays out or asks for the new goods.

What is owed comes from the inspection, not from what the customer asked for: every
line counts with the amount inspection accepted for the units received
(``ReturnLine.accepted_amount``), and the refund preview's rules are applied to those
amounts (``returns.preview.refund_preview``): the return cost unless the return is free
(capped at the subtotal), the store-credit bonus of the request's policy snapshot, and the
original delivery cost when every unit of a full withdrawal came back.

- refund: a credit note paid out to the original payment (a ``Refund`` at the provider);
- store credit: a credit note paid out as a voucher carrying the bonus;
- exchange / replacement / repair: an ``exchange.requested`` (``repair.requested``) event
  with the accepted lines, so the shop creates the new order in its own flow.

Running it twice pays once: the return's row is locked first and a ``ReturnResolution``
(unique per return) is written in the same transaction; a second run finds it and
returns it unchanged.

A discount cheque the customer forgot to use is converted into money with
``discount_cheque_refund``: a credit note (reason ``discount_cheque``) refunded to the
original payment.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from credits.models import CreditNote, CreditNoteLine, ReturnResolution
from credits.services.common import actor_key, amount_string
from credits.services.credit_notes import (
    Payout,
    _tax_part,
    credit_note_book,
    credit_note_create,
    credit_note_store,
)
from credits.services.exchange import EXCHANGED, return_exchange_order
from credits.statuses import CreditNoteReason, PayoutMethod, ResolutionOutcome
from orders.models import Order
from returns.models import ReturnLine, ReturnRequest
from returns.predicates import needs_parcel
from returns.preview import PreviewLine, refund_preview
from returns.statuses import Condition, Resolution, ReturnStatus
from returns.workflow import return_transition
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.errors import ConflictError
from returns_platform.money import quantize

RETURN_COST = "Return cost"
DELIVERY_REFUND = "Original delivery cost"
ZERO = Decimal("0")

# The author of a resolution's credit note: the amounts are computed from the
# inspection, not typed by a person, so the staff member who resolves books it
# (four-eyes: the inspection by the warehouse is the first pair of eyes).
RESOLUTION_AUTHOR = "return resolution"
EXCHANGE_EVENTS = {
    Resolution.REPAIR: ("repair.requested", ResolutionOutcome.REPAIR),
}
PRICE_DIFFERENCE = "Price difference of the replacement"


@dataclass(frozen=True)
class AcceptedLine:
    return_line: int
    order_line: int
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    tax_rate: Decimal
    amount: Decimal
    condition: str = ""
    reason: str = ""

    @property
    def paid(self) -> Decimal:
        return self.unit_price * self.quantity

    def as_dict(self, currency: str) -> dict:
        return {
            "return_line": self.return_line,
            "order_line": self.order_line,
            "sku": self.sku,
            "name": self.name,
            "quantity": self.quantity,
            "condition": self.condition,
            "paid": amount_string(self.paid, currency),
            "deducted": amount_string(self.paid - self.amount, currency),
            "amount": amount_string(self.amount, currency),
            "reason": self.reason,
        }


def accepted_lines(*, return_request: ReturnRequest, lines: list[ReturnLine]) -> list[AcceptedLine]:
    """The lines the shop accepts: received units with an accepted amount above zero.

    A missing-item case has no parcel: its requested units count at their paid price.
    """
    accepted = []
    for line in lines:
        if not needs_parcel(return_request) and line.received_quantity is None:
            quantity = line.quantity
            amount = quantize(line.unit_price * quantity, return_request.currency)
        else:
            quantity = line.received_quantity or 0
            amount = line.accepted_amount or ZERO
        if quantity <= 0 or amount <= 0:
            continue
        accepted.append(
            AcceptedLine(
                return_line=line.pk,
                order_line=line.order_line_id,
                sku=line.sku,
                name=line.name,
                quantity=quantity,
                unit_price=line.unit_price,
                tax_rate=line.tax_rate,
                amount=amount,
                condition=line.condition,
                reason=line.accepted_reason,
            )
        )
    return accepted


def resolution_calculation(
    *, return_request: ReturnRequest, lines: list[ReturnLine], accepted: list[AcceptedLine]
) -> dict:
    """The preview's rules applied to the accepted amounts (pure; amounts as strings)."""
    currency = return_request.currency
    every_unit_back = all(
        (line.received_quantity or 0) >= line.quantity
        or (not needs_parcel(return_request) and line.received_quantity is None)
        for line in lines
    )
    full_withdrawal = bool(return_request.refund_preview.get("full_withdrawal")) and (
        every_unit_back and len(accepted) == len(lines)
    )
    policy = return_request.policy_snapshot or {}
    return refund_preview(
        currency=currency,
        lines=[
            # One preview line per accepted line, priced at the accepted amount.
            PreviewLine(line.order_line, line.name, line.amount, 1, currency)
            for line in accepted
        ],
        case_type=return_request.case_type,
        resolution=return_request.resolution,
        return_cost=return_request.return_cost,
        is_free_return=return_request.is_free_return,
        store_credit_bonus_percent=Decimal(policy.get("store_credit_bonus_percent") or "0"),
        delivery_cost=return_request.order.delivery_cost,
        full_withdrawal=full_withdrawal,
    )


def _dominant_tax_rate(accepted: list[AcceptedLine]) -> Decimal:
    """Costs follow the goods: the tax rate of the largest accepted line."""
    if not accepted:
        return ZERO
    return max(accepted, key=lambda line: line.amount).tax_rate


def credit_note_lines(
    *, accepted: list[AcceptedLine], calculation: dict, currency: str
) -> list[CreditNoteLine]:
    """The credit note of a resolution: the accepted goods, minus the return cost, plus
    the delivery cost refunded; the bonus is not credited (it is the voucher's gift)."""
    built: list[CreditNoteLine] = []

    def add(*, order_line: int | None, description: str, quantity: int, unit, rate) -> None:
        total = quantize(unit * quantity, currency)
        built.append(
            CreditNoteLine(
                position=len(built) + 1,
                order_line_id=order_line,
                description=description[:300],
                quantity=quantity,
                unit_amount=unit,
                tax_rate=rate,
                total=total,
                tax_amount=_tax_part(total, rate, currency),
            )
        )

    for line in accepted:
        unit = quantize(line.amount / line.quantity, currency)
        if unit * line.quantity == line.amount:
            add(
                order_line=line.order_line,
                description=line.name,
                quantity=line.quantity,
                unit=unit,
                rate=line.tax_rate,
            )
        else:  # a partly accepted amount that does not divide: one line for the lot
            add(
                order_line=line.order_line,
                description=f"{line.quantity} x {line.name}",
                quantity=1,
                unit=line.amount,
                rate=line.tax_rate,
            )
    rate = _dominant_tax_rate(accepted)
    cost = Decimal(calculation["return_cost"])
    if cost > 0:
        add(order_line=None, description=RETURN_COST, quantity=1, unit=-cost, rate=rate)
    delivery = Decimal(calculation["delivery_cost_refund"])
    if delivery > 0:
        add(order_line=None, description=DELIVERY_REFUND, quantity=1, unit=delivery, rate=rate)
    return built


@dataclass(frozen=True)
class ResolutionPreview:
    accepted: list[AcceptedLine]
    calculation: dict
    credited: Decimal  # the credit note's total
    bonus: Decimal  # added to a store-credit voucher
    lines: list[ReturnLine]

    def rows(self, currency: str) -> list[dict]:
        """The accepted lines for a screen: paid, deducted, accepted, the condition's label."""
        return [
            {
                **line.as_dict(currency),
                "condition_label": Condition(line.condition).label if line.condition else "",
            }
            for line in self.accepted
        ]


def return_resolution_preview(*, return_request: ReturnRequest) -> ResolutionPreview:
    """What resolving the return would credit now (read only; shown before resolving)."""
    lines = list(
        ReturnLine.objects.filter(request=return_request)
        .select_related("order_line")
        .order_by("id")
    )
    accepted = accepted_lines(return_request=return_request, lines=lines)
    calculation = resolution_calculation(
        return_request=return_request, lines=lines, accepted=accepted
    )
    bonus = Decimal(calculation["store_credit_bonus"])
    credited = quantize(Decimal(calculation["total"]) - bonus, return_request.currency)
    return ResolutionPreview(accepted, calculation, credited, bonus, lines)


def _author(return_request: ReturnRequest) -> Actor:
    return Actor.system(f"{RESOLUTION_AUTHOR} {return_request.rma}")


def _difference_refund(
    *, return_request: ReturnRequest, amount: Decimal, actor: Actor, payout: Payout
) -> CreditNote:
    """A booked credit note refunding what a cheaper replacement leaves over."""
    note = credit_note_create(
        order=return_request.order,
        reason=CreditNoteReason.RETURN,
        payout=payout,
        actor=_author(return_request),
        description=PRICE_DIFFERENCE,
        amount=amount,
        return_rma=return_request.rma,
    )
    return credit_note_book(credit_note=note, actor=actor)


@transaction.atomic
def return_resolve(
    *,
    return_request: ReturnRequest,
    actor: Actor,
    user: Any = None,
    provider: str = "",
    payment_reference: str = "",
) -> ReturnResolution:
    """Execute an inspected return's resolution and complete it; a second run pays nothing.

    ``provider`` and ``payment_reference`` choose where a refund goes (default: the shop's
    default provider account, else manual). ``user`` is the staff member behind ``actor``.
    """
    locked = (
        ReturnRequest.objects.select_for_update(of=("self",))
        .select_related("order", "order__customer")
        .get(pk=return_request.pk)
    )
    existing = ReturnResolution.objects.filter(return_request=locked).first()
    if existing is not None:
        return existing  # resolved before (a double click, a retried call): nothing more
    resolvable = locked.status == ReturnStatus.INSPECTED or (
        locked.status == ReturnStatus.APPROVED and not needs_parcel(locked)
    )
    if not resolvable:
        completed = locked.status == ReturnStatus.COMPLETED
        raise ConflictError(
            code="not_resolvable.completed" if completed else "not_resolvable",
            params={"rma": locked.rma, "status": locked.status},
            status_now=locked.status,
        )
    if locked.order.currency != locked.currency:
        # The order upsert refuses this while the return is open; this guards any other
        # writer, as the refund and the voucher would follow the order's currency.
        raise ConflictError(
            code="currency_locked.resolution",
            params={
                "rma": locked.rma,
                "currency": locked.currency,
                "number": locked.order.number,
                "now": locked.order.currency,
            },
            field="currency",
        )

    preview = return_resolution_preview(return_request=locked)
    accepted, calculation = preview.accepted, preview.calculation
    credited, bonus = preview.credited, preview.bonus
    currency = locked.currency
    order = locked.order
    accepted_data = [line.as_dict(currency) for line in accepted]

    credit_note = voucher = refund = exchange_order = None
    difference = ZERO
    refund_payout = Payout(
        method=PayoutMethod.ORIGINAL_PAYMENT, provider=provider, payment_reference=payment_reference
    )
    if not accepted:
        outcome, credited, bonus = ResolutionOutcome.NOTHING, ZERO, ZERO
    elif locked.resolution in (Resolution.REFUND, Resolution.STORE_CREDIT):
        if credited <= 0:  # the return cost took it all: nothing to credit
            outcome, credited, bonus = ResolutionOutcome.NOTHING, ZERO, ZERO
        else:
            is_refund = locked.resolution == Resolution.REFUND
            outcome = ResolutionOutcome.REFUND if is_refund else ResolutionOutcome.STORE_CREDIT
            payout = refund_payout if is_refund else Payout(method=PayoutMethod.VOUCHER)
            credit_note = credit_note_store(
                order=order,
                reason=CreditNoteReason.RETURN,
                payout=payout,
                actor=_author(locked),
                lines=credit_note_lines(
                    accepted=accepted, calculation=calculation, currency=currency
                ),
                description=f"Return {locked.rma}",
                return_rma=locked.rma,
                voucher_bonus=None if is_refund else bonus,
            )
            credit_note = credit_note_book(credit_note=credit_note, actor=actor)
            voucher = credit_note.voucher
            refund = credit_note.refunds.first() if is_refund else None
            if is_refund:
                bonus = ZERO
    elif locked.resolution in EXCHANGED:
        outcome = ResolutionOutcome(locked.resolution)
        credited, bonus = ZERO, ZERO
        by_id = {line.pk: line for line in preview.lines}
        exchange_order, difference = return_exchange_order(
            return_request=locked,
            lines=[(by_id[line.return_line], line.quantity) for line in accepted],
            actor=actor,
        )
        if difference < 0:  # the replacement costs less: the shop pays the rest back
            credit_note = _difference_refund(
                return_request=locked, amount=-difference, actor=actor, payout=refund_payout
            )
            refund, credited = credit_note.refunds.first(), credit_note.total
    else:
        event_name, outcome = EXCHANGE_EVENTS[locked.resolution]
        credited, bonus = ZERO, ZERO
        events.record(
            event_name,
            actor=actor,
            subject=locked,
            order_number=order.number,
            data={"resolution": locked.resolution},
            payload={
                "rma": locked.rma,
                "order_number": order.number,
                "resolution": locked.resolution,
                "email": locked.email,
                "language": locked.language,
                "currency": currency,
                "shipping_country": order.shipping_country,
                "lines": [
                    {key: line[key] for key in ("order_line", "sku", "name", "quantity")}
                    for line in accepted_data
                ],
            },
        )

    resolution = ReturnResolution.objects.create(
        return_request=locked,
        rma=locked.rma,
        resolution=locked.resolution,
        outcome=outcome,
        currency=currency,
        amount=credited,
        bonus=bonus,
        calculation=calculation,
        lines=accepted_data,
        credit_note=credit_note,
        voucher=voucher,
        refund=refund,
        exchange_order=exchange_order,
        price_difference=difference,
        resolved_by=f"{actor_key(actor)} {actor.label}"[:250],
    )
    summary = {
        "outcome": str(outcome),
        "amount": amount_string(credited, currency),
        "bonus": amount_string(bonus, currency),
        "currency": currency,
        "credit_note": credit_note.number if credit_note else "",
        "voucher": voucher.pk if voucher else None,
        "refund": refund.pk if refund else None,
        "exchange_order": exchange_order.number if exchange_order else "",
        "price_difference": amount_string(difference, currency),
    }
    events.record(
        "return.resolved",
        actor=actor,
        subject=locked,
        order_number=order.number,
        data={**summary, "lines": accepted_data, "calculation": calculation},
    )
    return_transition(
        return_request=locked,
        to=ReturnStatus.COMPLETED,
        actor=actor,
        user=user,
        data={"resolution": summary},
    )
    return_request.status = ReturnStatus.COMPLETED
    return resolution


@transaction.atomic
def discount_cheque_refund(
    *,
    order: Order,
    amount: Decimal,
    actor: Actor,
    description: str = "",
    provider: str = "",
    payment_reference: str = "",
    book: bool = True,
) -> CreditNote:
    """Turn a discount cheque the customer forgot to use into money back.

    A credit note (reason ``discount_cheque``) refunded to the original payment. It is
    booked at once unless ``book`` is False or the shop books with four eyes, in which
    case (above its threshold) it stays a draft for a colleague to book.
    """
    from credits.settings import credit_settings_get, four_eyes_required

    credit_note = credit_note_create(
        order=order,
        reason=CreditNoteReason.DISCOUNT_CHEQUE,
        payout=Payout(
            method=PayoutMethod.ORIGINAL_PAYMENT,
            provider=provider,
            payment_reference=payment_reference,
        ),
        actor=actor,
        description=description or "Discount cheque not applied to the order",
        amount=amount,
    )
    if book and not four_eyes_required(
        credit_settings_get(), total=credit_note.total, currency=credit_note.currency
    ):
        credit_note = credit_note_book(credit_note=credit_note, actor=actor)
    return credit_note
