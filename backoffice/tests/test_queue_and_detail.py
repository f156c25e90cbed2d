"""The queue (filters, search, sort, pages, bulk actions) and the request detail page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conversations.selectors import conversation_thread
from conversations.services import conversation_post
from returns.models import ReturnRequest
from returns.workflow import return_transition
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants.models import SalesChannel
from testing.backoffice_access import photo_bytes
from testing.orders import make_order
from testing.returns import file_return as file_request
from testing.returns import reload
from testing.staff import TEST_ACTOR, client_for

pytestmark = pytest.mark.django_db


def rmas(response) -> list[str]:
    return [rr.rma for rr in response.context["requests"]]


@pytest.fixture
def queue_shop(tenant, agent, colleague):
    """Five requests: two concept, one complaint via the web shop, one assigned to agent."""
    with tenant_context(tenant):
        assert SalesChannel.objects.filter(code="webshop").exists()  # every shop has it
        orders = [make_order(str(2000 + index)) for index in range(5)]
        made = [file_request(order) for order in orders[:3]]
        made.append(file_request(orders[3], case_type="complaint"))
        made.append(file_request(orders[4]))
        for return_request in made[:2]:
            return_transition(return_request=return_request, to="concept", actor=TEST_ACTOR)
        ReturnRequest.objects.filter(pk=made[4].pk).update(
            assignee=agent,
            email="zoe@example.nl",
            created_at=timezone.now() - timezone.timedelta(days=10),
        )
        type(orders[3]).objects.filter(pk=orders[3].pk).update(shipping_name="Henk Complaint")
    return made


def test_queue_filters_search_and_sort(queue_shop, agent):
    client = client_for(agent)
    assert rmas(client.get("/backoffice/queue/")) == [
        "R-000005",
        "R-000001",
        "R-000002",
        "R-000003",
        "R-000004",
    ]
    assert rmas(client.get("/backoffice/queue/?status=concept")) == ["R-000001", "R-000002"]
    assert rmas(client.get("/backoffice/queue/?case_type=complaint")) == ["R-000004"]
    assert rmas(client.get("/backoffice/queue/?assignee=me")) == ["R-000005"]
    assert len(rmas(client.get("/backoffice/queue/?assignee=none"))) == 4
    assert rmas(client.get("/backoffice/queue/?reason=too_small&sort=-rma"))[0] == "R-000005"
    assert rmas(client.get("/backoffice/queue/?q=r-000003")) == ["R-000003"]
    assert rmas(client.get("/backoffice/queue/?q=3")) == ["R-000003"]
    assert rmas(client.get("/backoffice/queue/?q=2001")) == ["R-000002"]
    assert rmas(client.get("/backoffice/queue/?q=ZOE@example.nl")) == ["R-000005"]
    assert rmas(client.get("/backoffice/queue/?q=henk")) == ["R-000004"]
    today = timezone.localdate()
    recent = client.get(f"/backoffice/queue/?created_from={today}&created_to={today}")
    assert "R-000005" not in rmas(recent) and len(rmas(recent)) == 4
    old = client.get(f"/backoffice/queue/?created_to={today - timezone.timedelta(days=5)}")
    assert rmas(old) == ["R-000005"]


def test_bad_filters_are_field_errors_not_failures(queue_shop, agent):
    client = client_for(agent)
    response = client.get(
        "/backoffice/queue/?status=nonsense&created_from=yesterday&per_page=7&sort=x&page=99"
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"status", "created_from", "per_page", "sort"} <= set(form.errors)
    assert len(rmas(response)) == 5  # the bad filters are ignored, page 99 is the last page


def test_pagination(queue_shop, agent):
    client = client_for(agent)
    with tenant_context(queue_shop[0].tenant):
        for index in range(30):
            file_request(make_order(str(3000 + index)))
    first = client.get("/backoffice/queue/?sort=rma")
    assert len(rmas(first)) == 25 and first.context["page"].paginator.count == 35
    second = client.get("/backoffice/queue/?sort=rma&page=2")
    assert rmas(second)[0] == "R-000026" and len(rmas(second)) == 10
    assert len(rmas(client.get("/backoffice/queue/?per_page=50"))) == 35


def test_htmx_queue_answers_the_partial(queue_shop, agent):
    response = client_for(agent).get("/backoffice/queue/?status=concept", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="queue">')
    assert "<html" not in body


def test_bulk_approve_from_concept_updates_counts(queue_shop, agent):
    client = client_for(agent)
    response = client.post(
        "/backoffice/queue/bulk/",
        {"action": "approved", "selected": ["R-000001", "R-000002"], "query": "status=concept"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.context["counts"]["approved"] == 2
    assert response.context["counts"]["concept"] == 0
    assert rmas(response) == []  # still filtered on concept: nothing left
    assert "2 requests done: R-000001, R-000002." in response.content.decode()
    assert {reload(rr.tenant, rr).status for rr in queue_shop[:2]} == {"approved"}


def test_bulk_refuses_per_row_and_goes_on(queue_shop, agent, colleague):
    with tenant_context(queue_shop[0].tenant):
        return_transition(
            return_request=queue_shop[2], to="on_hold", actor=Actor.staff(colleague), user=colleague
        )
    response = client_for(agent).post(
        "/backoffice/queue/bulk/",
        {"action": "concept", "selected": ["R-000003", "R-000004"]},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "R-000003 refused: R-000003 is on hold by colleague@acme.example" in body
    assert reload(queue_shop[2].tenant, queue_shop[2]).status == "on_hold"
    assert reload(queue_shop[3].tenant, queue_shop[3]).status == "concept"


def test_bulk_assign_and_no_selection(queue_shop, agent, colleague):
    client = client_for(agent)
    client.post(
        "/backoffice/queue/bulk/",
        {"action": "assign", "assignee": str(colleague.pk), "selected": ["R-000001"]},
    )
    assert reload(queue_shop[0].tenant, queue_shop[0]).assignee == colleague
    response = client.post("/backoffice/queue/bulk/", {"action": "approved"}, follow=True)
    assert "Select requests first." in response.content.decode()


def test_detail_shows_the_case_and_exactly_the_allowed_buttons(shop, agent):
    with tenant_context(shop["tenant"]):
        complaint = file_request(make_order("1002"), case_type="complaint")
    client = client_for(agent)
    page = client.get(f"/backoffice/requests/{complaint.rma}/")
    body = page.content.decode()
    assert [target for target, _ in page.context["buttons"]] == [
        "concept",
        "approved",
        "on_hold",
        "cancelled",
    ]
    assert "A complaint without photos." not in body  # a complaint always has its photo
    assert "Jan Jansen" in body and "1002" in body
    assert page.context["preview"]["total"] in body.replace("\u202f", "")

    with tenant_context(shop["tenant"]):
        return_transition(return_request=complaint, to="approved", actor=TEST_ACTOR)
    page = client.get(f"/backoffice/requests/{complaint.rma}/")
    assert [target for target, _ in page.context["buttons"]] == ["label_created", "cancelled"]
    assert page.context["can_receive"]


def test_transition_cancel_needs_a_reason(shop, agent):
    client = client_for(agent)
    path = "/backoffice/requests/R-000001/"
    response = client.post(path + "transition/", {"to": "cancelled"}, follow=True)
    assert "Cancelling a return needs a reason." in response.content.decode()
    assert reload(shop["tenant"], shop["request"]).status == "requested"
    client.post(path + "transition/", {"to": "cancelled", "reason": "Duplicate"})
    assert reload(shop["tenant"], shop["request"]).status == "cancelled"
    refused = client.post(path + "transition/", {"to": "approved"}, follow=True)
    assert "cannot become Approved now" in refused.content.decode()


def test_hold_shows_the_holder_and_refuses_colleagues(shop, agent, colleague, admin_user):
    path = "/backoffice/requests/R-000001/"
    client_for(agent).post(path + "transition/", {"to": "on_hold"})
    assert reload(shop["tenant"], shop["request"]).held_by == agent

    other = client_for(colleague)
    page = other.get(path).content.decode()
    assert "On hold by agent@acme.example" in page
    for action, data in (
        ("transition/", {"to": "approved"}),
        ("free-return/", {"is_free_return": "on"}),
        ("assign/", {"assignee": str(colleague.pk)}),
    ):
        response = other.post(path + action, data, follow=True)
        assert "R-000001 is on hold by agent@acme.example" in response.content.decode()
    held = reload(shop["tenant"], shop["request"])
    assert (held.status, held.is_free_return, held.assignee) == ("on_hold", False, None)

    client_for(admin_user).post(path + "free-return/", {"is_free_return": "on"})
    assert reload(shop["tenant"], shop["request"]).is_free_return
    client_for(agent).post(path + "transition/", {"to": "requested"})
    released = reload(shop["tenant"], shop["request"])
    assert (released.status, released.held_by) == ("requested", None)


def test_free_return_switch_updates_the_preview(shop, agent):
    client = client_for(agent)
    before = reload(shop["tenant"], shop["request"]).refund_total
    client.post("/backoffice/requests/R-000001/free-return/", {"is_free_return": "on"})
    after = reload(shop["tenant"], shop["request"])
    assert after.is_free_return and after.refund_total == before + after.return_cost
    client.post("/backoffice/requests/R-000001/free-return/", {"is_free_return": ""})
    assert reload(shop["tenant"], shop["request"]).refund_total == before


def test_messages_and_internal_notes(shop, agent):
    client = client_for(agent)
    path = "/backoffice/requests/R-000001/"
    photo = SimpleUploadedFile("label.png", photo_bytes(), content_type="image/png")
    client.post(path + "messages/", {"body": "Please send it back", "attachments": [photo]})
    client.post(path + "messages/", {"body": "Customer called twice", "is_internal": "on"})
    empty = client.post(path + "messages/", {"body": "  "}, follow=True)
    assert "Message" in empty.content.decode()

    with tenant_context(shop["tenant"]):
        public = conversation_thread(return_request=shop["request"], include_internal=False)
        everything = conversation_thread(return_request=shop["request"], include_internal=True)
    assert [m.body for m in public] == ["Please send it back"]
    assert [m.body for m in everything] == ["Please send it back", "Customer called twice"]
    page = client.get(path).content.decode()
    assert "Customer called twice" in page and "internal note" in page
    file_id = public[0].attachments.all()[0].pk
    download = client.get(f"{path}messages/files/{file_id}/")
    assert download.status_code == 200 and download["Content-Type"] == "image/png"


def test_history_timeline_lists_the_case(shop, agent):
    client = client_for(agent)
    client.post("/backoffice/requests/R-000001/transition/", {"to": "concept"})
    history = client.get("/backoffice/requests/R-000001/").context["history"]
    assert [event.action for event in history] == ["return.requested", "return.concept"]
    assert history[-1].actor_label == "agent@acme.example"


def test_the_queue_shows_open_work_unless_asked_for_all(queue_shop, agent):
    with tenant_context(queue_shop[0].tenant):
        return_transition(
            return_request=queue_shop[4], to="cancelled", actor=TEST_ACTOR, reason="x"
        )
    client = client_for(agent)
    assert "R-000005" not in rmas(client.get("/backoffice/queue/"))
    assert "R-000005" in rmas(client.get("/backoffice/queue/?status="))
    assert rmas(client.get("/backoffice/queue/?status=cancelled")) == ["R-000005"]


def test_waiting_on_the_customer_or_on_the_shop(queue_shop, agent):
    """Asked by the shop -> waiting on the customer; answered -> back with the shop."""
    tenant = queue_shop[0].tenant
    client = client_for(agent)
    with tenant_context(tenant):
        return_transition(return_request=queue_shop[2], to="approved", actor=TEST_ACTOR)
        conversation_post(
            return_request=queue_shop[3], body="Photo please?", actor=Actor.staff(agent)
        )
        conversation_post(
            return_request=queue_shop[4], body="Note", actor=Actor.staff(agent), is_internal=True
        )
    assert rmas(client.get("/backoffice/queue/?waiting=customer")) == ["R-000003", "R-000004"]
    assert "R-000004" not in rmas(client.get("/backoffice/queue/?waiting=shop"))
    assert client.get("/backoffice/").context["summary"].waiting_on_customer == 2
    with tenant_context(tenant):
        conversation_post(
            return_request=queue_shop[3], body="Here it is", actor=Actor.consumer("jan@example.nl")
        )
    assert rmas(client.get("/backoffice/queue/?waiting=customer")) == ["R-000003"]
    assert "R-000004" in rmas(client.get("/backoffice/queue/?waiting=shop"))
