"""The weight rule: the returned units' weights choose the parcel type and its price; a
return over the carrier's limit is refused with ``parcel_too_heavy``."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from carriers.models import CarrierAccount, ReturnShipment
from carriers.parcels import ParcelTooHeavy, items_weight_kg, parcel_choose, parcel_limit_kg
from carriers.services import carrier_account_save
from carriers.statuses import ShipmentStatus
from orders.models import OrderLine
from orders.services import order_upsert
from returns.models import ReturnRequest
from returns_platform.tenancy import tenant_context
from testing import carriers as recorded
from testing.carriers import approve, record_sendcloud_booking
from testing.orders import order_payload, service_data
from testing.returns import file_return
from testing.staff import TEST_ACTOR

pytestmark = pytest.mark.django_db
BANDS = [
    {"code": "postnl:large/return", "max_kg": 23, "price": "9.95"},
    {"code": "postnl:small/return", "max_kg": 2, "price": "4.95"},
    {"code": "postnl:medium/return", "max_kg": 10, "price": "6.95"},
]


def test_the_weight_adds_up_units_and_counts_the_default_for_unknown_ones():
    # 2 x 1.2 kg + 1 unit without a weight at the 0.5 kg default = 2.9 kg.
    assert items_weight_kg([(1200, 2), (None, 1)], default_grams=500) == Decimal("2.900")
    assert items_weight_kg([], default_grams=500) == Decimal("0.000")


@pytest.fixture
def banded(sendcloud):
    return carrier_account_save(
        carrier="sendcloud", actor=TEST_ACTOR, values={"parcel_types": BANDS}
    )


def test_the_lightest_parcel_type_that_carries_the_weight_is_chosen(banded):
    assert [kind["max_kg"] for kind in banded.parcel_types] == ["2.000", "10.000", "23.000"]
    small = parcel_choose(banded, Decimal("2.000"))
    assert (small.code, small.price) == ("postnl:small/return", Decimal("4.95"))
    assert parcel_choose(banded, Decimal("2.001")).code == "postnl:medium/return"
    assert parcel_choose(banded, Decimal("23")).price == Decimal("9.95")
    with pytest.raises(ParcelTooHeavy) as refused:
        parcel_choose(banded, Decimal("23.5"))
    assert refused.value.code == "parcel_too_heavy"
    assert (refused.value.weight_kg, refused.value.limit_kg) == (Decimal("23.5"), Decimal(23))
    assert not refused.value.retryable


def test_without_parcel_types_the_carriers_own_maximum_is_the_limit(sendcloud, in_tenant):
    dhl = carrier_account_save(
        carrier="dhl_parcel_de",
        actor=TEST_ACTOR,
        values={},
        credentials={"username": "u", "password": "p", "client_id": "c", "client_secret": "s"},
    )
    assert parcel_limit_kg(dhl) == Decimal("31.5")
    with pytest.raises(ParcelTooHeavy):
        parcel_choose(dhl, Decimal("31.6"))
    # Sendcloud's limit depends on the product: without parcel types nothing is refused here.
    assert parcel_limit_kg(sendcloud) is None
    assert parcel_choose(sendcloud, Decimal("40")).code == ""


@pytest.fixture
def weighed_order(in_tenant, recent_dates):
    payload = order_payload("1001", **recent_dates)
    payload["lines"][0]["weight_grams"] = 1800  # the T-shirts; the jeans carry no weight
    order, _ = order_upsert(data=service_data(payload), actor=TEST_ACTOR)
    return order


def test_approval_books_the_parcel_type_the_weight_chooses(
    banded, weighed_order, carrier_http, django_capture_on_commit_callbacks, tenant
):
    shirt = OrderLine.objects.get(order=weighed_order, sku="TSHIRT-M")
    assert shirt.weight_grams == 1800
    record_sendcloud_booking(carrier_http)
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(weighed_order, quantities=[2, 1])  # 2 x 1.8 + 1 x 1.0
        approve(return_request)
    shipment = ReturnShipment.objects.get(return_request=return_request)
    assert shipment.status == ShipmentStatus.BOOKED
    assert shipment.weight_kg == Decimal("4.600")
    assert (shipment.parcel_type, shipment.parcel_price) == (
        "postnl:medium/return",
        Decimal("6.95"),
    )
    assert shipment.parcel_currency == tenant.currency
    body = json.loads(carrier_http.calls[0].request.body)
    assert body["weight"] == {"value": 4.6, "unit": "kg"}
    assert body["ship_with"]["shipping_option_code"] == "postnl:medium/return"


def test_a_return_over_the_limit_is_refused_without_asking_the_carrier(
    banded, weighed_order, carrier_http, django_capture_on_commit_callbacks
):
    OrderLine.objects.filter(order=weighed_order, sku="JEANS-32").update(weight_grams=22_000)
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(weighed_order, quantities=[1, 1])  # 1.8 + 22 kg
        approve(return_request)
    shipment = ReturnShipment.objects.get(return_request=return_request)
    assert shipment.status == ShipmentStatus.FAILED
    assert shipment.last_error.startswith("parcel_too_heavy: The return weighs 23.800 kg")
    assert shipment.weight_kg == Decimal("23.800")
    assert not carrier_http.calls
    assert ReturnRequest.objects.get(pk=return_request.pk).status == "approved"


def test_the_settings_api_stores_parcel_types_lightest_first(api, tenant):
    account = {
        "carrier": "sendcloud",
        "credentials": {
            "public_key": recorded.SENDCLOUD_PUBLIC,
            "secret_key": recorded.SENDCLOUD_SECRET,
        },
        "parcel_types": BANDS,
        "default_item_weight_grams": 750,
    }
    answer = api.put("/api/v1/settings/carriers/", {"accounts": [account]}, format="json")
    assert answer.status_code == 200, answer.json()
    listed = answer.json()["accounts"][0]
    assert [kind["max_kg"] for kind in listed["parcel_types"]] == ["2.000", "10.000", "23.000"]
    assert listed["parcel_types"][0] == {
        "code": "postnl:small/return",
        "max_kg": "2.000",
        "price": "4.95",
    }
    assert listed["default_item_weight_grams"] == 750

    twice = {**account, "parcel_types": [BANDS[1], {**BANDS[1], "code": "other"}]}
    refused = api.put("/api/v1/settings/carriers/", {"accounts": [twice]}, format="json")
    assert refused.status_code == 422  # valid bands, one maximum twice: a rule refuses it
    assert "duplicate" in json.dumps(refused.json())
    negative = {**account, "parcel_types": [{"code": "x", "max_kg": "-1"}]}
    assert (
        api.put("/api/v1/settings/carriers/", {"accounts": [negative]}, format="json").status_code
        == 400
    )
    with tenant_context(tenant):
        assert CarrierAccount.objects.get().default_item_weight_grams == 750
