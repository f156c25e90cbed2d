"""Tasks of the portal: removing photos of wizards that were never confirmed."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.core.files.storage import default_storage
from django.utils import timezone

from portal.services import UPLOAD_ROOT

# A wizard left open longer than this is abandoned (sessions last two weeks, but nobody
# needs half an hour between adding a photo and confirming; a late confirmation simply
# asks for the photo again). With the sweep every 15 minutes (portal/schedule.py) a
# photo of an abandoned wizard is gone within 45 minutes, so look-ups cannot fill the
# disk for long.
UPLOAD_MAX_AGE = timedelta(minutes=30)


@shared_task
def sweep_portal_uploads(now=None) -> int:
    """Delete waiting photos older than ``UPLOAD_MAX_AGE``; returns how many went."""
    cutoff = (now or timezone.now()) - UPLOAD_MAX_AGE
    if not default_storage.exists(UPLOAD_ROOT):
        return 0
    removed = 0
    tenant_dirs, _files = default_storage.listdir(UPLOAD_ROOT)
    for tenant_dir in tenant_dirs:
        folder = f"{UPLOAD_ROOT}{tenant_dir}/"
        for name in default_storage.listdir(folder)[1]:
            path = folder + name
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
    return removed
