"""The thread of a return: customer and staff messages, internal notes, files, isolation."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conversations.models import Message, MessageAttachment
from conversations.selectors import conversation_attachment_get, conversation_thread
from conversations.services import conversation_post
from returns_platform.audit import Actor
from returns_platform.errors import DomainError, NotFoundError
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.orders import create_order
from testing.returns import file_return

pytestmark = pytest.mark.django_db


def photo(name="damage.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", (20, 20), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera maker: metadata that must not survive
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def staff_user(tenant):
    return get_user_model().objects.create_user("agent@acme.example", password="x")


@pytest.fixture
def case(order):
    return file_return(order)


def test_customer_message_with_photo_is_stored_audited_and_announced(case, published):
    message = conversation_post(
        return_request=case,
        body="  The seam was torn when it arrived.  ",
        actor=Actor.consumer(case.email),
        attachments=[photo()],
    )
    assert message.author_kind == "consumer"
    assert message.body == "The seam was torn when it arrived."
    [attachment] = message.attachments.all()
    assert attachment.original_name == "damage.jpg"
    assert attachment.content_type == "image/jpeg"
    assert attachment.file.name.startswith(f"messages/{case.tenant_id}/")
    assert "damage" not in attachment.file.name  # random stored names
    stored = Image.open(attachment.file.open("rb"))
    assert 0x010F not in stored.getexif()  # re-encoded: metadata gone
    assert AuditEvent.objects.filter(action="return.customer_message", subject_id=case.rma).exists()
    [event] = [e for e in published if e.name.startswith("return.") and "message" in e.name]
    assert event.name == "return.customer_message"
    assert event.data["excerpt"] == "The seam was torn when it arrived."
    assert event.data["rma"] == case.rma


def test_staff_reply_is_mailed_event_and_internal_note_is_not(case, staff_user, published):
    conversation_post(
        return_request=case,
        body="Could you send a photo?",
        actor=Actor.staff(staff_user),
        author=staff_user,
    )
    conversation_post(
        return_request=case,
        body="Customer known for late returns.",
        actor=Actor.staff(staff_user),
        author=staff_user,
        is_internal=True,
    )
    names = [e.name for e in published if "message" in e.name]
    assert names == ["return.message"]
    assert AuditEvent.objects.filter(action="return.note_added").count() == 1

    customer_view = conversation_thread(return_request=case, include_internal=False)
    staff_view = conversation_thread(return_request=case, include_internal=True)
    assert [m.body for m in customer_view] == ["Could you send a photo?"]
    assert [m.is_internal for m in staff_view] == [False, True]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"body": "   "}, "empty_message"),
        ({"body": "x" * 5001}, "message_too_long"),
        ({"body": "hi", "is_internal": True}, "internal_note_by_consumer"),
        (
            {"body": "hi", "attachments": [photo(f"p{i}.jpg") for i in range(6)]},
            "too_many_attachments",
        ),
        (
            {"body": "hi", "attachments": [SimpleUploadedFile("x.exe", b"MZ\x90\x00")]},
            "invalid_attachment",
        ),
    ],
)
def test_bad_messages_are_refused_and_nothing_is_written(case, kwargs, code):
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        conversation_post(return_request=case, actor=Actor.consumer(case.email), **kwargs)
    assert refused.value.code == code
    assert Message.objects.count() == 0
    assert MessageAttachment.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_customer_cannot_fetch_an_attachment_of_an_internal_note(case, staff_user):
    note = conversation_post(
        return_request=case,
        body="see photo",
        actor=Actor.staff(staff_user),
        is_internal=True,
        attachments=[photo()],
    )
    attachment = note.attachments.get()
    assert (
        conversation_attachment_get(
            return_request=case, attachment_id=attachment.pk, include_internal=True
        )
        == attachment
    )
    with pytest.raises(NotFoundError):
        conversation_attachment_get(
            return_request=case, attachment_id=attachment.pk, include_internal=False
        )


def test_thread_query_count_is_constant_in_messages_and_files(
    case, staff_user, django_assert_num_queries
):
    for index in range(6):
        conversation_post(
            return_request=case,
            body=f"message {index}",
            actor=Actor.staff(staff_user),
            author=staff_user,
            attachments=[photo()] if index % 2 else [],
        )
    with django_assert_num_queries(2):  # messages with authors, then their attachments
        thread = conversation_thread(return_request=case, include_internal=True)
        assert sum(len(m.attachments.all()) for m in thread) == 3


def test_api_thread_and_reply_and_other_tenant_gets_404(tenant, api, outsider_api, recent_dates):
    with tenant_context(tenant):
        case = file_return(create_order("1001", **recent_dates))
    url = f"/api/v1/returns/{case.rma}/messages/"

    created = api.post(url, {"body": "We received your photos."}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["author_kind"] == "staff"
    note = api.post(url, {"body": "check seams", "is_internal": True}, format="json")
    assert note.status_code == 201
    listed = api.get(url)
    assert [m["body"] for m in listed.json()] == ["We received your photos.", "check seams"]

    empty = api.post(url, {"body": "   "}, format="json")
    assert empty.status_code == 400
    assert empty.json()["code"]
    assert outsider_api.get(url).status_code == 404
    assert outsider_api.post(url, {"body": "hello"}, format="json").status_code == 404
    with tenant_context(tenant):
        assert Message.objects.count() == 2
