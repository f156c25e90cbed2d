"""The error pages (403, 404, 500) of every part of the site, in the reader's language
and with a way back: the shop's branded portal page under /r/<shop>/, the back office's
page under /backoffice/, a JSON answer with a stable ``code`` under /api/, and a plain
page elsewhere. (429 pages: ``portal/rate_limited.html`` and the back office's
``locked_out.html``.)

The 500 page must work when the database does not: a failing shop look-up falls back to
the plain page.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)
PORTAL_PATH = re.compile(r"^/r/(?P<slug>[-\w]+)/")
API_CODES = {403: "permission_denied", 404: "not_found", 500: "server_error"}
API_MESSAGES = {
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    500: "A server error occurred.",
}


def _portal_tenant(request: HttpRequest):
    tenant = getattr(request, "tenant", None)
    if tenant is not None:
        return tenant
    match = PORTAL_PATH.match(request.path_info)
    if not match:
        return None
    from tenants.models import Tenant

    return Tenant.objects.filter(slug=match["slug"], is_active=True).first()


def _portal_page(request: HttpRequest, tenant, status: int) -> str:
    from portal.branding import brand_palette
    from portal.views.common import choose_language

    with translation.override(choose_language(request, tenant)):
        return render_to_string(
            "errors/portal.html",
            {
                "tenant": tenant,
                "palette": brand_palette(tenant),
                "languages": settings.LANGUAGES,
                "status": status,
            },
            request=request,
        )


def _page(request: HttpRequest, status: int) -> HttpResponse:
    path = request.path_info
    if path.startswith("/api/"):
        return JsonResponse(
            {"code": API_CODES[status], "message": API_MESSAGES[status]}, status=status
        )
    html = None
    if path.startswith("/r/"):
        try:
            tenant = _portal_tenant(request)
            if tenant is not None:
                html = _portal_page(request, tenant, status)
        except Exception:  # the 500 page must not fail in turn (database down, ...)
            logger.exception("error page: the shop's branded page could not be rendered")
    if html is None:
        template = (
            "errors/backoffice.html" if path.startswith("/backoffice/") else "errors/plain.html"
        )
        try:
            html = render_to_string(template, {"status": status}, request=request)
        except Exception:
            logger.exception("error page: %s could not be rendered", template)
            html = render_to_string("errors/plain.html", {"status": status, "bare": True})
    response = HttpResponse(html, status=status)
    response.headers["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
    return response


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500)
