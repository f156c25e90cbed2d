from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"

    def ready(self) -> None:
        from tenants import (  # noqa: F401 - registrations
            login_throttle,  # counts failed sign-ins per address
            schema,  # the OpenAPI auth scheme
        )
