"""Template helpers of the back office."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.access import ROLE_LABELS, has_role
from returns_platform.templatetags.money import money

register = template.Library()
# Amounts in the screen's language with the currency's minor units ("1.234,56 EUR").
register.filter("money", money)


@register.filter
def role_in(request, roles: str) -> bool:
    return has_role(request, [role.strip() for role in roles.split(",")])


@register.filter
def age(value: datetime | None) -> str:
    """How long ago, compact: 3d 4h, 5h 10m, 12m."""
    if not value:
        return ""
    seconds = max(int((timezone.now() - value).total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return _("%(days)dd %(hours)dh") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)dh %(minutes)dm") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)dm") % {"minutes": minutes}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))
