"""GET/PUT /api/v1/settings/carriers/: accounts per shop, credentials write-only and
encrypted at rest."""

from __future__ import annotations

import pytest
from django.db import connection

from carriers.models import CarrierAccount
from returns_platform.tenancy import tenant_context
from testing import carriers as recorded

pytestmark = pytest.mark.django_db
URL = "/api/v1/settings/carriers/"

SENDCLOUD = {
    "carrier": "sendcloud",
    "countries": ["nl", "BE"],
    "methods": ["drop_off", "pickup"],
    "service_code": "postnl:small/return",
    "return_street": "Warehouseweg",
    "return_house_number": "5",
    "return_postcode": "3542AB",
    "return_city": "Utrecht",
    "return_country": "NL",
    "credentials": {
        "public_key": recorded.SENDCLOUD_PUBLIC,
        "secret_key": recorded.SENDCLOUD_SECRET,
    },
}


def test_put_then_get_never_shows_credentials(api, tenant, django_assert_num_queries):
    answer = api.put(URL, {"accounts": [SENDCLOUD]}, format="json")
    assert answer.status_code == 200, answer.json()
    with django_assert_num_queries(1):  # the accounts (the API key comes from its cache)
        listed = api.get(URL).json()
    account = listed["accounts"][0]
    assert account["carrier"] == "sendcloud" and account["countries"] == ["NL", "BE"]
    assert account["credentials_set"] == ["public_key", "secret_key"]
    assert recorded.SENDCLOUD_SECRET not in str(listed)
    with tenant_context(tenant):
        stored = CarrierAccount.objects.get()
        assert stored.credentials["secret_key"] == recorded.SENDCLOUD_SECRET
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT credentials FROM carriers_carrieraccount WHERE id = %s", [stored.pk]
            )
            raw = cursor.fetchone()[0]
    assert recorded.SENDCLOUD_SECRET not in raw and raw.startswith("gAAAAA")


def test_empty_credentials_keep_the_stored_ones_and_unlisted_accounts_are_deactivated(api, tenant):
    api.put(URL, {"accounts": [SENDCLOUD]}, format="json")
    update = {**SENDCLOUD, "credentials": {"public_key": "", "secret_key": ""}, "active": True}
    assert api.put(URL, {"accounts": [update]}, format="json").status_code == 200
    with tenant_context(tenant):
        assert CarrierAccount.objects.get().credentials["secret_key"] == recorded.SENDCLOUD_SECRET
    assert api.put(URL, {"accounts": []}, format="json").status_code == 200
    with tenant_context(tenant):
        account = CarrierAccount.objects.get()
        assert account.active is False and account.credentials["public_key"]


@pytest.mark.parametrize(
    ("account", "code"),
    [
        ({"carrier": "sendcloud"}, "credentials_missing"),
        ({"carrier": "fedex"}, "invalid_choice"),
        ({**SENDCLOUD, "countries": ["XX"]}, "invalid"),
        ({**SENDCLOUD, "methods": ["in_store"]}, "invalid_choice"),
        ({**SENDCLOUD, "credentials": {"api_token": "x"}}, "unknown_field"),
        ({**SENDCLOUD, "credentials": {"delis_id": "x"}}, "credential_of_another_carrier"),
        ({**SENDCLOUD, "colour": "red"}, "unknown_field"),
    ],
)
def test_bad_input_is_a_4xx_with_a_code_and_writes_nothing(api, tenant, account, code):
    answer = api.put(URL, {"accounts": [account]}, format="json")
    assert 400 <= answer.status_code < 500
    assert code in str(answer.json())
    with tenant_context(tenant):
        assert not CarrierAccount.objects.exists()


def test_duplicate_carriers_are_refused(api):
    answer = api.put(URL, {"accounts": [SENDCLOUD, SENDCLOUD]}, format="json")
    # Each account is valid; listing a carrier twice is a rule across them (422).
    assert answer.status_code == 422
    assert [error["code"] for error in answer.json()["errors"]] == ["duplicate"]


def test_a_credential_no_carrier_has_is_a_400_and_another_carriers_a_422(api):
    unknown = api.put(
        URL, {"accounts": [{**SENDCLOUD, "credentials": {"api_token": "x"}}]}, format="json"
    )
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["code"] == "unknown_field"
    other = api.put(
        URL, {"accounts": [{**SENDCLOUD, "credentials": {"delis_id": "x"}}]}, format="json"
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["code"] == "credential_of_another_carrier"


def test_another_shop_sees_only_its_own_accounts(api, outsider_api, other_tenant):
    api.put(URL, {"accounts": [SENDCLOUD]}, format="json")
    assert outsider_api.get(URL).json() == {"accounts": []}
    outsider_api.put(URL, {"accounts": []}, format="json")
    assert api.get(URL).json()["accounts"][0]["active"] is True
