"""Back-office URLs under /backoffice/ (namespace ``backoffice``).

The credits and notifications screens live in their apps' ``backoffice_urls`` modules
(namespaces ``backoffice-credits`` and ``backoffice-notifications``) and are included
here.
"""

from django.urls import include, path

from backoffice.views import (
    analytics,
    carriers,
    entry,
    orders,
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

urlpatterns = [
    path("", include((own, "backoffice"))),
    # The other apps' staff screens, behind the same access checks (backoffice.access).
    path("credits/", include("credits.backoffice_urls")),
    path("notifications/", include("notifications.backoffice_urls")),
]
