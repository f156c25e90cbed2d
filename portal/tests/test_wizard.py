"""The portal's wizard end to end with Django's test client."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from returns.models import ReturnRequest
from returns_platform.tenancy import tenant_context
from testing.images import photo_bytes
from testing.portal import lines_of, returns_of, token_of


def test_lookup_by_order_number_and_postcode_starts_the_wizard(wizard, order):
    response = wizard.lookup("1001", "1012ab")
    assert response.status_code == 302
    assert response["Location"] == "/r/acme/case/"
    page = wizard.client.get("/r/acme/case/")
    assert page.status_code == 200
    assert "1001" in page.content.decode()


def test_lookup_by_tracking_number_and_email(wizard, order):
    response = wizard.lookup("3SABC123", "JAN@example.nl")
    assert response.status_code == 302
    assert response["Location"] == "/r/acme/case/"


def test_steps_cannot_be_skipped(wizard, order):
    assert wizard.client.get("/r/acme/review/")["Location"] == "/r/acme/"
    wizard.lookup()
    assert wizard.client.get("/r/acme/review/")["Location"] == "/r/acme/case/"
    wizard.case("return")
    assert wizard.client.get("/r/acme/details/")["Location"] == "/r/acme/items/"


def test_a_complete_return_creates_the_request_and_its_label(
    wizard, order, tenant, django_capture_on_commit_callbacks
):
    shirt, jeans, _gift = lines_of(tenant, order)
    wizard.lookup()
    assert wizard.case("return").status_code == 302
    assert wizard.items({shirt.pk: 2, jeans.pk: 0})["Location"] == "/r/acme/details/"
    response = wizard.details({shirt.pk: "too_small"}, comments={shirt.pk: "Falls small"})
    assert response["Location"] == "/r/acme/resolution/"
    assert wizard.resolution("refund")["Location"] == "/r/acme/method/"
    assert wizard.method("drop_off")["Location"] == "/r/acme/review/"
    review = wizard.client.get("/r/acme/review/").content.decode()
    # 2 x 19.95 - 4.95 return cost.
    assert "39,90 EUR" in review and "34,95 EUR" in review
    assert "Te klein" in review and "too_small" not in review  # the reason in Dutch
    with django_capture_on_commit_callbacks(execute=True):
        response = wizard.confirm()
    assert response.status_code == 302
    (created,) = returns_of(tenant)
    assert created.status == "requested"
    assert [(line.order_line_id, line.quantity, line.comment) for line in created.lines.all()] == [
        (shirt.pk, 2, "Falls small")
    ]
    assert created.refund_total == created.refund_total.__class__("34.95")
    assert created.language == "nl"
    assert created.label_ready_at is not None
    with tenant_context(tenant):
        from notifications.models import OutboxMessage

        mail = OutboxMessage.objects.get(event="return.requested", recipient=order.email)
    assert mail.rma == created.rma and mail.language == "nl"
    token = token_of(response["Location"])
    assert ReturnRequest.read_access_token(token) == (tenant.pk, created.rma)
    assert response["Location"] == f"/r/acme/s/{token}/confirmation/"
    page = wizard.client.get(response["Location"]).content.decode()
    assert created.rma in page
    assert f"/r/acme/s/{token}/label.pdf" in page
    label = wizard.client.get(f"/r/acme/s/{token}/label.pdf")
    assert label.status_code == 200
    assert label["Content-Type"] == "application/pdf"
    assert b"".join(label.streaming_content).startswith(b"%PDF-")
    a4 = wizard.client.get(f"/r/acme/s/{token}/label.pdf?format=a4")
    assert b"".join(a4.streaming_content).startswith(b"%PDF-")
    # The wizard is finished: its state is gone.
    assert wizard.client.get("/r/acme/review/")["Location"] == "/r/acme/"


def test_the_label_shows_preparing_until_the_task_has_run(wizard, order, tenant):
    """Without running the on-commit callbacks the label task has not run yet."""
    shirt = lines_of(tenant, order)[0]
    wizard.lookup()
    wizard.case("return")
    wizard.items({shirt.pk: 1})
    wizard.details({shirt.pk: "too_small"})
    wizard.resolution("refund")
    wizard.method("pickup")
    response = wizard.confirm()
    (created,) = returns_of(tenant)
    assert created.label_ready_at is None
    page = wizard.client.get(response["Location"]).content.decode()
    assert 'hx-get="' in page and "label.pdf" not in page
    token = token_of(response["Location"])
    assert wizard.client.get(f"/r/acme/s/{token}/label.pdf").status_code == 404


def test_a_blocked_line_is_shown_with_its_reason_and_cannot_be_chosen(wizard, order, tenant):
    shirt, _jeans, gift = lines_of(tenant, order)
    wizard.lookup()
    wizard.case("return")
    page = wizard.client.get("/r/acme/items/").content.decode()
    assert f'name="quantity_{gift.pk}"' not in page
    assert f'name="quantity_{shirt.pk}"' in page
    assert (
        "GIFT-25" in page and "kan niet worden geretourneerd" in page
    )  # Dutch: the order's language
    # A forged quantity for the blocked line is ignored, and alone it is no choice at all.
    response = wizard.items({gift.pk: 1})
    assert response.status_code == 200
    assert wizard.client.get("/r/acme/details/")["Location"] == "/r/acme/items/"


def test_a_complaint_needs_a_photo_and_the_photo_is_cleaned(
    wizard, order, tenant, django_capture_on_commit_callbacks
):
    _shirt, jeans, gift = lines_of(tenant, order)
    wizard.lookup()
    wizard.case("complaint")
    # A complaint may concern a non-returnable item (statutory warranty).
    assert wizard.items({gift.pk: 1, jeans.pk: 1})["Location"] == "/r/acme/details/"
    response = wizard.details({gift.pk: "defective", jeans.pk: "defective"})
    assert response.status_code == 400
    assert "Voeg ten minste één foto" in response.content.decode()
    fake = SimpleUploadedFile("evil.jpg", b"<?php system($_GET['x']); ?>", "image/jpeg")
    response = wizard.details(
        {gift.pk: "defective", jeans.pk: "defective"},
        photos={
            gift.pk: [SimpleUploadedFile("crack.jpg", photo_bytes(exif=True), "image/jpeg")],
            jeans.pk: [fake],
        },
    )
    assert response.status_code == 400
    assert "evil.jpg" in response.content.decode()
    response = wizard.details(
        {gift.pk: "defective", jeans.pk: "defective"},
        photos={jeans.pk: [SimpleUploadedFile("seam.webp", photo_bytes("WEBP"), "image/webp")]},
    )
    assert response["Location"] == "/r/acme/resolution/"
    wizard.resolution("refund")
    with django_capture_on_commit_callbacks(execute=True):
        wizard.method("drop_off")
        response = wizard.confirm()
    assert response.status_code == 302
    (created,) = returns_of(tenant)
    assert created.case_type == "complaint"
    assert created.is_free_return
    attachments = list(created.attachments.all())
    assert sorted(a.original_name for a in attachments) == ["crack.jpg", "seam.webp"]
    for attachment in attachments:
        assert "crack" not in attachment.file.name and "seam" not in attachment.file.name
        with attachment.file.open("rb") as handle:
            content = handle.read()
        assert b"SecretCam" not in content and b"Exif" not in content


def test_too_many_photos_for_a_line_are_refused(wizard, order, tenant):
    shirt = lines_of(tenant, order)[0]
    wizard.lookup()
    wizard.case("return")
    wizard.items({shirt.pk: 1})
    files = [SimpleUploadedFile(f"p{i}.png", photo_bytes("PNG"), "image/png") for i in range(6)]
    response = wizard.details({shirt.pk: "too_small"}, photos={shirt.pk: files})
    assert response.status_code == 400
    assert "5" in response.content.decode()
    assert wizard.client.get("/r/acme/resolution/")["Location"] == "/r/acme/details/"


def test_missing_item_skips_the_method_and_needs_no_label(
    wizard, order, tenant, django_capture_on_commit_callbacks
):
    shirt = lines_of(tenant, order)[0]
    wizard.lookup()
    wizard.case("missing_item")
    wizard.items({shirt.pk: 1})
    wizard.details({shirt.pk: "other"})
    assert wizard.resolution("refund")["Location"] == "/r/acme/review/"
    with django_capture_on_commit_callbacks(execute=True):
        response = wizard.confirm()
    (created,) = returns_of(tenant)
    assert created.case_type == "missing_item" and created.is_free_return
    assert created.label_ready_at is None
    page = wizard.client.get(response["Location"]).content.decode()
    assert "label.pdf" not in page


def test_only_offered_resolutions_and_methods_with_their_cost(wizard, order, tenant):
    from returns.models import ReturnPolicy

    with tenant_context(tenant):
        ReturnPolicy.objects.update(
            resolutions=["refund", "store_credit"],
            store_credit_bonus_percent="10.00",
            methods={"drop_off": {"default": "4.95", "NL": "3.50"}, "pickup": {"BE": "9.00"}},
        )
    shirt = lines_of(tenant, order)[0]
    wizard.lookup()
    wizard.case("return")
    wizard.items({shirt.pk: 1})
    wizard.details({shirt.pk: "too_small"})
    page = wizard.client.get("/r/acme/resolution/").content.decode()
    assert 'value="refund"' in page and 'value="store_credit"' in page
    assert 'value="exchange"' not in page
    assert "10%" in page
    wizard.resolution("store_credit")
    page = wizard.client.get("/r/acme/method/").content.decode()
    assert 'value="drop_off"' in page and "3,50 EUR" in page
    assert 'value="pickup"' not in page  # no price for NL
    assert wizard.method("pickup").status_code == 200  # refused by the form
    wizard.method("drop_off")
    review = wizard.client.get("/r/acme/review/").content.decode()
    # 19.95 - 3.50 + 10% of 19.95 (2.00) = 18.45
    assert "+2,00 EUR" in review and "18,45 EUR" in review


def test_confirm_rechecks_everything_on_the_server(
    wizard, order, tenant, django_capture_on_commit_callbacks
):
    """Another request took the last units between review and confirm: refused, nothing
    stored, the consumer is sent back to the items."""
    from returns import services
    from returns_platform.audit import Actor

    jeans = lines_of(tenant, order)[1]
    wizard.lookup()
    wizard.case("return")
    wizard.items({jeans.pk: 1})
    wizard.details({jeans.pk: "too_small"})
    wizard.resolution("refund")
    wizard.method("drop_off")
    with tenant_context(tenant):
        services.return_request_create(
            order=order,
            case_type="return",
            resolution="refund",
            method="drop_off",
            lines=[{"order_line": jeans.pk, "quantity": 1, "reason_code": "too_small"}],
            actor=Actor.system("test"),
        )
    response = wizard.confirm()
    assert response["Location"] == "/r/acme/items/"
    assert len(returns_of(tenant)) == 1
    with tenant_context(tenant):
        assert ReturnRequest.objects.count() == 1


def test_abandoned_photos_are_swept_within_an_hour(wizard, order, tenant):
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from portal.tasks import sweep_portal_uploads
    from portal.wizard import state_load

    shirt = lines_of(tenant, order)[0]
    wizard.lookup()
    wizard.case("return")
    wizard.items({shirt.pk: 1})
    photo = SimpleUploadedFile("a.png", photo_bytes("PNG"), "image/png")
    wizard.details({shirt.pk: "too_small"}, photos={shirt.pk: [photo]})
    request = type("R", (), {"session": wizard.client.session})()
    (waiting,) = state_load(request, tenant).all_photos()
    assert default_storage.exists(waiting.path)
    assert sweep_portal_uploads() == 0
    assert sweep_portal_uploads(now=timezone.now() + timezone.timedelta(minutes=29)) == 0
    assert default_storage.exists(waiting.path)
    assert sweep_portal_uploads(now=timezone.now() + timezone.timedelta(minutes=31)) == 1
    assert not default_storage.exists(waiting.path)


def test_the_sweep_runs_often_enough_to_keep_the_hour():
    """Age limit plus the beat interval: the latest a forgotten photo can still exist."""
    from portal.tasks import UPLOAD_MAX_AGE
    from returns_platform.celery import app

    entry = app.conf.beat_schedule["sweep-portal-uploads"]
    assert entry["task"] == "portal.tasks.sweep_portal_uploads"
    assert UPLOAD_MAX_AGE.total_seconds() + float(entry["schedule"]) <= 3600
