"""Test-only urlconf: the back office with the notifications pages mounted under it."""

from django.urls import include, path

urlpatterns = [
    path("backoffice/notifications/", include("notifications.backoffice_urls")),
    path("backoffice/", include("tenants.backoffice_urls")),
]
