"""Feedback on a completed return: the invitation (once), the portal form (one answer,
changeable for 14 days), the API's ``feedback`` and the back office."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backoffice.tests.conftest import add_staff, client_for
from credits.tests.conftest import inspected_return
from returns.completion import return_complete
from returns.feedback import feedback_due, feedback_invite
from returns.models import Feedback, FeedbackRequest, ReturnRequest
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants.models import Role

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("test")


def completed_return(tenant, *, hours_ago: int = 30, number: str = "2001") -> ReturnRequest:
    with tenant_context(tenant):
        return_request = inspected_return(number=number, resolution="refund")
        return_complete(return_request=return_request, actor=SYSTEM)
        ReturnRequest.objects.filter(pk=return_request.pk).update(
            status_changed_at=timezone.now() - timedelta(hours=hours_ago)
        )
        return ReturnRequest.objects.select_related("order").get(pk=return_request.pk)


def names_the_feedback_page(text: str, tenant, return_request) -> bool:
    """The text links to this return's feedback page (tokens carry their signing second,
    so the link is compared by what its token says, not character by character)."""
    found = re.search(rf"/r/{tenant.slug}/s/([^/\s]+)/feedback/", text)
    return found is not None and ReturnRequest.read_access_token(found.group(1)) == (
        tenant.pk,
        return_request.rma,
    )


def feedback_path(tenant, return_request) -> str:
    return f"/r/{tenant.slug}/s/{return_request.access_token()}/feedback/"


def test_the_invitation_is_due_after_the_delay_and_sent_once(tenant, published):
    fresh = completed_return(tenant, hours_ago=2, number="2001")
    due = completed_return(tenant, hours_ago=30, number="2002")
    with tenant_context(tenant):
        assert feedback_due() == [due.pk]
        published.clear()
        assert feedback_invite(return_request_id=due.pk) is True
        assert feedback_invite(return_request_id=due.pk) is False
        assert feedback_due() == []
        assert FeedbackRequest.objects.filter(request=due).count() == 1
        assert not FeedbackRequest.objects.filter(request=fresh).exists()
    [event] = [e for e in published if e.name == "feedback.requested"]
    assert event.data["rma"] == due.rma and event.data["email"] == due.email
    assert names_the_feedback_page(event.data["feedback_path"], tenant, due)


def test_invitations_can_be_turned_off(tenant, settings):
    completed_return(tenant, hours_ago=100)
    settings.FEEDBACK_REQUEST_DELAY_HOURS = 0
    with tenant_context(tenant):
        assert feedback_due() == []


def test_the_invitation_mail_is_written_in_the_customers_language(tenant):
    from notifications.models import OutboxMessage

    due = completed_return(tenant)
    with tenant_context(tenant):
        ReturnRequest.objects.filter(pk=due.pk).update(language="nl")
        feedback_invite(return_request_id=due.pk)
        mail = OutboxMessage.objects.get(event="feedback.requested")
    assert mail.subject == "Hoe was je retour bij Acme?"
    assert names_the_feedback_page(mail.body_text, tenant, due)


def test_the_portal_form_stores_one_answer_and_lets_it_change(tenant):
    done = completed_return(tenant)
    client = Client()
    path = feedback_path(tenant, done)
    page = client.get(path)
    assert page.status_code == 200 and 'name="rating"' in page.content.decode()
    assert client.post(path, {"rating": "4", "comment": "Fine"}).status_code == 302
    assert client.post(path, {"rating": "5", "comment": "Even better"}).status_code == 302
    with tenant_context(tenant):
        answer = Feedback.objects.get()
    assert (answer.rating, answer.comment) == (5, "Even better")
    # The page speaks the return's language (Dutch for this order).
    assert "Bedankt voor je feedback." in client.get(path, follow=True).content.decode()


@pytest.mark.parametrize("rating", ["0", "6", "abc", ""])
def test_a_bad_rating_is_a_field_error(tenant, rating):
    done = completed_return(tenant)
    response = Client().post(feedback_path(tenant, done), {"rating": rating})
    assert response.status_code == 422
    assert 'class="error"' in response.content.decode()
    with tenant_context(tenant):
        assert not Feedback.objects.exists()


def test_after_14_days_the_answer_is_kept_as_it_was(tenant):
    done = completed_return(tenant)
    client = Client()
    path = feedback_path(tenant, done)
    client.post(path, {"rating": "2", "comment": "Slow"})
    with tenant_context(tenant):
        old = timezone.now() - timedelta(days=15)
        Feedback.objects.update(created_at=old, updated_at=old)
    page = client.get(path).content.decode()
    assert 'data-testid="feedback-closed"' in page and 'name="rating"' not in page
    assert client.post(path, {"rating": "5"}).status_code == 409
    with tenant_context(tenant):
        assert Feedback.objects.get().rating == 2


def test_an_open_return_takes_no_feedback(tenant):
    with tenant_context(tenant):
        open_return = inspected_return(number="2001")
    response = Client().post(feedback_path(tenant, open_return), {"rating": "5"})
    assert response.status_code == 409
    with tenant_context(tenant):
        assert not Feedback.objects.exists()


def test_another_shops_token_is_404(tenant, other_tenant):
    done = completed_return(tenant)
    wrong_shop = f"/r/{other_tenant.slug}/s/{done.access_token()}/feedback/"
    assert Client().post(wrong_shop, {"rating": "5"}).status_code == 404
    assert Client().get(f"/r/{tenant.slug}/s/forged/feedback/").status_code == 404
    with tenant_context(tenant):
        assert not Feedback.objects.exists()


def test_the_answer_shows_in_the_api_and_the_back_office(tenant, api):
    done = completed_return(tenant)
    assert api.get(f"/api/v1/returns/{done.rma}/").json()["feedback"] is None
    Client().post(feedback_path(tenant, done), {"rating": "3", "comment": "Okay-ish"})
    feedback = api.get(f"/api/v1/returns/{done.rma}/").json()["feedback"]
    assert feedback["rating"] == 3 and feedback["comment"] == "Okay-ish"
    assert set(feedback) == {"rating", "comment", "language", "created_at", "updated_at"}
    agent = add_staff(tenant, "agent@acme.example", Role.AGENT)
    page = client_for(agent).get(f"/backoffice/requests/{done.rma}/").content.decode()
    assert 'data-testid="feedback"' in page and "Okay-ish" in page and "3 out of 5" in page
