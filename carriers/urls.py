from django.urls import path

from carriers import api

urlpatterns = [
    path("settings/carriers/", api.CarrierSettingsApi.as_view(), name="api-carrier-settings"),
]
