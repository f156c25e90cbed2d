"""The parcel of a return: its weight, the parcel type it selects, and the carrier's limit.

The weight is the sum of the returned units' weights (``OrderLine.weight_grams``); a unit
without a weight counts the account's ``default_item_weight_grams``. The account's
``parcel_types`` (lightest first) map a weight to the carrier product booked and what the
shop pays for it; the heaviest type, or the carrier's own maximum when the shop lists
none, is the limit. A heavier return is refused with the code ``parcel_too_heavy``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from carriers.connectors import CarrierError, connector_for
from carriers.models import CarrierAccount

GRAMS_PER_KG = Decimal(1000)
WEIGHT_PLACES = Decimal("0.001")
TOO_HEAVY = "parcel_too_heavy"


class ParcelTooHeavy(CarrierError):
    def __init__(self, *, weight_kg: Decimal, limit_kg: Decimal, carrier: str):
        super().__init__(
            f"The return weighs {weight_kg} kg; {carrier} takes parcels up to {limit_kg} kg.",
            code=TOO_HEAVY,
        )
        self.weight_kg, self.limit_kg, self.carrier = weight_kg, limit_kg, carrier


@dataclass(frozen=True)
class ParcelChoice:
    weight_kg: Decimal
    code: str  # the carrier product booked ("" : the account's product)
    price: Decimal | None


def items_weight_kg(items: Iterable[tuple[int | None, int]], *, default_grams: int) -> Decimal:
    """``items``: (grams per unit or None, units)."""
    grams = sum((unit_grams or default_grams) * units for unit_grams, units in items)
    return (Decimal(grams) / GRAMS_PER_KG).quantize(WEIGHT_PLACES)


def return_weight_kg(return_request, account: CarrierAccount) -> Decimal:
    return items_weight_kg(
        return_request.lines.values_list("order_line__weight_grams", "quantity"),
        default_grams=account.default_item_weight_grams,
    )


def parcel_types(account: CarrierAccount) -> list[dict]:
    return sorted(account.parcel_types or [], key=lambda kind: Decimal(str(kind["max_kg"])))


def parcel_limit_kg(account: CarrierAccount) -> Decimal | None:
    kinds = parcel_types(account)
    if kinds:
        return Decimal(str(kinds[-1]["max_kg"]))
    maximum = connector_for(account.carrier, account.credentials).max_weight_kg
    return Decimal(str(maximum)) if maximum else None


def parcel_choose(account: CarrierAccount, weight_kg: Decimal) -> ParcelChoice:
    """The lightest parcel type that carries ``weight_kg``; refused above the limit."""
    for kind in parcel_types(account):
        if weight_kg <= Decimal(str(kind["max_kg"])):
            price = kind.get("price")
            return ParcelChoice(
                weight_kg=weight_kg,
                code=str(kind.get("code") or ""),
                price=Decimal(str(price)) if price not in (None, "") else None,
            )
    limit = parcel_limit_kg(account)
    if limit is not None and weight_kg > limit:
        raise ParcelTooHeavy(
            weight_kg=weight_kg, limit_kg=limit, carrier=account.get_carrier_display()
        )
    return ParcelChoice(weight_kg=weight_kg, code="", price=None)


def parcel_types_normalise(rows: Iterable[dict]) -> list[dict]:
    """Parcel types as stored: lightest first, amounts as strings, one per maximum weight.
    Raises ValueError on a repeated maximum."""
    kinds = []
    for row in rows:
        price = row.get("price")
        kinds.append(
            {
                "code": str(row.get("code") or ""),
                "max_kg": str(Decimal(str(row["max_kg"])).quantize(WEIGHT_PLACES)),
                "price": None if price in (None, "") else str(Decimal(str(price))),
            }
        )
    kinds.sort(key=lambda kind: Decimal(kind["max_kg"]))
    maxima = [kind["max_kg"] for kind in kinds]
    if len(maxima) != len(set(maxima)):
        raise ValueError("Each maximum weight may appear once.")
    return kinds
