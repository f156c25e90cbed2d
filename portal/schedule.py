"""Periodic tasks of the portal (collected by returns_platform/celery.py)."""

BEAT_SCHEDULE = {
    "sweep-portal-uploads": {"task": "portal.tasks.sweep_portal_uploads", "schedule": 900.0},
}
