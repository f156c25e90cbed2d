"""Dates as a reader of each language writes them: one function for mails, documents and
pages that print a date outside Django's own localisation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

DATE_FORMATS = {
    "en": "%d/%m/%Y",
    "nl": "%d-%m-%Y",
    "de": "%d.%m.%Y",
    "pl": "%d.%m.%Y",
    "sv": "%Y-%m-%d",
}


def format_date(value: Any, language: str) -> str:
    """A date, datetime or ISO 8601 string in ``language``'s convention ("" for none)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime(DATE_FORMATS.get(language, DATE_FORMATS["en"]))
