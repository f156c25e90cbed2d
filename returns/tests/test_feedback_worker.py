"""The feedback mail through Redis, a real Celery worker and a real SMTP server: once per
return, however often the periodic task runs."""

from __future__ import annotations

import email
import re
import time
from email.header import decode_header, make_header
from email.policy import default as default_policy

import pytest

from returns.models import FeedbackRequest, ReturnRequest
from returns.tasks import send_feedback_requests
from returns_platform.tenancy import tenant_context
from testing.notifications import smtp_server  # noqa: F401
from testing.returns import completed_return
from testing.workers import real_worker, wait_for  # noqa: F401

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# The order was placed in Dutch: so is the mail.
SUBJECT = "Hoe was je retour bij Acme?"


def feedback_mails(inbox) -> list:
    found = []
    for envelope in inbox.envelopes:
        parsed = email.message_from_bytes(envelope.original_content, policy=default_policy)
        if str(make_header(decode_header(parsed["Subject"]))) == SUBJECT:
            found.append(parsed)
    return found


def test_the_feedback_mail_goes_out_once_per_return(tenant, smtp_server, real_worker):  # noqa: F811
    due = completed_return(tenant, hours_ago=30, number="2001")
    recent = completed_return(tenant, hours_ago=1, number="2002")

    send_feedback_requests.delay()
    assert wait_for(lambda: len(feedback_mails(smtp_server)) == 1), "no feedback mail arrived"
    send_feedback_requests.delay()
    send_feedback_requests.delay()
    time.sleep(3)  # time for the worker to run both and for any second mail to arrive

    [mail] = feedback_mails(smtp_server)
    assert mail["To"] == due.email
    text = mail.get_body(preferencelist=("plain",)).get_content()
    # The link opens the return's own feedback page (the signed token names it).
    [token] = re.findall(rf"/r/{tenant.slug}/s/([^/\s]+)/feedback/", text)
    assert ReturnRequest.read_access_token(token) == (tenant.pk, due.rma)
    with tenant_context(tenant):
        assert list(FeedbackRequest.objects.values_list("request_id", flat=True)) == [due.pk]
        assert not FeedbackRequest.objects.filter(request=recent).exists()
