"""The portal's start page (the empty look-up form), rendered once per shop and language.

The page a consumer first opens is the same for every visitor of a shop in one language
apart from two things: the CSRF token of its two forms and the address the language
switcher returns to. It is rendered once per process for each shop and language with
marks in their place and the marks are replaced per request; everything else (the shop's
name, logo, colour and links, the translated texts, the static file addresses) is part
of the page. The key holds every column of the shop row, so a changed setting makes a
new page as soon as this process sees the changed shop (``tenants/portal.py``: at once
in the process that saved it, within seconds elsewhere).

A request with messages waiting, and any other page, is rendered as before; so is every
page with ``DEBUG`` on, where templates may change while the process runs.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.db.models.fields.files import FieldFile
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from tenants.models import Tenant

MAX_PAGES = 1000
# Plain letters and digits: autoescaping leaves them as they are.
CSRF_MARK = "PortalStartPageCsrfTokenMark0000"
NEXT_MARK = "PortalStartPageNextPathMark00000"

_pages: dict[tuple, tuple[str, str]] = {}


def _shop_key(tenant: Tenant) -> tuple:
    values = []
    for field in Tenant._meta.concrete_fields:
        value = getattr(tenant, field.attname)
        if isinstance(value, FieldFile):
            value = value.name
        elif isinstance(value, list | dict):
            value = repr(value)
        values.append(value)
    return tuple(values)


def cacheable(request) -> bool:
    """Whether this request can be answered from the cached page."""
    return not settings.DEBUG and len(messages.get_messages(request)) == 0


def start_page(request, context: Callable[[], dict]) -> HttpResponse:
    """The start page for ``request`` (its shop, the active language), from the cache;
    ``context()`` gives the page's context when it has to be rendered."""
    key = (translation.get_language(), _shop_key(request.tenant))
    parts = _pages.get(key)
    if parts is None:
        page = render_to_string(
            "portal/home.html",
            {**context(), "csrf_token": CSRF_MARK, "language_next": NEXT_MARK, "messages": ()},
            request=request,
        )
        head, separator, tail = page.partition(NEXT_MARK)
        if not separator or NEXT_MARK in tail:
            raise RuntimeError("The portal start page must show the language switcher once.")
        if len(_pages) >= MAX_PAGES:
            _pages.clear()
        parts = _pages[key] = (head, tail)
    head, tail = parts
    token = get_token(request)
    next_path = escape(request.get_full_path())
    return HttpResponse(head.replace(CSRF_MARK, token) + next_path + tail.replace(CSRF_MARK, token))


def forget() -> None:
    _pages.clear()
