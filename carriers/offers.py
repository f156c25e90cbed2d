"""What the portal offers a customer: nearby service points and pickup slots."""

from __future__ import annotations

import datetime
import logging
import re

from django.core.cache import cache
from django.utils import timezone

from carriers.connectors import CarrierError, connector_for
from carriers.connectors.base import ServicePoint
from carriers.models import CarrierAccount

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


def pickup_slots(
    account: CarrierAccount, *, now: datetime.datetime | None = None
) -> list[tuple[datetime.date, str]]:
    connector = connector_for(account.carrier, account.credentials)
    return connector.pickup_slots(now=timezone.localtime(now or timezone.now()))


def slot_value(day: datetime.date, slot: str) -> str:
    return f"{day.isoformat()}|{slot}"


def parse_slot(
    account: CarrierAccount, value: str, *, now: datetime.datetime | None = None
) -> tuple[datetime.date, str] | None:
    """A slot from the form, only if it is one the carrier offers now."""
    for day, slot in pickup_slots(account, now=now):
        if slot_value(day, slot) == value:
            return day, slot
    return None
