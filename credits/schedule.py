"""Periodic tasks of the credits app (collected by returns_platform/celery.py)."""

BEAT_SCHEDULE = {
    "expire-vouchers": {"task": "credits.tasks.expire_vouchers", "schedule": 3600.0},
    "submit-due-refunds": {"task": "credits.tasks.submit_due_refunds", "schedule": 60.0},
}
