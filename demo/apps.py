from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo shops (``manage.py seed_demo``): uses every app; no app uses it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
