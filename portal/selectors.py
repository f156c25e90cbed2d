"""Reads of the portal: finding the consumer's order and judging its lines for display.

The judging calls the returns core's pure rules (returns/rules.py) with the shop's
current policy, so what the consumer sees is what the create service will decide; the
service decides again at confirmation and is the authority.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from orders.models import Order, OrderLine
from returns import rules
from returns.exchange import available_variants
from returns.models import ReturnReason
from returns.selectors import return_policy_get, return_reasons, returned_quantities
from returns.statuses import Resolution, ReturnMethod


def normalize_postcode(value: str) -> str:
    return "".join(value.split()).upper()


def portal_order_find(*, reference: str, identity: str) -> Order | None:
    """The order whose number or tracking number is ``reference`` and whose postcode or
    e-mail is ``identity``; None otherwise.

    One query whatever is wrong, so an unknown order and a wrong postcode cannot be told
    apart by the answer or by its timing.
    """
    reference = reference.strip()
    identity = identity.strip()
    if not reference or not identity:
        return None
    matches_identity = Q(postcode_normalized=normalize_postcode(identity))
    if "@" in identity:
        matches_identity = Q(email=identity.lower())
    return (
        Order.objects.filter(Q(number=reference) | Q(tracking_number=reference))
        .filter(matches_identity)
        .order_by("-placed_at", "-pk")
        .first()
    )


def portal_order_get(*, order_id: int) -> Order | None:
    return Order.objects.select_related("customer", "channel").filter(pk=order_id).first()


@dataclass(frozen=True)
class LineChoice:
    """An order line as the portal shows it for one case type."""

    order_line: OrderLine
    left: int
    verdict: rules.Verdict

    @property
    def is_blocked(self) -> bool:
        return self.verdict.outcome == rules.BLOCKED or self.left < 1

    @property
    def blocked_reason(self) -> str:
        if self.verdict.outcome == rules.BLOCKED:
            return self.verdict.reason
        return ""


@dataclass(frozen=True)
class OrderJudgement:
    policy: dict
    lines: list[LineChoice]
    window: rules.Verdict
    country: rules.Verdict
    already_returned: dict

    @property
    def country_blocked(self) -> bool:
        return self.country.outcome == rules.BLOCKED

    @property
    def request_blocked(self) -> bool:
        """Nothing can be requested: a blocked country, or a business customer's return
        the shop does not take (the window verdict says why)."""
        return self.country_blocked or self.window.outcome == rules.BLOCKED

    @property
    def request_blocked_reason(self) -> str:
        if self.country_blocked:
            return self.country.reason
        return self.window.reason if self.window.outcome == rules.BLOCKED else ""

    def line(self, order_line_id: int) -> LineChoice | None:
        return next((c for c in self.lines if c.order_line.pk == order_line_id), None)


def portal_order_judge(*, order: Order, case_type: str) -> OrderJudgement:
    """Per-line verdicts and request-level checks: three queries whatever the line count
    (policy, lines, quantities already held by other requests)."""
    policy = return_policy_get().snapshot()
    order_lines = list(OrderLine.objects.filter(order=order).order_by("position", "pk"))
    already = returned_quantities(order_line_ids=[line.pk for line in order_lines])
    choices = [
        LineChoice(
            order_line=line,
            left=rules.quantity_left(line, already),
            verdict=rules.check_returnable(
                index=index, order_line=line, case_type=case_type, policy=policy
            ),
        )
        for index, line in enumerate(order_lines)
    ]
    return OrderJudgement(
        policy=policy,
        lines=choices,
        window=rules.check_window(
            order=order, case_type=case_type, policy=policy, today=timezone.localdate()
        ),
        country=rules.check_country(country=order.shipping_country, policy=policy),
        already_returned=already,
    )


def portal_reasons() -> list[ReturnReason]:
    return list(return_reasons(active_only=True))


def offered_resolutions(policy: dict) -> list[str]:
    return [value for value in Resolution.values if value in (policy.get("resolutions") or [])]


@dataclass(frozen=True)
class MethodOption:
    method: str
    label: str
    cost: Decimal
    is_free: bool


def offered_methods(*, policy: dict, country: str, is_free_return: bool) -> list[MethodOption]:
    """Methods with a price for ``country``; every one free when the return is free."""
    options = []
    for method in ReturnMethod:
        cost = rules.method_cost(policy, method.value, country)
        if cost is None:
            continue
        options.append(
            MethodOption(
                method=method.value,
                label=str(method.label),
                cost=cost,
                is_free=is_free_return or cost == 0,
            )
        )
    return options


def exchange_options(order_lines: list[OrderLine]) -> list[dict]:
    """Per order line, what it can be exchanged for: the same item again, then each
    variant available now, with its price (pure: the variants travel with the line)."""
    return [
        {
            "order_line": line,
            "options": [
                {
                    "sku": line.sku,
                    "name": line.name,
                    "unit_price": line.unit_price,
                    "extra": Decimal("0"),
                    "back": Decimal("0"),
                    "same": True,
                },
                *(
                    {
                        "sku": str(variant["sku"]),
                        "name": str(variant.get("name") or variant["sku"]),
                        "unit_price": Decimal(str(variant["unit_price"])),
                        "extra": max(Decimal(str(variant["unit_price"])) - line.unit_price, 0),
                        "back": max(line.unit_price - Decimal(str(variant["unit_price"])), 0),
                        "same": False,
                    }
                    for variant in available_variants(line)
                    if variant.get("sku") and variant.get("sku") != line.sku
                ),
            ],
        }
        for line in order_lines
    ]
