"""The Celery app. Tasks take ids (and ``tenant_id``) and reload what they work on."""

import importlib
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "returns_platform.settings")

app = Celery("returns_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each app may declare its periodic tasks as BEAT_SCHEDULE in <app>/schedule.py.
PERIODIC_TASK_APPS = ("orders", "returns", "credits", "notifications", "portal", "carriers")


def _collect_beat_schedule() -> dict:
    schedule: dict = {}
    for app_name in PERIODIC_TASK_APPS:
        try:
            module = importlib.import_module(f"{app_name}.schedule")
        except ModuleNotFoundError as error:
            if error.name != f"{app_name}.schedule":
                raise
            continue
        schedule.update(module.BEAT_SCHEDULE)
    return schedule


app.conf.beat_schedule = _collect_beat_schedule()
