"""What the portal offers a customer: nearby service points and pickup slots."""

from __future__ import annotations

import datetime
import logging
import re

from django.core.cache import cache
from django.utils import timezone

from carriers.connectors import CarrierError, connector_for
from carriers.connectors.base import Address, ServicePoint
from carriers.connectors.common import PICKUP_CUTOFF_HOUR
from carriers.models import CarrierAccount
from carriers.services import return_address

logger = logging.getLogger(__name__)

SERVICE_POINT_CACHE_SECONDS = 6 * 3600
SERVICE_POINTS_SHOWN = 8


def normalise_postcode(postcode: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", (postcode or "").upper())[:10]


def service_points(
    account: CarrierAccount, *, country: str, postcode: str
) -> tuple[list[ServicePoint], bool]:
    """The nearest points (closest first) and whether the carrier answered.

    Cached per carrier, country and postcode: the same postcode asks the carrier once in
    six hours. A failed look-up is not cached."""
    postcode = normalise_postcode(postcode)
    if not postcode:
        return [], True
    key = f"carriers:points:{account.tenant_id}:{account.carrier}:{country}:{postcode}"
    cached = cache.get(key)
    if cached is not None:
        return [ServicePoint.from_dict(item) for item in cached], True
    try:
        connector = connector_for(account.carrier, account.credentials)
        if not connector.has_service_points:
            return [], True
        points = connector.service_points(
            country=country, postcode=postcode, limit=SERVICE_POINTS_SHOWN
        )
    except CarrierError as error:
        logger.warning("Service points of %s failed: %s", account.carrier, error.message)
        return [], False
    cache.set(key, [point.as_dict() for point in points], SERVICE_POINT_CACHE_SECONDS)
    return points, True


def find_point(
    account: CarrierAccount, *, country: str, postcode: str, point_id: str
) -> ServicePoint | None:
    points, _ = service_points(account, country=country, postcode=postcode)
    return next((point for point in points if point.id == point_id), None)


PICKUP_CACHE_SECONDS = 3600


def pickup_slots(
    account: CarrierAccount, *, origin: Address, now: datetime.datetime | None = None
) -> list[tuple[datetime.date, str]]:
    """The pickup days (and slots) offered for collecting at ``origin``.

    The carrier's own availability where it publishes one (cached per carrier, postcode
    and day for an hour); its fixed rule where it does not, or when the look-up fails."""
    now = timezone.localtime(now or timezone.now())
    connector = connector_for(account.carrier, account.credentials)
    if not connector.has_pickups:
        return []
    postcode = normalise_postcode(origin.postcode)
    late = "late" if now.hour >= PICKUP_CUTOFF_HOUR else "early"
    key = (
        f"carriers:pickup:{account.tenant_id}:{account.carrier}:{origin.country}:{postcode}:"
        f"{now.date().isoformat()}:{late}"
    )
    cached = cache.get(key)
    if cached is not None:
        return [(datetime.date.fromisoformat(day), slot) for day, slot in cached]
    try:
        offered = connector.pickup_availability(
            origin=origin, destination=return_address(account), now=now
        )
    except CarrierError as error:
        logger.warning("Pickup availability of %s failed: %s", account.carrier, error.message)
        return connector.pickup_slots(now=now)  # not cached: ask again next time
    if offered is None:
        return connector.pickup_slots(now=now)
    cache.set(key, [(day.isoformat(), slot) for day, slot in offered], PICKUP_CACHE_SECONDS)
    return offered


def slot_value(day: datetime.date, slot: str) -> str:
    return f"{day.isoformat()}|{slot}"


def parse_slot(
    account: CarrierAccount,
    value: str,
    *,
    origin: Address,
    now: datetime.datetime | None = None,
) -> tuple[datetime.date, str] | None:
    """A slot from the form, only if it is one the carrier offers now."""
    for day, slot in pickup_slots(account, origin=origin, now=now):
        if slot_value(day, slot) == value:
            return day, slot
    return None
