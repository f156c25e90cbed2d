"""Dates in the documents are written as DRF's DateTimeField writes them, in any time zone."""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from orders.documents import datetime_text

# Zones with offsets in minutes and hours, negative and half-hour ones, and local mean
# times with seconds in their history (Amsterdam before 1937, Monrovia until 1972).
ZONES = [
    "UTC",
    "Europe/Amsterdam",
    "Europe/London",
    "Africa/Monrovia",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "America/St_Johns",
    "Australia/Lord_Howe",
]


def _drf(value: datetime.datetime, zone) -> str | type:
    try:
        with timezone.override(zone):
            return serializers.DateTimeField().to_representation(value)
    except (OverflowError, ValueError) as error:
        return type(error)


def _ours(value: datetime.datetime, zone) -> str | type:
    try:
        return datetime_text(value, zone)
    except (OverflowError, ValueError) as error:
        return type(error)


@settings(max_examples=1500, deadline=None)
@given(
    st.datetimes(
        min_value=datetime.datetime(1, 1, 2), max_value=datetime.datetime(9999, 12, 30)
    ).map(lambda value: value.replace(tzinfo=datetime.UTC)),
    st.sampled_from(ZONES).map(zoneinfo.ZoneInfo),
)
def test_the_same_text_as_drf(value, zone):
    assert _ours(value, zone) == _drf(value, zone)


def test_awkward_values():
    amsterdam, london = zoneinfo.ZoneInfo("Europe/Amsterdam"), zoneinfo.ZoneInfo("Europe/London")
    cases = [
        (datetime.datetime(1900, 1, 1, 12, tzinfo=datetime.UTC), amsterdam),  # +00:19:32
        (datetime.datetime(1960, 6, 1, tzinfo=datetime.UTC), zoneinfo.ZoneInfo("Africa/Monrovia")),
        (datetime.datetime(2026, 1, 5, 10, tzinfo=datetime.UTC), london),
        (datetime.datetime(2026, 7, 5, 10, 0, 0, 7, tzinfo=datetime.UTC), amsterdam),
        (datetime.datetime(5, 1, 2, tzinfo=datetime.UTC), zoneinfo.ZoneInfo("UTC")),
    ]
    texts = [datetime_text(value, zone) for value, zone in cases]
    assert texts == [_drf(value, zone) for value, zone in cases]
    assert texts[0].endswith("+00:19:32")
    assert texts[2] == "2026-01-05T10:00:00Z"
    assert texts[3] == "2026-07-05T12:00:00.000007+02:00"


def test_a_naive_value_is_utc_and_none_stays_none():
    amsterdam = zoneinfo.ZoneInfo("Europe/Amsterdam")
    naive = datetime.datetime(2026, 1, 5, 10)
    assert datetime_text(naive, amsterdam) == "2026-01-05T11:00:00+01:00"
    assert datetime_text(None, amsterdam) is None
