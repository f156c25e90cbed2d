"""The Celery app. Tasks take ids (and ``tenant_id``) and reload what they work on."""

import importlib
import os

from celery import Celery, Task
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "returns_platform.settings")

# A task that meets a database outage runs again later instead of being dropped: with
# late acknowledgement a failed task is acknowledged like a finished one.
DATABASE_OUTAGE_RETRIES = 8


class OutageRetryingTask(Task):
    """Every task of the project: a lost database connection means "try again later"
    (after 2, 4, 8 ... seconds, capped at a minute), not "failed for good"."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except (OperationalError, InterfaceError) as error:
            if self.request.is_eager or self.request.called_directly:
                raise
            retries = self.request.retries or 0
            raise self.retry(
                exc=error,
                countdown=min(2 ** (retries + 1), 60),
                max_retries=DATABASE_OUTAGE_RETRIES,
            ) from error


app = Celery("returns_platform", task_cls=OutageRetryingTask)
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
