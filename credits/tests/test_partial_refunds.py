"""Partial refunds from inspection: the policy's deduction per condition pre-fills the
accepted amount, staff may book another with a reason, the resolution pays exactly it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice.tests.conftest import add_staff, client_for
from credits.models import CreditNote, ReturnResolution
from credits.tests.conftest import STAFF, inspected_return
from returns.models import ReturnLine, ReturnPolicy
from returns.policy import return_policy_update
from returns.selectors import return_policy_get
from returns_platform.tenancy import tenant_context
from tenants.models import Role

pytestmark = pytest.mark.django_db
DEDUCTIONS = {"opened": "10", "damaged": "50"}


def set_deductions(tenant, deductions=DEDUCTIONS):
    with tenant_context(tenant):
        return_policy_update(changes={"condition_deductions": deductions}, actor=STAFF)


def approved_return(tenant, resolution="refund"):
    with tenant_context(tenant):
        return inspected_return(resolution=resolution, inspect=False)


def receipt(api, rma, lines, inspected=True):
    return api.post(
        f"/api/v1/returns/{rma}/receipt/", {"lines": lines, "inspected": inspected}, format="json"
    )


def api_lines(api, rma):
    return {line["sku"]: line for line in api.get(f"/api/v1/returns/{rma}/").json()["lines"]}


def test_receipt_prefills_the_policy_deduction_and_resolution_pays_the_accepted_amounts(
    api, tenant
):
    set_deductions(tenant)
    return_request = approved_return(tenant)
    rma = return_request.rma
    lines = api_lines(api, rma)
    response = receipt(
        api,
        rma,
        [
            # Two shirts, opened: 39.90 less 10 % = 35.91; jeans damaged: 69.95 less 50 %.
            {
                "line_id": lines["TSHIRT-M"]["id"],
                "received_quantity": 2,
                "condition": "opened",
                "disposition": "restock",
            },
            {
                "line_id": lines["JEANS-32"]["id"],
                "received_quantity": 1,
                "condition": "damaged",
                "disposition": "refurbish",
            },
        ],
    )
    assert response.status_code == 200, response.json()
    booked = {line["sku"]: line for line in response.json()["lines"]}
    assert booked["TSHIRT-M"]["accepted_amount"] == "35.91"
    assert booked["JEANS-32"]["accepted_amount"] == "34.98"

    resolved = api.post(f"/api/v1/returns/{rma}/resolution/", {}, format="json")
    assert resolved.status_code == 200, resolved.json()
    body = api.get(f"/api/v1/returns/{rma}/resolution/").json()
    # 35.91 + 34.98 = 70.89 accepted, less the drop-off cost, plus the delivery cost
    # when the whole order came back (the preview's rules on the accepted amounts).
    assert body["calculation"]["subtotal"] == "70.89"
    expected = (
        Decimal("70.89")
        - Decimal(body["calculation"]["return_cost"])
        + Decimal(body["calculation"]["delivery_cost_refund"])
    )
    assert body["amount"] == str(expected)
    assert [
        (row["sku"], row["condition"], row["paid"], row["deducted"], row["amount"])
        for row in body["lines"]
    ] == [
        ("TSHIRT-M", "opened", "39.90", "3.99", "35.91"),
        ("JEANS-32", "damaged", "69.95", "34.97", "34.98"),
    ]
    with tenant_context(tenant):
        note = CreditNote.objects.get(return_rma=rma)
        assert note.total == expected
        goods = note.lines.filter(order_line__isnull=False)
        assert sum(line.total for line in goods) == Decimal("70.89")
        assert note.refunds.get().amount == expected


def test_another_amount_needs_a_reason_and_stays_within_the_paid_price(api, tenant):
    set_deductions(tenant)
    rma = approved_return(tenant).rma
    jeans = api_lines(api, rma)["JEANS-32"]
    line = {
        "line_id": jeans["id"],
        "received_quantity": 1,
        "condition": "opened",
        "disposition": "restock",
        "accepted_amount": "69.95",
    }
    refused = receipt(api, rma, [line], inspected=False)
    assert refused.status_code == 422
    assert refused.json()["code"] == "accepted_reason_required"
    assert refused.json()["field"] == "lines[0].accepted_reason"
    assert refused.json()["suggested"] == "62.96"
    too_high = receipt(api, rma, [{**line, "accepted_amount": "70.00", "accepted_reason": "x"}])
    assert too_high.json()["code"] == "accepted_amount_too_high"
    with tenant_context(tenant):
        untouched = ReturnLine.objects.get(pk=jeans["id"])
        assert (untouched.received_quantity, untouched.accepted_amount) == (None, None)

    accepted = receipt(api, rma, [{**line, "accepted_reason": "Only the label was cut"}])
    assert accepted.status_code == 200, accepted.json()
    booked = api_lines(api, rma)["JEANS-32"]
    assert (booked["accepted_amount"], booked["accepted_reason"]) == (
        "69.95",
        "Only the label was cut",
    )
    history = api.get(f"/api/v1/returns/{rma}/history/").json()
    receipt_event = next(event for event in history if event["action"] == "return.receipt")
    assert receipt_event["data"]["lines"][0]["accepted_reason"] == "Only the label was cut"


def test_policy_refuses_unknown_conditions_and_percentages_above_100(api, tenant):
    from returns_platform.errors import DomainError

    with tenant_context(tenant):
        for bad in ({"broken": "10"}, {"opened": "101"}, {"opened": "ten"}):
            with pytest.raises(DomainError) as problem:
                return_policy_update(changes={"condition_deductions": bad}, actor=STAFF)
            assert problem.value.code == "invalid_policy"
        assert return_policy_get().condition_deductions == {}


def test_back_office_settings_receipt_and_resolve_screen(tenant):
    staff = client_for(add_staff(tenant, "owner@acme.example", Role.ADMIN))
    saved = staff.post(
        "/backoffice/settings/cases/",
        {"deduction_opened": "10", "deduction_damaged": "50", "window_days_business": "0"},
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert saved["Location"] == "/backoffice/settings/cases/"
    with tenant_context(tenant):
        policy = ReturnPolicy.objects.get()
        assert policy.condition_deductions == {"opened": "10.00", "damaged": "50.00"}
    rejected = staff.post(
        "/backoffice/settings/cases/", {"deduction_opened": "120", "window_days_business": "0"}
    )
    assert rejected.status_code == 422

    return_request = approved_return(tenant)
    rma = return_request.rma
    with tenant_context(tenant):
        shirts, jeans = list(return_request.lines.order_by("id"))
    page = staff.get(f"/backoffice/warehouse/{rma}/")
    assert "Accepted amount" in page.content.decode()
    form = {
        f"line-{shirts.pk}-received_quantity": "2",
        f"line-{shirts.pk}-condition": "opened",
        f"line-{shirts.pk}-disposition": "restock",
        f"line-{jeans.pk}-received_quantity": "1",
        f"line-{jeans.pk}-condition": "damaged",
        f"line-{jeans.pk}-disposition": "dispose",
        f"line-{jeans.pk}-accepted_amount": "20.00",
        "inspect": "1",
    }
    missing_reason = staff.post(f"/backoffice/warehouse/{rma}/", form)
    assert missing_reason.status_code == 422
    assert "give a reason" in missing_reason.content.decode()
    form[f"line-{jeans.pk}-accepted_reason"] = "Zip broken"
    booked = staff.post(f"/backoffice/warehouse/{rma}/", form)
    assert booked.status_code == 302
    with tenant_context(tenant):
        shirts.refresh_from_db()
        jeans.refresh_from_db()
    assert (shirts.accepted_amount, shirts.accepted_reason) == (Decimal("35.91"), "")
    assert (jeans.accepted_amount, jeans.accepted_reason) == (Decimal("20.00"), "Zip broken")

    screen = staff.get(f"/backoffice/credits/returns/{rma}/resolve/")
    html = screen.content.decode()
    assert screen.status_code == 200
    assert "Zip broken" in html and "-49.95" in html and "-3.99" in html
    staff.post(f"/backoffice/credits/returns/{rma}/resolve/", {"provider": "manual"})
    with tenant_context(tenant):
        resolution = ReturnResolution.objects.get(rma=rma)
    assert Decimal(resolution.calculation["subtotal"]) == Decimal("55.91")
