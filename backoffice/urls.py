"""Back-office URLs under /backoffice/: every staff screen of the project.

Namespaces: ``backoffice`` (requests, warehouse, orders, settings), ``backoffice-credits``
(vouchers, credit notes, refunds, resolutions, under ``credits/``) and
``backoffice-notifications`` (mail templates, mail log, webhooks, under
``notifications/``). Every view here is a ``backoffice.access.staff_view``.
"""

from django.urls import include, path

from backoffice.views import (
    analytics,
    carriers,
    credits,
    decisions,
    entry,
    notifications,
    orders,
    payments,
    queue,
    requests,
    settings,
    warehouse,
)

own = [
    path("login/", entry.login, name="login"),
    path("logout/", entry.logout, name="logout"),
    path("tenants/", entry.tenant_select, name="tenant-select"),
    path("language/", entry.language, name="language"),
    path("", entry.dashboard, name="dashboard"),
    path("queue/", queue.queue, name="queue"),
    path("queue/bulk/", queue.queue_bulk, name="queue-bulk"),
    path("requests/<str:rma>/", requests.request_detail, name="request"),
    path("requests/<str:rma>/transition/", requests.request_transition, name="request-transition"),
    path("requests/<str:rma>/free-return/", requests.request_free_return, name="request-free"),
    path("requests/<str:rma>/assign/", requests.request_reassign, name="request-assign"),
    path("requests/<str:rma>/decision/", decisions.request_decision, name="request-decision"),
    path("requests/<str:rma>/messages/", requests.request_message, name="request-message"),
    path("requests/<str:rma>/carrier-retry/", carriers.carrier_retry, name="request-carrier-retry"),
    path(
        "requests/<str:rma>/files/<int:attachment_id>/",
        requests.request_attachment,
        name="request-file",
    ),
    path(
        "requests/<str:rma>/messages/files/<int:attachment_id>/",
        requests.message_attachment,
        name="message-file",
    ),
    path("warehouse/", warehouse.scan, name="warehouse"),
    path("warehouse/<str:rma>/", warehouse.receipt, name="receipt"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<str:number>/", orders.order_detail, name="order"),
    path("orders/<str:number>/delay/", orders.order_delay, name="order-delay"),
    path("orders/<str:number>/cancel/", orders.order_cancel, name="order-cancel"),
    path("analytics/", analytics.analytics_index, name="analytics"),
    path("analytics/settings/", analytics.analytics_settings, name="analytics-settings"),
    path("analytics/export/<str:table>.csv", analytics.analytics_export, name="analytics-export"),
    path("settings/", settings.settings_index, name="settings"),
    path("settings/policy/", settings.policy, name="settings-policy"),
    path("settings/cases/", settings.cases, name="settings-cases"),
    path("settings/reasons/", settings.reasons, name="settings-reasons"),
    path("settings/reasons/<int:pk>/", settings.reason_edit, name="settings-reason"),
    path("settings/channels/", settings.channels, name="settings-channels"),
    path("settings/channels/<int:pk>/", settings.channel_edit, name="settings-channel"),
    path("settings/shop/", settings.shop, name="settings-shop"),
    path("settings/carriers/", carriers.carrier_settings, name="settings-carriers"),
    path("settings/payments/", payments.payment_settings, name="settings-payments"),
    path("settings/api-keys/", settings.api_keys, name="settings-api-keys"),
    path(
        "settings/api-keys/<int:pk>/revoke/",
        settings.api_key_revoke_view,
        name="settings-api-key-revoke",
    ),
    path("settings/team/", settings.team, name="settings-team"),
    path("settings/team/<int:pk>/role/", settings.team_member_role, name="settings-team-role"),
    path(
        "settings/team/<int:pk>/remove/",
        settings.team_member_remove_view,
        name="settings-team-remove",
    ),
]

credit_screens = [
    path("", credits.index, name="index"),
    path("vouchers/", credits.voucher_find, name="voucher-find"),
    path("vouchers/new/", credits.voucher_issue, name="voucher-issue"),
    path("vouchers/<int:voucher_id>/", credits.voucher_detail, name="voucher"),
    path("vouchers/<int:voucher_id>/redeem/", credits.voucher_redeem, name="voucher-redeem"),
    path("vouchers/<int:voucher_id>/void/", credits.voucher_void, name="voucher-void"),
    path("credit-notes/", credits.credit_note_list, name="credit-notes"),
    path("credit-notes/new/", credits.credit_note_create, name="credit-note-create"),
    path("credit-notes/<int:credit_note_id>/", credits.credit_note_detail, name="credit-note"),
    path(
        "credit-notes/<int:credit_note_id>/book/",
        credits.credit_note_book,
        name="credit-note-book",
    ),
    path(
        "credit-notes/<int:credit_note_id>/document.pdf",
        credits.credit_note_document,
        name="credit-note-document",
    ),
    path("refunds/", credits.refund_list, name="refunds"),
    path("refunds/<int:refund_id>/confirm/", credits.refund_confirm, name="refund-confirm"),
    path("returns/", credits.return_list, name="returns"),
    path("returns/<str:rma>/resolve/", credits.return_resolve, name="return-resolve"),
]

notification_screens = [
    path("", notifications.index, name="index"),
    path("templates/", notifications.template_list, name="template-list"),
    path("templates/sent/", notifications.mail_switches, name="mail-switches"),
    path(
        "templates/<str:event>/<str:language>/", notifications.template_edit, name="template-edit"
    ),
    path(
        "templates/<str:event>/<str:language>/preview/",
        notifications.template_preview,
        name="template-preview",
    ),
    path(
        "templates/<str:event>/<str:language>/reset/",
        notifications.template_reset,
        name="template-reset",
    ),
    path("mails/", notifications.mail_log, name="mail-log"),
    path("mails/order/<str:order_number>/", notifications.mail_log_order, name="mail-log-order"),
    path("mails/return/<str:rma>/", notifications.mail_log_return, name="mail-log-return"),
    path("mails/<int:message_id>/", notifications.mail_detail, name="mail-detail"),
    path("mails/<int:message_id>/resend/", notifications.mail_resend, name="mail-resend"),
    path("webhooks/", notifications.webhook_list, name="webhook-list"),
    path("webhooks/<int:subscription_id>/", notifications.webhook_detail, name="webhook-detail"),
    path(
        "webhooks/<int:subscription_id>/rotate/",
        notifications.webhook_rotate,
        name="webhook-rotate",
    ),
    path(
        "webhooks/<int:subscription_id>/delete/",
        notifications.webhook_delete,
        name="webhook-delete",
    ),
    path(
        "webhooks/<int:subscription_id>/deliveries/<int:delivery_id>/resend/",
        notifications.webhook_delivery_resend,
        name="webhook-delivery-resend",
    ),
]

urlpatterns = [
    path("", include((own, "backoffice"))),
    path("credits/", include((credit_screens, "backoffice-credits"))),
    path("notifications/", include((notification_screens, "backoffice-notifications"))),
]
