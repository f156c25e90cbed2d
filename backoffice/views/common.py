"""Helpers shared by the back-office views."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy

from credits.messages import translated
from returns_platform.errors import DomainError


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# Service errors staff meet often, in the screen's language. The English text is the
# service's own message, so English pages read exactly what the service said.
TRANSLATED_ERRORS = {
    "held_by_another": gettext_lazy(
        "%(rma)s is on hold by %(held_by)s; only they or an admin can change it."
    ),
    "reason_required": gettext_lazy("Cancelling a return needs a reason."),
    "last_admin": gettext_lazy("A shop keeps at least one admin."),
    "not_yourself": gettext_lazy("You cannot remove yourself from the shop."),
    "expected_in_past": gettext_lazy("The new delivery date cannot be in the past."),
    "no_method": gettext_lazy("Offer at least one return method."),
    "method_without_cost": gettext_lazy(
        "An offered method needs a default cost or a cost per country."
    ),
}


def error_text(error: DomainError, **values: str) -> str:
    """The message of a service error in the screen's language (as the service said it
    when no translation is known)."""
    template = TRANSLATED_ERRORS.get(error.code)
    if template is None:
        return translated(error.message)
    try:
        return str(template) % {**error.extra, **values}
    except (KeyError, TypeError, ValueError):
        return error.message


def refused(request: HttpRequest, error: DomainError, *, to: str, rma: str = "") -> HttpResponse:
    """A service said no: show its message on the page the user came from."""
    messages.error(request, error_text(error, rma=rma))
    return redirect(to)


def form_errors_message(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def form_error(form, error: DomainError) -> None:
    """Show a service's refusal on the form: on the field it names when the form has it
    (``form.field_aliases`` maps a service's field name to the form's), else above it."""
    aliases = getattr(form, "field_aliases", {})
    name = aliases.get(error.field or "", error.field or "")
    form.add_error(name if name in form.fields else None, error_text(error))
