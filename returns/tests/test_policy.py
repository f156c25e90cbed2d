"""Changing the policy and reasons: validated, audited, and never retroactive."""

from __future__ import annotations

from decimal import Decimal

import pytest

from returns.models import ReturnPolicy, ReturnReason
from returns.policy import return_policy_update, return_reason_save
from returns_platform.errors import DomainError
from returns_platform.models import AuditEvent
from testing.returns import file_return
from testing.staff import TEST_ACTOR


def test_update_normalises_and_audits_only_what_changed(in_tenant):
    policy = return_policy_update(
        changes={
            "window_days_return": 30,
            "blocked_countries": ["us", "CH", "US"],
            "methods": {"drop_off": {"default": "4.5", "BE": 5}},
            "resolutions": ["store_credit", "refund"],
            "store_credit_bonus_percent": "7.5",
        },
        actor=TEST_ACTOR,
    )
    assert policy.window_days_return == 30
    assert policy.blocked_countries == ["CH", "US"]
    assert policy.methods == {"drop_off": {"default": "4.50", "BE": "5.00"}}
    assert policy.resolutions == ["refund", "store_credit"]
    assert policy.store_credit_bonus_percent == Decimal("7.5")
    event = AuditEvent.objects.get(action="return_policy.changed")
    assert set(event.data["changed"]) == {
        "window_days",
        "blocked_countries",
        "methods",
        "resolutions",
        "store_credit_bonus_percent",
    }
    return_policy_update(changes={"window_days_return": 30}, actor=TEST_ACTOR)
    assert AuditEvent.objects.filter(action="return_policy.changed").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"window_days_return": 13}, "window_days_return"),
        ({"window_days_complaint": -1}, "window_days_complaint"),
        ({"allowed_countries": ["XX"]}, "allowed_countries"),
        ({"methods": {"teleport": {"default": "1"}}}, "methods"),
        ({"methods": {"drop_off": {"default": "-1"}}}, "methods"),
        ({"methods": {"drop_off": {"NLD": "1"}}}, "methods"),
        ({"resolutions": ["cash"]}, "resolutions"),
        ({"resolutions": []}, "resolutions"),
        ({"store_credit_bonus_percent": "101"}, "store_credit_bonus_percent"),
        ({"high_value_threshold": "lots"}, "high_value_threshold"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_changes_are_refused_and_nothing_changes(in_tenant, changes, field):
    before = ReturnPolicy.objects.get().snapshot()
    with pytest.raises(DomainError) as error:
        return_policy_update(changes=changes, actor=TEST_ACTOR)
    assert (error.value.code, error.value.field) == ("invalid_policy", field)
    assert ReturnPolicy.objects.get().snapshot() == before
    assert not AuditEvent.objects.filter(action="return_policy.changed").exists()


def test_policy_changes_do_not_touch_existing_requests(order):
    return_request = file_return(order)
    return_policy_update(changes={"methods": {"drop_off": {"default": "9.95"}}}, actor=TEST_ACTOR)
    return_request.refresh_from_db()
    assert return_request.policy_snapshot["methods"]["drop_off"] == {"default": "4.95"}
    assert return_request.return_cost == Decimal("4.95")


def test_reasons_are_saved_and_deactivated_not_deleted(order):
    reason = return_reason_save(
        code="too_small", labels={"en": "Runs small", "nl": "Valt klein"}, actor=TEST_ACTOR
    )
    assert (reason.label("nl"), reason.label("sv")) == ("Valt klein", "Runs small")
    file_return(order)
    return_reason_save(
        code="too_small", labels={"en": "Runs small"}, active=False, actor=TEST_ACTOR
    )
    assert not ReturnReason.objects.get(code="too_small").active
    with pytest.raises(DomainError) as error:
        file_return(order)  # inactive reasons are not offered any more
    assert error.value.code == "unknown_reason"
    assert AuditEvent.objects.filter(subject_type="return_reason").count() == 2
    with pytest.raises(DomainError):
        return_reason_save(code="new", labels={"nl": "Nieuw"}, actor=TEST_ACTOR)
