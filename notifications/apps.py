from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from notifications.outbox import handle_event
        from returns_platform import events
        from returns_platform.event_catalogue import webhook_events

        events.subscribe(handle_event, names=webhook_events())
