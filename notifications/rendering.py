"""Render mails with a restricted template engine and a context of plain data only.

Two ``django.template.Engine`` instances, separate from the project's template settings:
no context processors, no request, no settings, and as builtins only the tags and
filters of ``notifications.template_library``. Tenant texts are parsed by
``TEXT_ENGINE``, which has no loaders at all (a template cannot reach a file).
``FILE_ENGINE`` loads the project's own files from ``templates/emails/`` (the default
texts and the shared HTML layout) and adds the translation and include tags to that
library. Every value handed to a template is a string, a number, a Decimal, a read-only
mapping or a tuple, so a template cannot reach a model, a manager or a method that
changes data. A mail is rendered in its own language (``translation.override``),
whatever language the request or task that sends it is in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from notifications.mails import ACTIONS, FALLBACK_LANGUAGE, LANGUAGES, template_name
from returns_platform.money import format_money

TEMPLATE_LIBRARY = "notifications.template_library"
FORBIDDEN_TAG = re.compile(r"{%-?\s*(load|include|extends|ssi|debug)\b")
FORBIDDEN_TAG_MESSAGE = _("The tag {{% {tag} %}} is not allowed in mail templates.")

TEXT_ENGINE = Engine(
    debug=True,  # syntax errors carry the line they were found on
    loaders=[],
    context_processors=[],
    string_if_invalid="",
    autoescape=False,
    libraries={},
)
FILE_ENGINE = Engine(
    dirs=[settings.BASE_DIR / "templates"],
    context_processors=[],
    string_if_invalid="",
    autoescape=True,
    libraries={},
)
# Replace Django's default builtins (load, include, extends, url, csrf_token ...).
TEXT_ENGINE.builtins = [TEMPLATE_LIBRARY]
FILE_ENGINE.builtins = [TEMPLATE_LIBRARY, "django.templatetags.i18n", "django.template.loader_tags"]
for _engine in (TEXT_ENGINE, FILE_ENGINE):
    _engine.template_builtins = _engine.get_template_builtins(_engine.builtins)
LAYOUT = "emails/layout.html"


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


class TemplateProblem(ValueError):
    """A template that does not parse or uses a tag that is not allowed."""

    def __init__(self, message: str, *, line: int | None, part: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.part = part


def plain(value: Any) -> Any:
    """``value`` as template-safe plain data: strings, numbers, read-only mappings, tuples."""
    if value is None or isinstance(value, str | bool | int | float | Decimal):
        return value
    if isinstance(value, dict):
        return MappingProxyType({str(key): plain(item) for key, item in value.items()})
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(plain(item) for item in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def pick_language(*candidates: str | None) -> str:
    """The first supported language among the candidates, else English."""
    for candidate in candidates:
        if candidate:
            code = str(candidate).lower().split("-")[0].split("_")[0]
            if code in LANGUAGES:
                return code
    return FALLBACK_LANGUAGE


def check_source(source: str, *, part: str) -> Template:
    """Parse a tenant's template text; raise ``TemplateProblem`` with the line on error."""
    for number, line in enumerate(source.splitlines() or [""], start=1):
        match = FORBIDDEN_TAG.search(line)
        if match:
            raise TemplateProblem(
                FORBIDDEN_TAG_MESSAGE.format(tag=match.group(1)),
                line=number,
                part=part,
            )
    try:
        return Template(source, engine=TEXT_ENGINE)
    except TemplateSyntaxError as error:
        debug = getattr(error, "template_debug", None) or {}
        raise TemplateProblem(str(error), line=debug.get("line"), part=part) from error


def render_text(source: str, context: dict) -> str:
    template = Template(source, engine=TEXT_ENGINE)
    return template.render(Context(context, autoescape=False))


def render_default(event: str, part: str, context: dict) -> str:
    """The default text of ``part`` of ``event``'s mail, in the active language."""
    template = FILE_ENGINE.get_template(template_name(event, part))
    return template.render(Context(context, autoescape=False))


def render_mail(
    *, event: str, language: str, context: dict, subject: str | None = None, body: str | None = None
) -> RenderedMail:
    """Render ``event`` in ``language``: the given subject/body (a tenant's) or the defaults."""
    context = dict(plain(context))
    with translation.override(language if language in LANGUAGES else FALLBACK_LANGUAGE):
        if subject is None:
            subject_text = render_default(event, "subject", context)
        else:
            subject_text = render_text(subject, context)
        subject_text = " ".join(subject_text.split())[:300]
        if body is None:
            body_text = render_default(event, "body", context).strip()
        else:
            body_text = render_text(body, context).strip()
        action_key, label = ACTIONS.get(event, ("", ""))
        html = FILE_ENGINE.get_template(LAYOUT).render(
            Context(
                {
                    **context,
                    "subject": subject_text,
                    "body_text": body_text,
                    "action_url": context.get(action_key, "") if action_key else "",
                    "action_label": str(label),
                    "language": language,
                },
                autoescape=True,
            )
        )
    return RenderedMail(subject=subject_text, text=body_text + "\n", html=html)


# --- Formatting helpers for building contexts ---------------------------------------


def mail_money(amount: Any, currency: str, language: str) -> str:
    """``amount`` as a mail's prose writes it: "€12.50" (en), "€ 12,50" (nl), "12,50 €" (de)."""
    return format_money(amount, currency, language, symbol=True)
