"""Completing a return pays what it owes: the completion goes through the resolution service.

``return_transition(to="completed")`` is the workflow's primitive and moves the status
only; the entry points people and systems use (the API's transitions endpoint, the back
office) complete a return through ``return_complete``, which runs the configured
resolution service (``RETURN_RESOLUTION_SERVICE``, by default the credits app's
``return_resolve``: credit note, refund or voucher, or the exchange event) and that
service completes the return in the same transaction. Without a resolution service the
plain transition is used.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from returns.models import ReturnRequest
from returns.statuses import is_allowed
from returns.workflow import return_transition
from returns_platform.audit import Actor


def return_complete(*, return_request: ReturnRequest, actor: Actor, user: Any = None) -> None:
    path = getattr(settings, "RETURN_RESOLUTION_SERVICE", "")
    if not path or not is_allowed(
        return_request.status, "completed", return_request.case_type, return_request.keep_item
    ):
        # No resolution to run, or a move the table refuses: the workflow answers (409
        # ``invalid_transition`` with the allowed targets).
        return_transition(return_request=return_request, to="completed", actor=actor, user=user)
        return
    import_string(path)(return_request=return_request, actor=actor, user=user)
