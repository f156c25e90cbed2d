"""Template helpers of the back office."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from backoffice import labels
from backoffice.access import ROLE_LABELS, has_role
from returns import rules, warnings
from returns.statuses import ReturnStatus
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


@register.filter
def warning_text(stored) -> str:
    """A request's stored warning in the screen's language."""
    return warnings.warning_text(stored)


@register.filter
def verdict_text(stored) -> str:
    """A stored verdict of the return policy in the screen's language."""
    return rules.verdict_reason(stored)


@register.filter
def rule_label(rule: str) -> str:
    return labels.rule_label(rule)


@register.filter
def event_label(action: str) -> str:
    return labels.event_label(action)


@register.filter
def status_label(code: str) -> str:
    """A return status in words ("" stays "")."""
    if code in ReturnStatus.values:
        return str(ReturnStatus(code).label)
    return labels.words(code) if code else ""


@register.filter
def reason_label(reason) -> str:
    """A return reason's label in the screen's language."""
    return reason.label((get_language() or "en")[:2]) if reason else ""


@register.filter
def subject_of(event, documents) -> dict:
    return labels.subject(event, documents or {})
