"""Dates for tests, relative to now so that they stay inside the return windows."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone


def recent_dates() -> dict:
    """Order dates (ISO strings) inside every return window: delivered two days ago."""
    now = timezone.now()
    return {
        "placed_at": (now - timedelta(days=4)).isoformat(),
        "shipped_at": (now - timedelta(days=3)).isoformat(),
        "delivered_at": (now - timedelta(days=2)).isoformat(),
    }


def days(n: int) -> date:
    """Today plus ``n`` days (negative: in the past), in the project's time zone."""
    return timezone.localdate() + timedelta(days=n)
