"""Back-office pages of the notifications app (mounted at ``/backoffice/notifications/``)."""

from django.urls import path

from notifications import views

app_name = "backoffice-notifications"
urlpatterns = [
    path("", views.index, name="index"),
    path("templates/", views.template_list, name="template-list"),
    path("templates/<str:event>/<str:language>/", views.template_edit, name="template-edit"),
    path(
        "templates/<str:event>/<str:language>/preview/",
        views.template_preview,
        name="template-preview",
    ),
    path(
        "templates/<str:event>/<str:language>/reset/",
        views.template_reset,
        name="template-reset",
    ),
    path("mails/", views.mail_log, name="mail-log"),
    path("mails/order/<str:order_number>/", views.mail_log_order, name="mail-log-order"),
    path("mails/return/<str:rma>/", views.mail_log_return, name="mail-log-return"),
    path("mails/<int:message_id>/", views.mail_detail, name="mail-detail"),
    path("mails/<int:message_id>/resend/", views.mail_resend, name="mail-resend"),
    path("webhooks/", views.webhook_list, name="webhook-list"),
    path("webhooks/<int:subscription_id>/", views.webhook_detail, name="webhook-detail"),
    path("webhooks/<int:subscription_id>/rotate/", views.webhook_rotate, name="webhook-rotate"),
    path("webhooks/<int:subscription_id>/delete/", views.webhook_delete, name="webhook-delete"),
    path(
        "webhooks/<int:subscription_id>/deliveries/<int:delivery_id>/resend/",
        views.webhook_delivery_resend,
        name="webhook-delivery-resend",
    ),
]
