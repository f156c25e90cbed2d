"""Days in transit per carrier: the rows ``TransitDay`` is rewritten from.

A parcel counts on its request's day once the carrier reports it delivered at the
warehouse; its time in transit runs from the carrier's first scan, or from the label when
the carrier reported no scan before delivery.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime

from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from carriers.models import ReturnShipment

HOUR = 3600


def transit_days(low: datetime, high: datetime, *, not_returned) -> Iterator[dict]:
    """``TransitDay`` rows of the requests made in ``[low, high)``."""
    shipments = (
        ReturnShipment.objects.filter(
            return_request__created_at__gte=low,
            return_request__created_at__lt=high,
            delivered_at__isnull=False,
        )
        .exclude(return_request__status__in=not_returned)
        .annotate(
            channel_code=Coalesce(
                "return_request__channel__code",
                "return_request__order__channel__code",
                Value(""),
            ),
            start=Coalesce("in_transit_at", "booked_at"),
        )
        .exclude(start__isnull=True)
        .values_list(
            "return_request__created_at",
            "channel_code",
            "return_request__order__shipping_country",
            "return_request__case_type",
            "account__carrier",
            "start",
            "delivered_at",
        )
    )
    counts: Counter = Counter()
    for created, channel, country, case_type, carrier, start, delivered in shipments:
        hours = max(0, int((delivered - start).total_seconds() // HOUR))
        day = timezone.localtime(created).date()
        counts[(day, channel, country, case_type, carrier, hours)] += 1
    for (day, channel, country, case_type, carrier, hours), count in counts.items():
        yield {
            "day": day,
            "channel": channel,
            "country": country,
            "case_type": case_type,
            "carrier": carrier,
            "hours": hours,
            "count": count,
        }
