from django.urls import path

from tenants import api

urlpatterns = [
    path("channels/", api.ChannelListCreateApi.as_view(), name="api-channels"),
    path("channels/<slug:channel>/", api.ChannelDetailApi.as_view(), name="api-channel"),
]
