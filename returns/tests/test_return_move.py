"""``return_move``: the one public way to change a return's status."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

from credits.models import CreditNote, ReturnResolution
from returns.models import ReturnRequest
from returns.workflow import return_move
from testing.credits import STAFF, inspected_return

ROOT = Path(settings.BASE_DIR)


def test_completing_runs_the_resolution(in_tenant):
    return_request = inspected_return(resolution="refund")
    return_move(return_request=return_request, to="completed", actor=STAFF)
    assert ReturnRequest.objects.get(pk=return_request.pk).status == "completed"
    assert ReturnResolution.objects.filter(return_request=return_request).count() == 1
    assert CreditNote.objects.filter(status="booked").count() == 1
    assert return_request.status == "completed"


def test_other_moves_are_plain_transitions(in_tenant):
    return_request = inspected_return(resolution="refund", inspect=False)
    return_move(return_request=return_request, to="cancelled", actor=STAFF, reason="Lost")
    assert ReturnRequest.objects.get(pk=return_request.pk).status == "cancelled"
    assert not ReturnResolution.objects.exists()


def test_only_the_workflow_and_the_resolution_call_the_primitive():
    """Every other module changes a status through ``return_move``."""
    callers = []
    for path in ROOT.glob("*/**/*.py"):
        if {".venv", "tests", "migrations"} & set(path.parts):
            continue
        tree = ast.parse(path.read_text())
        names = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        if "return_transition" in names or "return_complete" in names:
            callers.append(str(path.relative_to(ROOT)))
    assert callers == ["credits/services/resolution.py"]
