from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "returns"

    def ready(self) -> None:
        from returns.defaults import return_defaults_create
        from tenants.services import TENANT_DEFAULTS

        if return_defaults_create not in TENANT_DEFAULTS:
            TENANT_DEFAULTS.append(return_defaults_create)
