"""Demo returns: every status and case type, a held request, photos; seeding twice is a no-op."""

from __future__ import annotations

import io

from django.utils import timezone

from demo import returns as demo
from orders.tests.factories import create_order
from returns.models import Attachment, ReturnRequest
from returns.statuses import CaseType, ReturnStatus
from returns.tests.conftest import TEST_ACTOR
from tenants.models import Role
from tenants.services import membership_set, user_get_or_create


def test_seed_covers_every_status_and_case_type_once(in_tenant):
    agent = user_get_or_create(email="agent@demo.example")
    membership_set(user=agent, role=Role.AGENT, actor=TEST_ACTOR)
    now = timezone.now()
    create_order(
        "OLD1",
        placed_at=(now - timezone.timedelta(days=90)).isoformat(),
        shipped_at=(now - timezone.timedelta(days=89)).isoformat(),
        delivered_at=(now - timezone.timedelta(days=88)).isoformat(),
    )
    for index in range(40):
        create_order(
            f"D{index}",
            email=f"customer{index % 9}@example.nl",
            placed_at=(now - timezone.timedelta(days=6)).isoformat(),
            shipped_at=(now - timezone.timedelta(days=5)).isoformat(),
            delivered_at=(now - timezone.timedelta(days=4, minutes=index)).isoformat(),
        )
    out = io.StringIO()
    demo.seed(tenant=in_tenant, stdout=out)

    requests = ReturnRequest.objects.all()
    assert requests.count() == len(demo.PLAN) == 25
    assert {r.status for r in requests} == {status.value for status in ReturnStatus}
    assert {r.case_type for r in requests} == {case.value for case in CaseType}
    held = requests.get(status="on_hold", case_type="complaint")
    assert held.held_by == agent
    assert Attachment.objects.filter(content_type="image/jpeg").count() >= 2
    warnings = {w["code"] for r in requests for w in r.warnings}
    assert {"outside_window", "free_exchange"} <= warnings

    demo.seed(tenant=in_tenant, stdout=out)
    assert ReturnRequest.objects.count() == 25
    assert "already seeded" in out.getvalue()
