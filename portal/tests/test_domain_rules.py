"""The portal files requests through the returns service, so the service's rules hold
even when the wizard's state went stale or the shop's settings leave the portal no
choice to make."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from orders.services import order_event_record
from returns.models import ReturnPolicy
from returns_platform.tenancy import tenant_context
from testing.images import photo_bytes
from testing.orders import create_order
from testing.portal import lines_of, returns_of
from testing.staff import TEST_ACTOR


def _placed(tenant, number: str):
    """An order placed today and not shipped yet (so it can still be cancelled)."""
    with tenant_context(tenant):
        return create_order(
            number, placed_at=timezone.now().isoformat(), shipped_at=None, delivered_at=None
        )


def test_an_order_cancelled_during_the_wizard_is_not_returned(wizard, tenant):
    order = _placed(tenant, "1002")
    shirt = lines_of(tenant, order)[0]
    wizard.lookup("1002")
    wizard.case("return")
    wizard.items({shirt.pk: 1})
    wizard.details({shirt.pk: "too_small"})
    wizard.resolution("refund")
    wizard.method("drop_off")
    with tenant_context(tenant):
        order_event_record(order=order, event_type="cancelled", actor=TEST_ACTOR, reason="x")
    response = wizard.confirm()
    assert response["Location"] == "/r/acme/"
    page = wizard.client.get("/r/acme/").content.decode()
    assert "geannuleerd" in page  # the order's language: Dutch
    assert returns_of(tenant) == []


def test_a_cancelled_order_is_refused_at_the_look_up(wizard, tenant):
    order = _placed(tenant, "1003")
    with tenant_context(tenant):
        order_event_record(order=order, event_type="cancelled", actor=TEST_ACTOR, reason="x")
    response = wizard.lookup("1003")
    assert response.status_code == 200
    assert returns_of(tenant) == []


def test_a_missing_item_is_filed_when_the_shop_offers_no_method_for_the_country(
    wizard, order, tenant, django_capture_on_commit_callbacks
):
    """The portal asks no method for a missing item and the service records one, so a
    shop that ships returns only from Belgium can still take a missing-item report from
    the Netherlands (the wizard used to send the consumer round between two steps)."""
    with tenant_context(tenant):
        ReturnPolicy.objects.update(methods={"pickup": {"BE": "9.00"}})
    shirt = lines_of(tenant, order)[0]
    wizard.lookup()
    wizard.case("missing_item")
    wizard.items({shirt.pk: 1})
    wizard.details({shirt.pk: "other"})
    assert wizard.resolution("refund")["Location"] == "/r/acme/review/"
    assert wizard.client.get("/r/acme/review/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = wizard.confirm()
    assert "/confirmation/" in response["Location"] or "/s/" in response["Location"]
    (created,) = returns_of(tenant)
    assert created.case_type == "missing_item"
    assert (created.needs_parcel, created.label_ready_at, created.return_cost) == (False, None, 0)


def test_a_complaint_without_photos_is_refused_by_the_portal(wizard, order, tenant):
    shirt = lines_of(tenant, order)[0]
    wizard.lookup()
    wizard.case("complaint")
    wizard.items({shirt.pk: 1})
    assert wizard.details({shirt.pk: "defective"}).status_code == 400
    photo = SimpleUploadedFile("crack.jpg", photo_bytes(), "image/jpeg")
    response = wizard.details({shirt.pk: "defective"}, photos={shirt.pk: [photo]})
    assert response["Location"] == "/r/acme/resolution/"
    assert returns_of(tenant) == []
