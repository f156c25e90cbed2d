"""The status page: timeline, label, withdrawal and the message thread with the shop."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conversations.services import conversation_post
from returns.models import ReturnRequest
from returns.workflow import return_transition
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from testing.images import photo_bytes
from testing.returns import file_return


@pytest.fixture
def filed(tenant, order, django_capture_on_commit_callbacks):
    from returns.labels import label_queue

    with tenant_context(tenant), django_capture_on_commit_callbacks(execute=True):
        created = file_return(order, actor=Actor.consumer(order.email), language="de")
        label_queue(return_request=created)
    with tenant_context(tenant):
        return ReturnRequest.objects.get(pk=created.pk), created.access_token()


def test_status_page_shows_status_timeline_and_label_in_the_requests_language(client, filed):
    created, token = filed
    page = client.get(f"/r/acme/s/{token}/").content.decode()
    assert created.rma in page
    assert "Angefragt" in page  # status "requested" in German
    assert "Rücksendeetikett bereit" in page  # timeline: label ready
    assert f"/r/acme/s/{token}/label.pdf" in page
    assert "Diese Rücksendung zurückziehen" in page


def test_the_label_state_fragment_for_htmx(client, filed):
    _created, token = filed
    fragment = client.get(f"/r/acme/s/{token}/label/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="label-state"')
    assert "label.pdf" in fragment and "hx-get" not in fragment


def test_the_consumer_withdraws_a_requested_return(client, tenant, filed):
    created, token = filed
    response = client.post(f"/r/acme/s/{token}/withdraw/")
    assert response.status_code == 302
    with tenant_context(tenant):
        assert ReturnRequest.objects.get(pk=created.pk).status == "cancelled"
    page = client.get(f"/r/acme/s/{token}/").content.decode()
    assert "Storniert" in page and "zurückziehen" not in page


def test_an_approved_return_can_no_longer_be_withdrawn(client, tenant, filed):
    created, token = filed
    with tenant_context(tenant):
        return_transition(return_request=created, to="approved", actor=Actor.system("test"))
    assert "zurückziehen" not in client.get(f"/r/acme/s/{token}/").content.decode()
    client.post(f"/r/acme/s/{token}/withdraw/")
    with tenant_context(tenant):
        assert ReturnRequest.objects.get(pk=created.pk).status == "approved"


def test_the_consumer_reads_and_replies_to_the_shop_with_a_file(client, tenant, filed):
    created, token = filed
    with tenant_context(tenant):
        conversation_post(
            return_request=created, body="Could you send a photo?", actor=Actor.system("staff")
        )
        conversation_post(
            return_request=created,
            body="Internal: customer returns a lot",
            actor=Actor.system("staff"),
            is_internal=True,
        )
    page = client.get(f"/r/acme/s/{token}/").content.decode()
    assert "Could you send a photo?" in page
    assert "Internal: customer returns a lot" not in page
    response = client.post(
        f"/r/acme/s/{token}/messages/",
        {
            "body": "Here it is.",
            "attachments": [SimpleUploadedFile("tag.png", photo_bytes("PNG"), "image/png")],
        },
    )
    assert response.status_code == 302
    page = client.get(f"/r/acme/s/{token}/").content.decode()
    assert "Here it is." in page and "tag.png" in page
    with tenant_context(tenant):
        from conversations.selectors import conversation_thread

        thread = conversation_thread(return_request=created, include_internal=False)
    attachment = thread[-1].attachments.all()[0]
    download = client.get(f"/r/acme/s/{token}/files/{attachment.id}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")


def test_an_internal_notes_file_is_not_served_to_the_consumer(client, tenant, filed):
    created, token = filed
    with tenant_context(tenant):
        note = conversation_post(
            return_request=created,
            body="Internal",
            actor=Actor.system("staff"),
            is_internal=True,
            attachments=[SimpleUploadedFile("x.png", photo_bytes("PNG"), "image/png")],
        )
        attachment_id = note.attachments.all()[0].id
    assert client.get(f"/r/acme/s/{token}/files/{attachment_id}/").status_code == 404


def test_an_empty_reply_is_refused_politely(client, tenant, filed):
    _created, token = filed
    response = client.post(f"/r/acme/s/{token}/messages/", {"body": ""}, follow=True)
    assert "Bitte schreiben Sie zuerst eine Nachricht." in response.content.decode()
