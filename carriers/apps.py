from django.apps import AppConfig


class CarriersConfig(AppConfig):
    name = "carriers"
    verbose_name = "Carriers"

    def ready(self) -> None:
        from carriers.connectors import transport
        from carriers.services import SUBSCRIBED_EVENTS, handle_event
        from returns_platform import events

        transport.install()
        events.subscribe(handle_event, names=SUBSCRIBED_EVENTS)
