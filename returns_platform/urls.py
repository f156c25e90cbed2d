from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from returns_platform import health

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
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(
            url_name="api-schema", authentication_classes=[], permission_classes=[]
        ),
        name="api-docs",
    ),
    path("backoffice/", include("backoffice.urls")),
    path("hooks/carriers/", include("carriers.hook_urls")),
    path("r/<slug:slug>/", include("portal.urls")),
    path("", RedirectView.as_view(url="/backoffice/", permanent=False), name="home"),
]
