"""Periodic tasks of the notifications app (collected by returns_platform.celery)."""

BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "notifications.tasks.sweep_outbox", "schedule": 60.0},
}
