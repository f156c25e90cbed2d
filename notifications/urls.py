from django.urls import path

from notifications import api

urlpatterns = [
    path("webhooks/", api.WebhookListCreateApi.as_view(), name="api-webhooks"),
    path("webhooks/<int:subscription_id>/", api.WebhookDetailApi.as_view(), name="api-webhook"),
    path(
        "webhooks/<int:subscription_id>/deliveries/",
        api.WebhookDeliveryListApi.as_view(),
        name="api-webhook-deliveries",
    ),
    path(
        "webhooks/<int:subscription_id>/deliveries/<int:delivery_id>/resend/",
        api.WebhookDeliveryResendApi.as_view(),
        name="api-webhook-delivery-resend",
    ),
]
