"""Staff journeys through the back-office pages: an agent takes a request from new to
inspected; an admin changes the policy and new requests follow it."""

from __future__ import annotations

import pytest

from returns.selectors import return_policy_get
from returns_platform.tenancy import tenant_context
from testing.backoffice import policy_post
from testing.orders import make_order
from testing.returns import file_return as file_request
from testing.returns import reload
from testing.staff import client_for

pytestmark = pytest.mark.django_db


def test_an_agent_works_a_request_from_new_to_inspected(tenant, agent):
    with tenant_context(tenant):
        return_request = file_request(make_order("1001"), quantities=[2])
        line = return_request.lines.get()
    client = client_for(agent)
    assert "R-000001" in client.get("/backoffice/queue/?status=requested").content.decode()
    client.post("/backoffice/queue/bulk/", {"action": "concept", "selected": ["R-000001"]})
    client.post("/backoffice/queue/bulk/", {"action": "approved", "selected": ["R-000001"]})
    assert reload(tenant, return_request).status == "approved"
    assert client.post("/backoffice/warehouse/", {"code": "R-000001"}).status_code == 302
    client.post(
        "/backoffice/warehouse/R-000001/",
        {
            f"line-{line.pk}-received_quantity": "2",
            f"line-{line.pk}-condition": "as_new",
            f"line-{line.pk}-disposition": "restock",
            "inspect": "1",
        },
    )
    assert reload(tenant, return_request).status == "inspected"
    history = client.get("/backoffice/requests/R-000001/").context["history"]
    assert [event.action for event in history] == [
        "return.requested",
        "return.concept",
        "return.approved",
        "return.receipt",
        "return.received",
        "return.inspected",
    ]

    # Completing from the detail page executes the refund: a booked credit note, once.
    client.post("/backoffice/requests/R-000001/transition/", {"to": "completed"})
    client.post("/backoffice/requests/R-000001/transition/", {"to": "completed"})
    assert reload(tenant, return_request).status == "completed"
    with tenant_context(tenant):
        from credits.models import CreditNote, ReturnResolution

        resolution = ReturnResolution.objects.get(return_request=return_request)
        [note] = CreditNote.objects.filter(order=return_request.order)
    assert note.status == "booked" and note.total == resolution.amount > 0
    assert resolution.credit_note_id == note.pk


def test_the_admin_changes_the_policy_and_new_requests_follow_it(tenant, admin_user):
    client = client_for(admin_user)
    client.post(
        "/backoffice/settings/policy/",
        policy_post(tenant, method_drop_off_default="2.25", method_drop_off_countries=""),
    )
    with tenant_context(tenant):
        assert return_policy_get().methods["drop_off"] == {"default": "2.25"}
        filed = file_request(make_order("1001"))
    assert str(filed.return_cost) == "2.25"
