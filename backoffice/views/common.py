"""Helpers shared by the back-office views."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from returns_platform.errors import DomainError


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def error_text(error: DomainError, **values: str) -> str:
    """A service's refusal in the screen's language (rendered from the error registry)."""
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
