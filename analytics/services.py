"""Writes of the analytics app other than the derived rows: the shop's yardsticks."""

from __future__ import annotations

from django.db import transaction

from analytics.models import AnalyticsSettings
from returns_platform import events
from returns_platform.audit import Actor

SETTING_FIELDS = ("target_days", "repeat_rate_percent", "repeat_min_returns", "min_units_sold")


@transaction.atomic
def analytics_settings_update(*, values: dict, actor: Actor) -> AnalyticsSettings:
    """Store the shop's analytics yardsticks (only the known fields), audited."""
    found = AnalyticsSettings.objects.select_for_update().first() or AnalyticsSettings()
    changed = {}
    for name in SETTING_FIELDS:
        if name in values and getattr(found, name) != values[name]:
            changed[name] = values[name]
            setattr(found, name, values[name])
    found.save()
    if changed:
        events.record(
            "analytics.settings_changed",
            actor=actor,
            subject_id=found.pk,
            data=changed,
        )
    return found
