from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from analytics.subscriber import handle_event
        from returns_platform import events
        from returns_platform.event_catalogue import webhook_events

        # The events shops' systems hear of are the ones that can move a figure, and the
        # carrier's delivery at the warehouse (days in transit).
        events.subscribe(handle_event, names=[*webhook_events(), "return.carrier_delivered"])
