"""Return requests for tests, filed through the returns service."""

from __future__ import annotations

import base64
from datetime import timedelta

from django.utils import timezone

from returns import services
from returns.models import ReturnRequest
from returns.workflow import return_move
from returns_platform.tenancy import tenant_context
from testing.credits import inspected_return
from testing.images import small_png
from testing.staff import TEST_ACTOR


def file_return(order, *, quantities=None, case_type="return", resolution="refund", **kwargs):
    """File a request for ``quantities`` (one per order line; default: 1 of the first)."""
    lines = list(order.lines.all())
    quantities = quantities if quantities is not None else [1]
    if case_type == "complaint" and "attachments" not in kwargs:
        # A complaint shows the problem (returns.predicates.case_needs_photo).
        kwargs["attachments"] = [{"name": "problem.png", "file": small_png()}]
    return services.return_request_create(
        order=order,
        case_type=case_type,
        resolution=resolution,
        method=kwargs.pop("method", "drop_off"),
        lines=[
            {"order_line": line.pk, "quantity": quantity, "reason_code": "too_small"}
            for line, quantity in zip(lines, quantities, strict=False)
            if quantity
        ],
        actor=kwargs.pop("actor", TEST_ACTOR),
        **kwargs,
    )


def reload(tenant, return_request) -> ReturnRequest:
    """The request as the database has it now (with its holder and assignee)."""
    with tenant_context(tenant):
        return ReturnRequest.objects.select_related("held_by", "assignee").get(pk=return_request.pk)


def completed_return(tenant, *, hours_ago: int = 30, number: str = "2001") -> ReturnRequest:
    """A refunded return of ``tenant``, completed ``hours_ago`` hours ago."""
    with tenant_context(tenant):
        return_request = inspected_return(number=number, resolution="refund")
        return_move(return_request=return_request, to="completed", actor=TEST_ACTOR)
        ReturnRequest.objects.filter(pk=return_request.pk).update(
            status_changed_at=timezone.now() - timedelta(hours=hours_ago)
        )
        return ReturnRequest.objects.select_related("order").get(pk=return_request.pk)


def api_photo(line: int | None = None) -> dict:
    """A photo as the returns API takes it (a complaint needs one)."""
    return {"name": "problem.png", "content": base64.b64encode(small_png()).decode(), "line": line}


def api_return_body(order: dict, *, method: str = "own_shipping", number: str = "") -> dict:
    """The API body of a return of one unit of ``order``'s first line (the order's JSON)."""
    return {
        "order": number or order["number"],
        "resolution": "refund",
        "method": method,
        "lines": [{"order_line": order["lines"][0]["id"], "quantity": 1, "reason": "too_small"}],
    }
