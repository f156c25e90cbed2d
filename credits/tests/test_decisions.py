"""Decisions on complaints: recorded once with a reason, in the API, the back office, the
status page and the history; replace creates the exchange order, refund pays later."""

from __future__ import annotations

import pytest

from backoffice.tests.conftest import add_staff, client_for
from credits.tests.conftest import STAFF, inspected_return
from orders.models import Order
from returns.models import ReturnDecision, ReturnRequest
from returns.policy import return_policy_update
from returns_platform.tenancy import tenant_context
from tenants.models import Role

pytestmark = pytest.mark.django_db
LEGAL = "Article 7:17 BW: wear and tear is not a defect."


def complaint(tenant, inspect=False, number="2001"):
    with tenant_context(tenant):
        return_policy_update(changes={"rejection_legal_basis": LEGAL}, actor=STAFF)
        return inspected_return(
            number=number, case_type="complaint", resolution="refund", inspect=inspect
        )


def decide(api, rma, decision, reason="Checked by the workshop"):
    return api.post(
        f"/api/v1/returns/{rma}/decision/", {"decision": decision, "reason": reason}, format="json"
    )


def test_reject_states_the_legal_basis_cancels_and_is_recorded_once(api, tenant, client):
    rma = complaint(tenant).rma
    assert api.get(f"/api/v1/returns/{rma}/decision/").status_code == 404
    response = decide(api, rma, "reject", "Scratches from use")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["decision"], body["legal_basis"]) == ("reject", LEGAL)
    again = decide(api, rma, "refund")
    assert (again.status_code, again.json()["code"]) == (409, "already_decided")
    detail = api.get(f"/api/v1/returns/{rma}/").json()
    assert detail["status"] == "cancelled"
    history = [event["action"] for event in api.get(f"/api/v1/returns/{rma}/history/").json()]
    assert "return.decided" in history
    with tenant_context(tenant):
        token = ReturnRequest.objects.get(rma=rma).access_token()
    page = client.get(f"/r/acme/s/{token}/").content.decode()
    assert 'data-testid="decision"' in page and "Scratches from use" in page and "7:17" in page


def test_refund_pays_through_the_resolution(api, tenant):
    rma = complaint(tenant, inspect=True).rma
    assert decide(api, rma, "refund").status_code == 201
    resolved = api.post(f"/api/v1/returns/{rma}/resolution/", {}, format="json")
    assert resolved.status_code == 200, resolved.json()
    assert resolved.json()["outcome"] == "refund"
    assert resolved.json()["refund"] is not None


def test_replace_creates_the_exchange_order(api, tenant):
    rma = complaint(tenant).rma
    assert decide(api, rma, "replace").status_code == 201
    order = api.get(f"/api/v1/orders/{rma}-X/").json()
    assert (order["kind"], order["exchange_for"]) == ("exchange", rma)
    assert api.get(f"/api/v1/returns/{rma}/").json()["resolution"] == "replacement"


def test_only_complaints_and_a_reason(api, tenant):
    with tenant_context(tenant):
        withdrawal = inspected_return(inspect=False)
    refused = decide(api, withdrawal.rma, "refund")
    assert (refused.status_code, refused.json()["code"]) == (409, "not_a_complaint")
    rma = complaint(tenant, number="2002").rma
    assert decide(api, rma, "refund", reason="").status_code == 400
    assert decide(api, rma, "maybe").status_code == 400
    with tenant_context(tenant):
        assert not ReturnDecision.objects.exists()
        assert not Order.objects.filter(kind="exchange").exists()


def test_back_office_records_and_shows_the_decision(tenant):
    rma = complaint(tenant).rma
    staff = client_for(add_staff(tenant, "agent@acme.example", Role.AGENT))
    page = staff.get(f"/backoffice/requests/{rma}/").content.decode()
    assert 'data-testid="decision-form"' in page
    staff.post(f"/backoffice/requests/{rma}/decision/", {"decision": "repair", "reason": ""})
    with tenant_context(tenant):
        assert not ReturnDecision.objects.exists()
    staff.post(
        f"/backoffice/requests/{rma}/decision/", {"decision": "repair", "reason": "Hinge loose"}
    )
    with tenant_context(tenant):
        decision = ReturnDecision.objects.get()
        assert (decision.decision, decision.reason) == ("repair", "Hinge loose")
        assert ReturnRequest.objects.get(rma=rma).resolution == "repair"
    page = staff.get(f"/backoffice/requests/{rma}/").content.decode()
    assert 'data-testid="decision"' in page and "Hinge loose" in page


def test_decision_and_case_settings_pages_have_constant_query_counts(
    api, tenant, django_assert_num_queries
):
    rma = complaint(tenant).rma
    decide(api, rma, "repair")
    with django_assert_num_queries(5):  # the key and its shop, the return, the decision
        assert api.get(f"/api/v1/returns/{rma}/decision/").status_code == 200
