from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from notifications.outbox import handle_event
        from returns_platform import events

        events.subscribe(handle_event)
