"""Pickup by the carrier from a minimum weight: alone, or next to the pickup categories
(either qualifies); neither set, every return is picked up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from carriers.models import CarrierAccount, ReturnShipment
from carriers.selectors import account_for, pickup_offered
from carriers.services import carrier_account_save
from orders.models import OrderLine
from returns_platform.tenancy import tenant_context
from testing import carriers as recorded
from testing.returns import file_return
from testing.staff import TEST_ACTOR

pytestmark = pytest.mark.django_db
URL = "/api/v1/settings/carriers/"
LIGHT = [(400, 2)]  # 0.8 kg
HEAVY = [(None, 3)]  # 3 units without a weight at the 1 kg default


def rule(*, categories=(), minimum=None) -> CarrierAccount:
    return CarrierAccount(
        carrier="sendcloud",
        pickup_categories=list(categories),
        pickup_min_weight_kg=None if minimum is None else Decimal(minimum),
        default_item_weight_grams=1000,
    )


def test_neither_categories_nor_weight_every_return_is_picked_up():
    assert pickup_offered(rule(), set(), LIGHT) is True


@pytest.mark.parametrize(
    ("items", "offered"),
    [(LIGHT, False), (HEAVY, True), ([(1000, 2)], True), ([(1999, 1)], False)],
)
def test_weight_only_pickup_at_or_above_the_minimum(items, offered):
    assert pickup_offered(rule(minimum="2"), {"shirts"}, items) is offered


@pytest.mark.parametrize(
    ("categories", "items", "offered"),
    [
        ({"Furniture"}, LIGHT, True),  # a named category, however light
        ({"shirts"}, HEAVY, True),  # heavy enough, whatever its category
        ({"shirts"}, LIGHT, False),
        (set(), [], False),
    ],
)
def test_categories_and_weight_either_qualifies(categories, items, offered):
    account = rule(categories=["furniture"], minimum="2")
    assert pickup_offered(account, categories, items) is offered


def test_the_weight_counts_the_accounts_default_for_units_without_one():
    account = rule(minimum="2")
    account.default_item_weight_grams = 500
    assert pickup_offered(account, set(), HEAVY) is False  # 3 x 0.5 kg


def test_account_for_passes_the_items_to_the_pickup_rule(sendcloud):
    carrier_account_save(
        carrier="sendcloud", actor=TEST_ACTOR, values={"pickup_min_weight_kg": Decimal("2")}
    )
    assert account_for(method="pickup", country="NL", items=LIGHT) is None
    assert account_for(method="pickup", country="NL", items=HEAVY).carrier == "sendcloud"
    # Drop-offs are not touched by the pickup rule.
    assert account_for(method="drop_off", country="NL", items=LIGHT).carrier == "sendcloud"


@pytest.mark.parametrize(("grams", "booked"), [(800, False), (2500, True)])
def test_booking_uses_the_weight_of_the_returned_lines(order, sendcloud, grams, booked):
    carrier_account_save(
        carrier="sendcloud", actor=TEST_ACTOR, values={"pickup_min_weight_kg": Decimal("2")}
    )
    OrderLine.objects.filter(pk=order.lines.first().pk).update(weight_grams=grams)
    return_request = file_return(order, method="pickup")
    assert ReturnShipment.objects.filter(return_request=return_request).exists() is booked


def test_the_minimum_weight_is_set_and_read_through_the_api(api, tenant):
    account = {
        "carrier": "sendcloud",
        "pickup_min_weight_kg": "12.5",
        "credentials": {
            "public_key": recorded.SENDCLOUD_PUBLIC,
            "secret_key": recorded.SENDCLOUD_SECRET,
        },
    }
    answer = api.put(URL, {"accounts": [account]}, format="json")
    assert answer.status_code == 200, answer.json()
    assert api.get(URL).json()["accounts"][0]["pickup_min_weight_kg"] == "12.500"
    with tenant_context(tenant):
        assert CarrierAccount.objects.get().pickup_min_weight_kg == Decimal("12.5")
    cleared = api.put(URL, {"accounts": [{**account, "pickup_min_weight_kg": None}]}, format="json")
    assert cleared.json()["accounts"][0]["pickup_min_weight_kg"] is None


@pytest.mark.parametrize(
    ("value", "code"),
    [("0", "min_value"), ("-1", "min_value"), ("1000.5", "max_value"), ("heavy", "invalid")],
)
def test_a_bad_minimum_weight_is_a_4xx_with_a_code_and_saves_nothing(api, tenant, value, code):
    account = {
        "carrier": "sendcloud",
        "pickup_min_weight_kg": value,
        "credentials": {
            "public_key": recorded.SENDCLOUD_PUBLIC,
            "secret_key": recorded.SENDCLOUD_SECRET,
        },
    }
    answer = api.put(URL, {"accounts": [account]}, format="json")
    assert 400 <= answer.status_code < 500
    assert code in str(answer.json())
    with tenant_context(tenant):
        assert not CarrierAccount.objects.exists()
