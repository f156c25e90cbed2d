from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from analytics.subscriber import SUBSCRIBED_EVENTS, handle_event
        from returns_platform import events

        events.subscribe(handle_event, names=SUBSCRIBED_EVENTS)
