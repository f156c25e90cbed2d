"""Warnings staff see on a request: stored as a code and its values, read in the reader's
language.

A stored warning is ``{"code", "params", "message"}``; ``message`` is the English text,
kept for the API and for rows written before warnings had ``params``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from returns_platform.money import format_amount

WARNING_MESSAGES = {
    "free_exchange": _("The customer chose a free exchange."),
    "outside_window": _("Requested outside the return window."),
    "no_delivery_date": _("The order has no delivery or ship date; check the window by hand."),
    "high_value": _("Value {value} {currency} is above the review threshold of {threshold}."),
    "repeat_returner": _("{count} requests from {email} in the last 90 days."),
    "complaint_without_photos": _("A complaint without photos."),
}


def warning(code: str, **values: Any) -> dict:
    """A warning to store: its code, its values (as text) and its English message."""
    params = {name: str(value) for name, value in values.items()}
    with translation.override(None):
        message = str(WARNING_MESSAGES[code]).format(**params)
    return {"code": code, "message": message, "params": params}


def warning_text(stored: Mapping) -> str:
    """A stored warning in the active language; a row written without ``params`` keeps
    its stored text when its message needs values."""
    template = WARNING_MESSAGES.get(stored.get("code", ""))
    params = stored.get("params")
    if template is None or (params is None and "{" in str(template)):
        return str(stored.get("message", ""))
    values = dict(params or {})
    if "value" in values and "currency" in values:
        values["value"] = format_amount(values["value"], values["currency"])
        if "threshold" in values:
            values["threshold"] = format_amount(values["threshold"], values["currency"])
    try:
        return str(template).format(**values)
    except (KeyError, IndexError, ValueError):
        return str(stored.get("message", ""))
