"""Test URLs: the back office's entry pages plus the credits screens, mounted as the
back office will mount them (``/backoffice/credits/``)."""

from django.urls import include, path

urlpatterns = [
    path("backoffice/credits/", include("credits.backoffice_urls")),
    path("backoffice/", include("tenants.backoffice_urls")),
]
