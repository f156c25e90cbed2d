"""The transition table: every allowed move works, every other one is refused (409)."""

from __future__ import annotations

import pytest

from returns.models import ReturnRequest
from returns.statuses import TRANSITIONS, ReturnStatus, allowed_targets
from returns.workflow import HeldByAnother, InvalidTransition, return_transition
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from tenants.services import membership_set, user_get_or_create
from testing.returns import file_return
from testing.staff import TEST_ACTOR

STATUSES = [status.value for status in ReturnStatus]
ALLOWED = [(source, target) for source, targets in TRANSITIONS.items() for target in targets]
REFUSED = [
    (source, target)
    for source in STATUSES
    for target in STATUSES
    if target not in allowed_targets(source, "return")
]


def put_in(return_request: ReturnRequest, status: str) -> None:
    """Test set-up only: place a request in a status without going through the workflow."""
    ReturnRequest.objects.filter(pk=return_request.pk).update(status=status)


def test_table_matches_the_design():
    assert len(ALLOWED) == 23
    assert ("approved", "completed") in ALLOWED
    assert "completed" not in allowed_targets("approved", "return")
    assert "completed" in allowed_targets("approved", "missing_item")
    assert len(REFUSED) == 11 * 11 - 22


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_every_allowed_transition_succeeds(order, published, source, target):
    case_type = "missing_item" if (source, target) == ("approved", "completed") else "return"
    return_request = file_return(order, case_type=case_type)
    put_in(return_request, source)
    events_before = AuditEvent.objects.count()
    published.clear()

    return_transition(
        return_request=return_request, to=target, actor=TEST_ACTOR, reason="customer asked"
    )

    return_request.refresh_from_db()
    assert return_request.status == target
    event = AuditEvent.objects.order_by("-sequence").first()
    assert AuditEvent.objects.count() == events_before + 1
    assert (event.action, event.subject_id, event.order_number) == (
        f"return.{target}",
        return_request.rma,
        "1001",
    )
    assert event.data["from"] == source and event.data["to"] == target
    assert [e.name for e in published] == [f"return.{target}"]
    assert published[0].data["status"] == target and published[0].data["from"] == source


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_every_other_transition_is_refused_with_409(tenant, api, order, source, target):
    """Through the API: 409 with the allowed targets; status and history unchanged."""
    return_request = file_return(order)
    put_in(return_request, source)
    events_before = AuditEvent.objects.count()

    response = api.post(
        f"/api/v1/returns/{return_request.rma}/transitions/",
        {"to": target, "reason": "try"},
        format="json",
    )

    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert body["allowed"] == allowed_targets(source, "return")
    with tenant_context(tenant):
        return_request.refresh_from_db()
        assert return_request.status == source
        assert AuditEvent.objects.count() == events_before


def test_invalid_transition_is_a_conflict_error(order):
    return_request = file_return(order)
    with pytest.raises(InvalidTransition) as error:
        return_transition(return_request=return_request, to="received", actor=TEST_ACTOR)
    assert error.value.status == 409
    assert error.value.as_dict()["allowed"] == ["concept", "on_hold", "approved", "cancelled"]


def test_cancel_needs_a_reason(order):
    return_request = file_return(order)
    count = AuditEvent.objects.count()
    with pytest.raises(DomainError) as error:
        return_transition(return_request=return_request, to="cancelled", actor=TEST_ACTOR)
    assert error.value.code == "reason_required"
    return_request.refresh_from_db()
    assert return_request.status == "requested"
    assert AuditEvent.objects.count() == count


def _staff(email: str, role: str):
    user = user_get_or_create(email=email)
    membership_set(user=user, role=role, actor=TEST_ACTOR)
    return user


def test_hold_is_kept_by_the_holder_and_released_on_leaving(order):
    holder = _staff("holder@acme.example", Role.AGENT)
    colleague = _staff("colleague@acme.example", Role.AGENT)
    admin = _staff("boss@acme.example", Role.ADMIN)
    return_request = file_return(order)

    return_transition(
        return_request=return_request,
        to="on_hold",
        actor=Actor.staff(holder),
        user=holder,
    )
    return_request.refresh_from_db()
    assert return_request.held_by == holder

    count = AuditEvent.objects.count()
    with pytest.raises(HeldByAnother) as error:
        return_transition(
            return_request=return_request,
            to="approved",
            actor=Actor.staff(colleague),
            user=colleague,
        )
    assert error.value.status == 409 and error.value.code == "held_by_another"
    return_request.refresh_from_db()
    assert (return_request.status, AuditEvent.objects.count()) == ("on_hold", count)

    # The holder may move it on; leaving on_hold releases the hold.
    return_transition(
        return_request=return_request, to="concept", actor=Actor.staff(holder), user=holder
    )
    return_request.refresh_from_db()
    assert (return_request.status, return_request.held_by) == ("concept", None)

    # An admin may act on someone else's hold.
    return_transition(
        return_request=return_request, to="on_hold", actor=Actor.staff(holder), user=holder
    )
    return_transition(
        return_request=return_request, to="approved", actor=Actor.staff(admin), user=admin
    )
    return_request.refresh_from_db()
    assert (return_request.status, return_request.held_by) == ("approved", None)
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.actor_kind, event.actor_label) == ("staff", "boss@acme.example")


def test_a_consumer_cannot_change_a_held_request(order):
    holder = _staff("holder@acme.example", Role.AGENT)
    return_request = file_return(order)
    return_transition(
        return_request=return_request, to="on_hold", actor=Actor.staff(holder), user=holder
    )
    with pytest.raises(HeldByAnother):
        return_transition(
            return_request=return_request,
            to="cancelled",
            actor=Actor.consumer("jan@example.nl"),
            reason="never mind",
        )


def test_nothing_else_assigns_status():
    """workflow.py is the only module of the app that assigns ``.status``."""
    import pathlib
    import re

    app = pathlib.Path(__file__).resolve().parent.parent
    assigning = []
    for path in app.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        if re.search(r"\.status\s*=[^=]", path.read_text()):
            assigning.append(path.name)
    assert assigning == ["workflow.py"]
