"""Periodic tasks of the carriers app (collected by returns_platform/celery.py)."""

BEAT_SCHEDULE = {
    "carriers-book-due": {"task": "carriers.tasks.book_due_shipments", "schedule": 60.0},
    "carriers-poll-tracking": {"task": "carriers.tasks.poll_tracking", "schedule": 1800.0},
}
