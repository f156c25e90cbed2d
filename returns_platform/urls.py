from csp.constants import SELF as CSP_SELF
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from returns_platform import api_docs, health

api_v1 = [
    path("", include("orders.urls")),
    path("", include("returns.urls")),
    path("", include("conversations.urls")),
    path("", include("credits.urls")),
    path("", include("notifications.urls")),
    path("", include("analytics.urls")),
    path("", include("carriers.urls")),
    path("", include("tenants.urls")),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="api-schema",
    ),
    # The split view serves Swagger UI's start-up script as a file of its own (no inline
    # script, so the Content-Security-Policy needs no exception).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", authentication_classes=[], permission_classes=[]
        ),
        name="api-docs",
    ),
    # ReDoc runs its search in a worker made from a blob: of its own; on this page only.
    path(
        "api/redoc/",
        csp_update({"worker-src": [CSP_SELF, "blob:"]})(
            SpectacularRedocView.as_view(
                url_name="api-schema", authentication_classes=[], permission_classes=[]
            )
        ),
        name="api-redoc",
    ),
    path(
        "api/redoc/assets/bundles/redoc.standalone.js",
        api_docs.redoc_standalone,
        name="api-redoc-bundle",
    ),
    path("backoffice/", include("backoffice.urls")),
    path("hooks/carriers/", include("carriers.hook_urls")),
    path("r/<slug:slug>/", include("portal.urls")),
    path(
        "", RedirectView.as_view(pattern_name="backoffice:dashboard", permanent=False), name="home"
    ),
]

# Branded, translated error pages for the portal and the back office (JSON under /api/).
handler400 = "returns_platform.api.bad_request"
handler403 = "portal.error_pages.permission_denied"
handler404 = "portal.error_pages.page_not_found"
handler500 = "portal.error_pages.server_error"
