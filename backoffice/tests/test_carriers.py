"""Settings > carriers and the carrier panel of a request."""

from __future__ import annotations

from decimal import Decimal

import pytest
import responses

from carriers.models import CarrierAccount, ReturnShipment
from carriers.services import carrier_account_save
from carriers.statuses import ShipmentStatus
from returns.workflow import return_transition
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from testing import carriers as recorded
from testing.staff import client_for

pytestmark = pytest.mark.django_db
URL = "/backoffice/settings/carriers/"
SENDCLOUD_FORM = {
    "carrier": "sendcloud",
    "sendcloud-active": "on",
    "sendcloud-countries": "nl, be",
    "sendcloud-methods": ["drop_off", "pickup"],
    "sendcloud-service_code": "postnl:small/return",
    "sendcloud-credential_public_key": recorded.SENDCLOUD_PUBLIC,
    "sendcloud-credential_secret_key": recorded.SENDCLOUD_SECRET,
}


def test_admin_saves_an_account_and_the_secret_is_never_shown_again(tenant, admin_user):
    client = client_for(admin_user)
    assert client.post(URL, SENDCLOUD_FORM)["Location"] == URL
    page = client.get(URL).content.decode()
    assert recorded.SENDCLOUD_SECRET not in page and recorded.SENDCLOUD_PUBLIC not in page
    assert page.count("Stored. Leave empty to keep it.") == 2  # public and secret key
    assert "/hooks/carriers/acme/sendcloud/" in page
    with tenant_context(tenant):
        account = CarrierAccount.objects.get()
        assert account.countries == ["NL", "BE"] and account.methods == ["drop_off", "pickup"]
        assert account.credentials["secret_key"] == recorded.SENDCLOUD_SECRET
    # Saving again with the secret left empty keeps it.
    client.post(URL, {**SENDCLOUD_FORM, "sendcloud-credential_secret_key": ""})
    with tenant_context(tenant):
        assert CarrierAccount.objects.get().credentials["secret_key"] == recorded.SENDCLOUD_SECRET


@pytest.mark.parametrize(
    "change",
    [
        {"sendcloud-countries": "NL, XX"},
        {"sendcloud-credential_secret_key": ""},  # nothing stored yet: required
        {"sendcloud-methods": ["in_store"]},
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(tenant, admin_user, change):
    answer = client_for(admin_user).post(URL, {**SENDCLOUD_FORM, **change})
    assert answer.status_code == 422
    with tenant_context(tenant):
        assert not CarrierAccount.objects.exists()


def test_parcel_types_are_written_one_per_line(tenant, admin_user):
    client = client_for(admin_user)
    form = {
        **SENDCLOUD_FORM,
        "sendcloud-parcel_types": "postnl:medium/return, 10, 6.95\npostnl:small/return, 2, 4.95",
        "sendcloud-default_item_weight_grams": "600",
    }
    assert client.post(URL, form)["Location"] == URL
    with tenant_context(tenant):
        account = CarrierAccount.objects.get()
        assert account.default_item_weight_grams == 600
        assert account.parcel_types == [
            {"code": "postnl:small/return", "max_kg": "2.000", "price": "4.95"},
            {"code": "postnl:medium/return", "max_kg": "10.000", "price": "6.95"},
        ]
    page = client.get(URL).content.decode()
    assert "postnl:small/return, 2.000, 4.95" in page
    refused = client.post(URL, {**form, "sendcloud-parcel_types": "postnl:small/return, two"})
    assert refused.status_code == 422
    assert "Write each line as: carrier product, maximum kg, price." in refused.content.decode()


def test_a_failed_booking_is_shown_to_staff_who_can_try_again(
    tenant, shop, agent, django_capture_on_commit_callbacks
):
    with tenant_context(tenant):
        carrier_account_save(
            carrier="sendcloud",
            actor=Actor.system("test"),
            values={},
            credentials={
                "public_key": recorded.SENDCLOUD_PUBLIC,
                "secret_key": recorded.SENDCLOUD_SECRET,
            },
        )
    client = client_for(agent)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(recorded.ANNOUNCE_URL, json=recorded.ANNOUNCE_INVALID, status=400)
        with tenant_context(tenant), django_capture_on_commit_callbacks(execute=True):
            return_transition(
                return_request=shop["request"], to="approved", actor=Actor.system("t")
            )
    # The request predates the account: approval planned and tried the booking.
    rma = shop["request"].rma
    page = client.get(f"/backoffice/requests/{rma}/").content.decode()
    assert "This field may not be blank." in page and "carrier-retry" in page

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(recorded.ANNOUNCE_URL, json=recorded.ANNOUNCED, status=201)
        mock.get(recorded.PARCEL_URL, json=recorded.PARCEL)
        mock.get(recorded.LABEL_URL, body=recorded.LABEL_PDF)
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(f"/backoffice/requests/{rma}/carrier-retry/")
    assert answer.status_code == 302
    with tenant_context(tenant):
        shipment = ReturnShipment.objects.get()
        assert shipment.status == ShipmentStatus.BOOKED
    assert recorded.TRACKING in client.get(f"/backoffice/requests/{rma}/").content.decode()


def test_the_pickup_minimum_weight_is_saved_shown_and_checked(tenant, admin_user):
    client = client_for(admin_user)
    form = {**SENDCLOUD_FORM, "sendcloud-pickup_min_weight_kg": "12.5"}
    assert client.post(URL, form)["Location"] == URL
    with tenant_context(tenant):
        assert CarrierAccount.objects.get().pickup_min_weight_kg == Decimal("12.5")
    page = client.get(URL).content.decode()
    assert "Pickup from this weight (kg)" in page and 'value="12.500"' in page
    refused = client.post(URL, {**form, "sendcloud-pickup_min_weight_kg": "0"})
    assert refused.status_code == 422
    with tenant_context(tenant):
        assert CarrierAccount.objects.get().pickup_min_weight_kg == Decimal("12.5")
    assert client.post(URL, {**form, "sendcloud-pickup_min_weight_kg": ""})["Location"] == URL
    with tenant_context(tenant):
        assert CarrierAccount.objects.get().pickup_min_weight_kg is None
