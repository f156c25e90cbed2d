"""Creating, receiving, waiving, withdrawing and reassigning returns (service level)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image

from returns import services
from returns.models import Attachment, ReturnLine, ReturnPolicy, ReturnReason, ReturnRequest
from returns.selectors import return_policy_get
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.models import AuditEvent, DocumentCounter
from returns_platform.tenancy import tenant_context
from tenants.models import ChannelKind, Role, SalesChannel
from tenants.services import membership_set, user_get_or_create
from testing.orders import create_order
from testing.returns import file_return
from testing.staff import TEST_ACTOR


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def counts() -> tuple[int, int, int, int]:
    return (
        ReturnRequest.objects.count(),
        ReturnLine.objects.count(),
        AuditEvent.objects.count(),
        DocumentCounter.objects.filter(series="rma").values_list("value", flat=True).first() or 0,
    )


# --- defaults ---------------------------------------------------------------------------


def test_new_tenant_gets_policy_and_default_reasons(in_tenant):
    policy = ReturnPolicy.objects.get()
    assert (policy.window_days_return, policy.window_days_complaint) == (14, 730)
    assert policy.window_days_missing_item == 30
    codes = list(ReturnReason.objects.values_list("code", flat=True))
    assert codes == [
        "too_small",
        "too_large",
        "not_as_described",
        "damaged_in_transit",
        "defective",
        "wrong_item",
        "changed_mind",
        "arrived_too_late",
        "other",
    ]
    assert ReturnReason.objects.get(code="too_small").label("de") == "Zu klein"


def test_older_tenants_get_the_defaults_lazily(in_tenant):
    ReturnReason.objects.all().delete()
    ReturnPolicy.objects.all().delete()
    policy = return_policy_get()
    assert policy.pk and ReturnReason.objects.count() == 9
    assert return_policy_get().pk == policy.pk


# --- creating ---------------------------------------------------------------------------


def test_create_numbers_judges_previews_and_announces(order, published):
    first = file_return(order, quantities=[1])
    second = file_return(order, quantities=[1, 1])
    assert (first.rma, second.rma) == ("R-000001", "R-000002")
    assert first.status == "requested"
    assert first.policy_snapshot["window_days"]["return"] == 14
    assert {v["outcome"] for v in first.verdicts} == {"ok"}
    assert first.refund_preview["total"] == "15.00"
    assert first.return_cost == Decimal("4.95")
    # The second request returns every remaining unit: delivery cost comes back too.
    assert second.refund_preview["full_withdrawal"] is True
    assert second.refund_preview["delivery_cost_refund"] == "4.95"
    assert second.refund_total == Decimal("89.90")  # 19.95 + 69.95 - 4.95 + 4.95
    event = AuditEvent.objects.get(action="return.requested", subject_id="R-000001")
    assert event.order_number == "1001"
    assert event.data["lines"][0]["quantity"] == 1
    assert [e.name for e in published] == ["return.requested", "return.requested"]
    data = published[0].data
    assert set(data) == {
        "rma",
        "order_number",
        "email",
        "language",
        "customer_name",
        "status",
        "from",
        "reason",
        "case_type",
        "method",
        "needs_parcel",
        "resolution",
        "refund_total",
        "currency",
        "assignee_email",
        "status_path",
        "auto_approved",
    }
    assert data["auto_approved"] is False  # the default policy reviews every request
    assert (data["rma"], data["status"], data["customer_name"]) == (
        "R-000001",
        "requested",
        "Jan Jansen",
    )
    assert data["status_path"].startswith("/r/acme/s/")
    token = data["status_path"].split("/")[4]
    assert ReturnRequest.read_access_token(token) == (first.tenant_id, "R-000001")
    assert ReturnRequest.read_access_token(token + "x") is None


def test_policy_edits_do_not_change_old_requests(order):
    return_request = file_return(order)
    ReturnPolicy.objects.update(window_days_return=60, store_credit_bonus_percent=Decimal("10"))
    return_request.refresh_from_db()
    assert return_request.policy_snapshot["window_days"]["return"] == 14
    assert return_request.policy_snapshot["store_credit_bonus_percent"] == "0.00"


def test_assigned_to_the_channel_consultant(in_tenant, recent_dates):
    consultant = user_get_or_create(email="consultant@acme.example")
    membership_set(user=consultant, role=Role.AGENT, actor=TEST_ACTOR)
    SalesChannel.objects.update_or_create(
        code="webshop", defaults={"kind": ChannelKind.WEBSHOP, "consultant": consultant}
    )
    order = create_order("2001", channel="webshop", **recent_dates)
    return_request = file_return(order)
    assert return_request.assignee == consultant
    assert return_request.channel.code == "webshop"


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"quantity": 0}, "quantity_exceeds_remaining", "lines[0].quantity"),
        ({"quantity": 3}, "quantity_exceeds_remaining", "lines[0].quantity"),
        ({"reason_code": "bored"}, "unknown_reason", "lines[0].reason"),
        ({"order_line": 999_999}, "line_not_in_order", "lines[0].order_line"),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(order, change, code, field):
    line = order.lines.first()
    before = counts()
    with pytest.raises(DomainError) as error:
        services.return_request_create(
            order=order,
            case_type="return",
            resolution="refund",
            method="drop_off",
            lines=[{"order_line": line.pk, "quantity": 1, "reason_code": "too_small", **change}],
            actor=TEST_ACTOR,
        )
    assert (error.value.code, error.value.field, error.value.status) == (code, field, 422)
    assert counts() == before


def test_a_line_of_another_order_is_refused(order, recent_dates):
    other = create_order("1002", **recent_dates)
    with pytest.raises(DomainError) as error:
        services.return_request_create(
            order=order,
            case_type="return",
            resolution="refund",
            method="drop_off",
            lines=[{"order_line": other.lines.first().pk, "quantity": 1, "reason_code": "other"}],
            actor=TEST_ACTOR,
        )
    assert error.value.code == "line_not_in_order"


def test_method_and_resolution_must_be_offered(order):
    ReturnPolicy.objects.update(
        methods={"drop_off": {"BE": "5.95"}}, resolutions=["refund", "store_credit"]
    )
    before = counts()
    with pytest.raises(DomainError) as error:
        file_return(order, method="drop_off")  # NL has no price: not offered there
    assert error.value.code == "method_not_offered"
    ReturnPolicy.objects.update(methods={"drop_off": {"default": "4.95"}})
    with pytest.raises(DomainError) as error:
        file_return(order, resolution="exchange")
    assert error.value.code == "resolution_not_offered"
    assert counts() == before


def test_blocked_line_names_index_and_reason(in_tenant, recent_dates):
    order = create_order("3001", **recent_dates)
    ReturnPolicy.objects.update(non_returnable_categories=["trousers"])
    with pytest.raises(DomainError) as error:
        file_return(order, quantities=[1, 1])
    body = error.value.as_dict()
    assert body["code"] == "line_blocked"
    assert body["line"] == 1 and body["field"] == "lines[1]"
    assert body["reason"] == "Line 2: items in category trousers cannot be returned."


def test_blocked_country(order):
    ReturnPolicy.objects.update(blocked_countries=["NL"])
    with pytest.raises(DomainError) as error:
        file_return(order)
    assert error.value.code == "country_blocked"


def test_cancelled_requests_give_their_quantity_back(order):
    first = file_return(order, quantities=[2])
    with pytest.raises(DomainError):
        file_return(order, quantities=[1])
    from returns.workflow import return_transition

    return_transition(return_request=first, to="cancelled", actor=TEST_ACTOR, reason="mistake")
    assert file_return(order, quantities=[2]).status == "requested"


# --- warnings and auto-approve ------------------------------------------------------------


def codes(return_request) -> list[str]:
    return [warning["code"] for warning in return_request.warnings]


def test_warnings(in_tenant, recent_dates):
    ReturnPolicy.objects.update(high_value_threshold=Decimal("50.00"), repeat_returner_threshold=3)
    order = create_order("4001", **recent_dates)
    assert codes(file_return(order, quantities=[1])) == []
    assert codes(file_return(order, quantities=[0, 1])) == ["high_value"]  # 69.95 > 50
    assert codes(file_return(order, quantities=[1], resolution="exchange")) == [
        "free_exchange",
        "repeat_returner",
    ]
    old = create_order(
        "4002",
        email="piet@example.nl",
        placed_at="2026-01-01T10:00:00Z",
        shipped_at="2026-01-02T10:00:00Z",
        delivered_at="2026-01-03T10:00:00Z",
    )
    late = file_return(old, case_type="complaint")  # within the warranty, with its photo
    assert codes(late) == []
    late_return = file_return(old, quantities=[1])
    assert codes(late_return) == ["outside_window"]
    assert late_return.verdicts[0]["outcome"] == "review"
    undated = create_order("4003", email="kim@example.nl", shipped_at=None, delivered_at=None)
    assert codes(file_return(undated)) == ["no_delivery_date"]


def test_complaint_with_photo_stores_a_reencoded_attachment(order):
    return_request = file_return(
        order,
        case_type="complaint",
        attachments=[{"name": "broken.jpg", "file": jpeg_bytes(), "line": 0}],
    )
    assert codes(return_request) == []
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/jpeg" and attachment.size > 0
    assert attachment.line == return_request.lines.first()
    assert "broken" not in attachment.file.name
    assert return_request.is_free_return is True  # the shop pays for its own faults


def test_fake_upload_is_refused_and_nothing_is_written(order):
    before = counts()
    with pytest.raises(DomainError) as error:
        file_return(
            order,
            case_type="complaint",
            attachments=[{"name": "photo.jpg", "file": b"<?php echo 1; ?>"}],
        )
    assert error.value.code == "invalid_attachment"
    assert counts() == before and Attachment.objects.count() == 0


def test_auto_approve_only_when_everything_is_ok(order, published):
    ReturnPolicy.objects.update(auto_approve=True)
    approved = file_return(order, quantities=[1])
    approved.refresh_from_db()
    assert approved.status == "approved"
    event = AuditEvent.objects.filter(subject_id=approved.rma).order_by("-sequence").first()
    assert (event.action, event.actor_kind, event.actor_label) == (
        "return.approved",
        "system",
        "auto_approve",
    )
    assert [e.name for e in published] == ["return.requested", "return.approved"]
    warned = file_return(order, quantities=[1], resolution="exchange")  # free exchange warning
    warned.refresh_from_db()
    assert warned.status == "requested"


# --- after creation ----------------------------------------------------------------------


def approved_return(order, **kwargs):
    from returns.workflow import return_transition

    return_request = file_return(order, **kwargs)
    return_transition(return_request=return_request, to="approved", actor=TEST_ACTOR)
    return return_request


def test_partial_receipt_then_inspection(order, published):
    return_request = approved_return(order, quantities=[2, 1])
    first, second = return_request.lines.all()
    services.return_receive(
        return_request=return_request,
        lines=[
            {
                "line_id": first.pk,
                "received_quantity": 1,
                "condition": "as_new",
                "disposition": "restock",
            }
        ],
        actor=TEST_ACTOR,
    )
    return_request.refresh_from_db()
    first.refresh_from_db()
    assert return_request.status == "received"
    assert (first.received_quantity, first.accepted_amount) == (1, Decimal("19.95"))
    receipt = AuditEvent.objects.get(action="return.receipt")
    assert receipt.data["state"] == "partial"

    services.return_receive(
        return_request=return_request,
        lines=[
            {
                "line_id": second.pk,
                "received_quantity": 1,
                "condition": "damaged",
                "disposition": "dispose",
                "accepted_amount": Decimal("30.00"),
                "accepted_reason": "Scratched front",
            }
        ],
        actor=TEST_ACTOR,
        complete_inspection=True,
    )
    return_request.refresh_from_db()
    second.refresh_from_db()
    assert return_request.status == "inspected"
    assert (second.condition, second.accepted_amount) == ("damaged", Decimal("30.00"))
    names = [e.name for e in published]
    assert names.count("return.received") == 1 and names[-1] == "return.inspected"


def test_receipt_refuses_bad_lines_and_statuses(order, recent_dates):
    return_request = file_return(order)
    line = return_request.lines.get()
    with pytest.raises(DomainError) as error:
        services.return_receive(
            return_request=return_request,
            lines=[
                {
                    "line_id": line.pk,
                    "received_quantity": 1,
                    "condition": "as_new",
                    "disposition": "restock",
                }
            ],
            actor=TEST_ACTOR,
        )
    assert (error.value.code, error.value.status) == ("not_receivable", 409)
    approved = approved_return(create_order("1002", **recent_dates))
    other_line = approved.lines.get()
    cases = [
        ({"line_id": line.pk, "received_quantity": 1}, "line_not_in_return"),
        ({"line_id": other_line.pk, "received_quantity": 2}, "received_quantity_exceeds"),
        (
            {"line_id": other_line.pk, "received_quantity": 1, "accepted_amount": Decimal("99")},
            "accepted_amount_too_high",
        ),
    ]
    for values, code in cases:
        with pytest.raises(DomainError) as error:
            services.return_receive(
                return_request=approved,
                lines=[{"condition": "as_new", "disposition": "restock", **values}],
                actor=TEST_ACTOR,
            )
        assert error.value.code == code
    approved.refresh_from_db()
    assert approved.status == "approved"
    assert not AuditEvent.objects.filter(action="return.receipt").exists()


def test_missing_item_completes_without_a_parcel(order):
    from returns.workflow import return_transition

    return_request = approved_return(order, case_type="missing_item")
    return_transition(return_request=return_request, to="completed", actor=TEST_ACTOR)
    return_request.refresh_from_db()
    assert return_request.status == "completed"


def test_set_free_recomputes_the_preview_and_is_audited(order, published):
    return_request = file_return(order, quantities=[1])
    assert return_request.refund_total == Decimal("15.00")
    services.return_set_free(return_request=return_request, is_free=True, actor=TEST_ACTOR)
    return_request.refresh_from_db()
    assert return_request.is_free_return is True
    assert return_request.refund_total == Decimal("19.95")
    assert return_request.refund_preview["return_cost"] == "0.00"
    event = AuditEvent.objects.get(action="return.free_return_set")
    assert event.data["is_free_return"] is True and event.data["total"] == "19.95"
    assert published[-1].name == "return.free_return_set"


def test_consumer_withdraws_only_an_untouched_request(order):
    from returns.workflow import return_transition

    return_request = file_return(order)
    services.return_withdraw(return_request=return_request, actor=Actor.consumer("jan@example.nl"))
    return_request.refresh_from_db()
    assert return_request.status == "cancelled"
    event = AuditEvent.objects.filter(subject_id=return_request.rma).order_by("-sequence")[0]
    assert (event.action, event.actor_kind) == ("return.cancelled", "consumer")
    assert event.data["reason"] == services.WITHDRAWN

    second = file_return(order)
    return_transition(return_request=second, to="concept", actor=TEST_ACTOR)
    with pytest.raises(DomainError) as error:
        services.return_withdraw(return_request=second, actor=Actor.consumer("jan@example.nl"))
    assert (error.value.code, error.value.status) == ("not_withdrawable", 409)


def test_reassign_is_audited_and_needs_a_member(tenant, order, other_tenant):
    agent = user_get_or_create(email="agent@acme.example")
    membership_set(user=agent, role=Role.AGENT, actor=TEST_ACTOR)
    return_request = file_return(order)
    services.return_reassign(return_request=return_request, assignee=agent, actor=TEST_ACTOR)
    return_request.refresh_from_db()
    assert return_request.assignee == agent
    event = AuditEvent.objects.get(action="return.reassigned")
    assert event.data == {"from": "", "to": "agent@acme.example"}
    stranger = user_get_or_create(email="admin@globex.example")
    with pytest.raises(DomainError) as error:
        services.return_reassign(return_request=return_request, assignee=stranger, actor=TEST_ACTOR)
    assert error.value.code == "not_a_member"
    with tenant_context(tenant):
        return_request.refresh_from_db()
        assert return_request.assignee == agent


def test_requests_are_recent_for_repeat_count(order):
    file_return(order)
    ReturnRequest.objects.update(created_at=timezone.now() - timezone.timedelta(days=91))
    from returns.selectors import recent_request_count

    assert recent_request_count(email="jan@example.nl") == 0


def test_status_page_token_finds_the_request_in_its_own_shop_only(tenant, order, other_tenant):
    from django.http import Http404

    from returns.selectors import return_get_by_access_token

    return_request = file_return(order)
    token = return_request.access_token()
    assert return_get_by_access_token(token=token).pk == return_request.pk
    with pytest.raises(Http404):
        return_get_by_access_token(token=token[:-2] + "xx")
    with tenant_context(other_tenant), pytest.raises(Http404):
        return_get_by_access_token(token=token)
