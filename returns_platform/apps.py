from django.apps import AppConfig


class ReturnsPlatformConfig(AppConfig):
    name = "returns_platform"
    verbose_name = "Platform core"

    def ready(self) -> None:
        from returns_platform import db
        from returns_platform.errors import autodiscover_errors

        db.install()
        autodiscover_errors()
