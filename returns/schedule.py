"""Periodic tasks of the returns app (collected by returns_platform/celery.py)."""

BEAT_SCHEDULE = {
    "send-feedback-requests": {
        "task": "returns.tasks.send_feedback_requests",
        "schedule": 900.0,
    },
}
