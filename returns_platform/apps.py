from django.apps import AppConfig


class ReturnsPlatformConfig(AppConfig):
    name = "returns_platform"
    verbose_name = "Platform core"

    def ready(self) -> None:
        from returns_platform import db

        db.install()
