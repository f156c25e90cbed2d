"""Reads of the carriers app."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache

from carriers.models import CarrierAccount, ReturnShipment, ShipmentEvent
from carriers.parcels import items_weight_kg
from returns.models import ReturnRequest
from returns.predicates import needs_parcel
from returns.statuses import ReturnMethod
from returns_platform.tenancy import require_current_tenant

ACCOUNTS_CACHE_SECONDS = 300

# Methods whose parcel travels with a carrier (the others need no booking).
CARRIER_METHODS = frozenset({ReturnMethod.DROP_OFF, ReturnMethod.QR_DROP_OFF, ReturnMethod.PICKUP})


def _accounts_key() -> str:
    return f"carriers:active:{require_current_tenant().pk}"


def has_active_accounts() -> bool:
    """Whether the shop books with any carrier (cached: asked on every new return)."""
    cached = cache.get(_accounts_key())
    if cached is None:
        cached = CarrierAccount.objects.filter(active=True).exists()
        cache.set(_accounts_key(), cached, ACCOUNTS_CACHE_SECONDS)
    return cached


def forget_active_accounts():
    """Drop the cached answer; returns a callable that drops it again (for on_commit)."""
    key = _accounts_key()
    cache.delete(key)
    return lambda: cache.delete(key)


def accounts() -> list[CarrierAccount]:
    return list(CarrierAccount.objects.order_by("carrier"))


def account_for(
    *,
    method: str,
    country: str,
    categories: set[str] | None = None,
    items: Iterable[tuple[int | None, int]] = (),
) -> CarrierAccount | None:
    """The active account that serves ``method`` for customers in ``country``, if any.

    Several matching accounts: one that names the country wins over a catch-all one. A
    pickup is the carrier's only for the product ``categories`` the account lists or a
    return at or above its minimum weight (``items``: grams per unit or None, units);
    other pickups stay with the shop's own arrangement."""
    if method not in CARRIER_METHODS:
        return None
    best = None
    items = list(items)
    for account in CarrierAccount.objects.filter(active=True).order_by("carrier"):
        if account.methods and method not in account.methods:
            continue
        if account.countries and country not in account.countries:
            continue
        if method == ReturnMethod.PICKUP and not pickup_offered(
            account, categories or set(), items
        ):
            continue
        if account.countries:
            return account
        best = best or account
    return best


def pickup_offered(
    account: CarrierAccount,
    categories: set[str],
    items: Iterable[tuple[int | None, int]] = (),
) -> bool:
    """Pickup for a return with a category the shop names, or weighing at least the
    account's minimum (``items``: grams per unit or None, units). Neither set: every
    return."""
    wanted = {category.lower() for category in account.pickup_categories or []}
    minimum = account.pickup_min_weight_kg
    if not wanted and minimum is None:
        return True
    if wanted & {category.lower() for category in categories}:
        return True
    if minimum is None:
        return False
    weight = items_weight_kg(items, default_grams=account.default_item_weight_grams)
    return weight >= minimum


def return_items(return_request: ReturnRequest) -> list[tuple[int | None, int]]:
    """(grams per unit or None, units) of the returned lines."""
    return list(return_request.lines.values_list("order_line__weight_grams", "quantity"))


def return_categories(return_request: ReturnRequest) -> set[str]:
    return {
        category
        for category in return_request.lines.values_list("order_line__category", flat=True)
        if category
    }


def shipment_of(return_request: ReturnRequest) -> ReturnShipment | None:
    return (
        ReturnShipment.objects.select_related("account")
        .filter(return_request=return_request)
        .first()
    )


def needs_carrier(return_request: ReturnRequest) -> bool:
    return needs_parcel(return_request) and return_request.method in CARRIER_METHODS


def shipment_events(shipment: ReturnShipment, *, limit: int = 50) -> list[ShipmentEvent]:
    return list(ShipmentEvent.objects.filter(shipment=shipment)[:limit])
