"""GET/PUT /api/v1/settings/payments/ and the "test connection" call: keys encrypted at
rest and never shown again, refund settings, refusals that save nothing."""

from __future__ import annotations

import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
import responses
from cryptography.fernet import Fernet
from django.db import connection
from rest_framework.test import APIClient

from credits.models import CreditSettings, PaymentProviderAccount
from credits.services.refunds import default_provider
from returns_platform.audit import Actor
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from tenants.services import api_key_create
from testing.credits import make_refund
from testing.payments import (
    MOLLIE_KEY,
    MOLLIE_METHODS_URL,
    STRIPE_BALANCE_URL,
    STRIPE_KEY,
    STRIPE_LIVE_KEY,
    mollie_methods,
    mollie_unauthorized,
    stripe_balance,
    stripe_invalid_key,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/settings/payments/"
TEST_URL = "/api/v1/settings/payments/test/"


def raw_key(account_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT api_key FROM credits_paymentprovideraccount WHERE id = %s", [account_id]
        )
        return cursor.fetchone()[0]


def test_put_stores_keys_encrypted_and_answers_them_masked(api, tenant):
    answer = api.put(
        URL,
        {
            "accounts": [
                {"provider": "stripe", "api_key": STRIPE_KEY},
                {"provider": "mollie", "api_key": MOLLIE_KEY},
            ],
            "default_provider": "stripe",
            "four_eyes_booking": True,
            "voucher_bonus_percent": "10.50",
            "voucher_validity_days": 730,
        },
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    body = api.get(URL).json()
    assert body == answer.json()
    assert body["default_provider"] == "stripe"
    assert body["four_eyes_booking"] is True
    assert body["voucher_bonus_percent"] == "10.50" and body["voucher_validity_days"] == 730
    shown = {account["provider"]: account for account in body["accounts"]}
    assert shown["stripe"]["api_key"] == "sk_test_…4242" and shown["stripe"]["mode"] == "test"
    assert shown["mollie"]["api_key"] == "test_…lXsM"
    assert STRIPE_KEY not in str(body) and MOLLIE_KEY not in str(body)
    with tenant_context(tenant):
        stripe = PaymentProviderAccount.objects.get(provider="stripe")
        assert stripe.api_key == STRIPE_KEY and stripe.is_default
        raw = raw_key(stripe.pk)
        assert STRIPE_KEY not in raw and raw.startswith("gAAAAA")
        assert default_provider() == "stripe"
        settings = CreditSettings.objects.get()
        assert settings.voucher_bonus_percent == Decimal("10.50")
        audit = AuditEvent.objects.get(action="payment_settings.updated")
        assert audit.data["keys_changed"] == ["stripe", "mollie"]
        assert STRIPE_KEY not in str(audit.data) and MOLLIE_KEY not in str(audit.data)


def test_rotated_encryption_keys_still_read_old_rows(api, tenant, settings):
    api.put(URL, {"accounts": [{"provider": "stripe", "api_key": STRIPE_KEY}]}, format="json")
    with tenant_context(tenant):
        account_id = PaymentProviderAccount.objects.get().pk
    old_token = raw_key(account_id)
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    with tenant_context(tenant):
        account = PaymentProviderAccount.objects.get()
        assert account.api_key == STRIPE_KEY  # the old key still decrypts
        account.save()  # saving re-encrypts with the new first key
    assert raw_key(account_id) != old_token
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # old key dropped
    with tenant_context(tenant):
        assert PaymentProviderAccount.objects.get().api_key == STRIPE_KEY


def test_an_empty_key_keeps_the_stored_one_and_fields_left_out_keep_their_value(api, tenant):
    api.put(
        URL,
        {"accounts": [{"provider": "stripe", "api_key": STRIPE_KEY}], "voucher_validity_days": 90},
        format="json",
    )
    answer = api.put(
        URL,
        {"accounts": [{"provider": "stripe", "api_key": ""}], "default_provider": "stripe"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["voucher_validity_days"] == 90
    with tenant_context(tenant):
        assert PaymentProviderAccount.objects.get().api_key == STRIPE_KEY


def test_removing_the_default_account_falls_back_to_manual(api, tenant):
    api.put(
        URL,
        {"accounts": [{"provider": "stripe", "api_key": STRIPE_KEY}], "default_provider": "stripe"},
        format="json",
    )
    answer = api.put(URL, {"accounts": [{"provider": "stripe", "remove": True}]}, format="json")
    assert answer.status_code == 200
    assert answer.json()["accounts"] == [] and answer.json()["default_provider"] == "manual"


def test_an_account_with_unpaid_refunds_cannot_be_removed(api, tenant, order):
    api.put(URL, {"accounts": [{"provider": "stripe", "api_key": STRIPE_KEY}]}, format="json")
    make_refund(tenant, order, provider="stripe")
    answer = api.put(URL, {"accounts": [{"provider": "stripe", "remove": True}]}, format="json")
    assert answer.status_code == 409 and answer.json()["code"] == "provider_in_use"
    with tenant_context(tenant):
        assert PaymentProviderAccount.objects.filter(provider="stripe").exists()


STRIPE_OK = {"provider": "stripe", "api_key": STRIPE_KEY}
MOLLIE_OK = {"provider": "mollie", "api_key": MOLLIE_KEY}


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        (
            {"accounts": [MOLLIE_OK, {"provider": "stripe", "api_key": "pk_test_abcdefghijkl"}]},
            422,
            "invalid_api_key",
            "accounts[1].api_key",
        ),
        (
            {"accounts": [STRIPE_OK, {"provider": "mollie", "api_key": "access_abcdefghijkl"}]},
            422,
            "invalid_api_key",
            "accounts[1].api_key",
        ),
        (
            {"accounts": [MOLLIE_OK, {"provider": "stripe"}]},
            422,
            "api_key_required",
            "accounts[1].api_key",
        ),
        (
            {"accounts": [STRIPE_OK], "default_provider": "mollie"},
            422,
            "provider_not_configured",
            "default_provider",
        ),
        ({"accounts": [{"provider": "paypal", "api_key": "x"}]}, 400, "invalid_choice", ""),
        ({"accounts": [{"provider": "manual", "api_key": "x"}]}, 400, "invalid_choice", ""),
        ({"accounts": [STRIPE_OK, STRIPE_OK]}, 422, "duplicate", "accounts"),
        ({"accounts": [STRIPE_OK], "voucher_bonus_percent": "101"}, 400, "max_value", ""),
        ({"voucher_bonus_percent": "1.234"}, 400, "max_decimal_places", ""),
        ({"accounts": [STRIPE_OK], "voucher_validity_days": -1}, 400, "min_value", ""),
        ({"voucher_validity_days": "soon"}, 400, "invalid", "voucher_validity_days"),
        ({"accounts": [STRIPE_OK], "four_eyes": True}, 400, "unknown_field", "four_eyes"),
        (
            {"accounts": [STRIPE_OK], "four_eyes_above": {"EUR": "lots"}},
            422,
            "invalid_four_eyes_threshold",
            "four_eyes_above.EUR",
        ),
        ({"four_eyes_above": {"XXX": "10"}}, 422, "invalid_four_eyes_threshold", "XXX"),
        ({"four_eyes_above": {"EUR": "1.234"}}, 422, "invalid_four_eyes_threshold", "EUR"),
        ({"four_eyes_above": {"EUR": "-1"}}, 422, "invalid_four_eyes_threshold", "EUR"),
        ({"four_eyes_above": ["EUR", "10"]}, 400, "not_a_dict", "four_eyes_above"),
    ],
)
def test_bad_input_is_a_4xx_with_a_code_and_saves_nothing(api, tenant, body, status, code, field):
    # The valid parts of a refused request are not kept either.
    answer = api.put(URL, {"voucher_validity_days": 30, **body}, format="json")
    assert answer.status_code == status, answer.json()
    assert code in str(answer.json())
    assert field in str(answer.json())
    with tenant_context(tenant):
        assert not PaymentProviderAccount.objects.exists()
        settings = CreditSettings.objects.first()
        assert settings is None or settings.voucher_validity_days == 365
        assert not AuditEvent.objects.filter(action="payment_settings.updated").exists()


@responses.activate
def test_stripe_connection_test_calls_the_balance_with_the_stored_key(api, tenant):
    api.put(URL, {"accounts": [{"provider": "stripe", "api_key": STRIPE_KEY}]}, format="json")
    call = responses.add(responses.GET, STRIPE_BALANCE_URL, json=stripe_balance())
    answer = api.post(TEST_URL, {"provider": "stripe"}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {"provider": "stripe", "ok": True, "mode": "test", "detail": "EUR"}
    assert call.call_count == 1
    assert responses.calls[0].request.headers["Authorization"] == f"Bearer {STRIPE_KEY}"
    shown = api.get(URL).json()["accounts"][0]
    assert shown["check_ok"] is True and shown["checked_at"]


@responses.activate
def test_a_key_given_to_the_test_is_tried_but_not_stored(api, tenant):
    responses.add(responses.GET, STRIPE_BALANCE_URL, json=stripe_balance(livemode=True))
    answer = api.post(TEST_URL, {"provider": "stripe", "api_key": STRIPE_LIVE_KEY}, format="json")
    assert answer.json()["mode"] == "live"
    assert responses.calls[0].request.headers["Authorization"] == f"Bearer {STRIPE_LIVE_KEY}"
    with tenant_context(tenant):
        assert not PaymentProviderAccount.objects.exists()


@responses.activate
def test_a_refused_stripe_key_is_422_and_remembered(api, tenant):
    api.put(URL, {"accounts": [{"provider": "stripe", "api_key": STRIPE_KEY}]}, format="json")
    responses.add(stripe_invalid_key())
    answer = api.post(TEST_URL, {"provider": "stripe"}, format="json")
    assert answer.status_code == 422
    assert answer.json()["code"] == "provider_refused_key"
    assert "Invalid API Key" in answer.json()["message"]
    assert api.get(URL).json()["accounts"][0]["check_ok"] is False


@responses.activate
def test_mollie_connection_test_lists_the_methods(api, tenant):
    api.put(URL, {"accounts": [{"provider": "mollie", "api_key": MOLLIE_KEY}]}, format="json")
    responses.add(
        responses.GET,
        MOLLIE_METHODS_URL,
        json=mollie_methods(),
        content_type="application/hal+json",
    )
    answer = api.post(TEST_URL, {"provider": "mollie"}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {
        "provider": "mollie",
        "ok": True,
        "mode": "test",
        "detail": "creditcard, ideal",
    }
    assert responses.calls[0].request.headers["Authorization"] == f"Bearer {MOLLIE_KEY}"


@responses.activate
def test_mollie_refusing_the_key_and_mollie_down(api, tenant):
    api.put(URL, {"accounts": [{"provider": "mollie", "api_key": MOLLIE_KEY}]}, format="json")
    responses.add(mollie_unauthorized())
    refused = api.post(TEST_URL, {"provider": "mollie"}, format="json")
    assert refused.status_code == 422 and refused.json()["code"] == "provider_refused_key"
    responses.replace(responses.GET, MOLLIE_METHODS_URL, status=503, body="upstream down")
    down = api.post(TEST_URL, {"provider": "mollie"}, format="json")
    assert down.status_code == 502 and down.json()["code"] == "provider_unavailable"


def test_testing_a_provider_without_an_account_or_with_a_bad_key(api):
    missing = api.post(TEST_URL, {"provider": "mollie"}, format="json")
    assert missing.status_code == 422 and missing.json()["code"] == "provider_not_configured"
    bad = api.post(TEST_URL, {"provider": "stripe", "api_key": "hello"}, format="json")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_api_key"
    manual = api.post(TEST_URL, {"provider": "manual"}, format="json")
    assert manual.status_code == 200 and manual.json()["ok"] is True


def test_another_shop_neither_sees_nor_changes_the_payment_set_up(api, outsider_api, tenant):
    api.put(
        URL,
        {"accounts": [{"provider": "stripe", "api_key": STRIPE_KEY}], "default_provider": "stripe"},
        format="json",
    )
    assert outsider_api.get(URL).json()["accounts"] == []
    assert outsider_api.post(TEST_URL, {"provider": "stripe"}, format="json").json()["code"] == (
        "provider_not_configured"
    )
    outsider_api.put(URL, {"accounts": [{"provider": "stripe", "remove": True}]}, format="json")
    with tenant_context(tenant):
        assert PaymentProviderAccount.objects.get().api_key == STRIPE_KEY


def test_a_key_without_the_settings_scope_is_refused(tenant):
    with tenant_context(tenant):
        issued = api_key_create(name="pos", actor=Actor.system("test"), scopes=["credits", "read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}")
    assert client.get(URL).status_code == 200  # read
    refused = client.put(URL, {"four_eyes_booking": True}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"


def test_the_migration_encrypts_keys_stored_in_plain_text(api, tenant):
    migration = importlib.import_module("credits.migrations.0006_payment_account_encrypted_key")
    api.put(URL, {"accounts": [STRIPE_OK, MOLLIE_OK]}, format="json")
    with tenant_context(tenant):
        stripe_id = PaymentProviderAccount.objects.get(provider="stripe").pk
        mollie_id = PaymentProviderAccount.objects.get(provider="mollie").pk
    mollie_token = raw_key(mollie_id)
    with connection.cursor() as cursor:  # as the column held it before the migration
        cursor.execute(
            "UPDATE credits_paymentprovideraccount SET api_key = %s WHERE id = %s",
            [STRIPE_KEY, stripe_id],
        )
    migration.encrypt_plain_keys(None, SimpleNamespace(connection=connection))
    assert raw_key(stripe_id).startswith("gAAAAA") and STRIPE_KEY not in raw_key(stripe_id)
    assert raw_key(mollie_id) == mollie_token  # already encrypted: left alone
    with tenant_context(tenant):
        assert PaymentProviderAccount.objects.get(pk=stripe_id).api_key == STRIPE_KEY


def test_four_eyes_only_above_the_threshold_of_the_credit_notes_currency(api, tenant, order):
    answer = api.put(
        URL, {"four_eyes_booking": True, "four_eyes_above": {"eur": "50"}}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["four_eyes_above"] == {"EUR": "50.00"}

    def note(amount):
        created = api.post(
            "/api/v1/credit-notes/",
            {
                "order": "1001",
                "reason": "goodwill",
                "description": "Late delivery",
                "amount": amount,
                "payout": {"method": "voucher"},
            },
            format="json",
        )
        assert created.status_code == 201, created.json()
        return created.json()["id"]

    small, at_limit, large = note("10.00"), note("50.00"), note("50.01")
    assert api.post(f"/api/v1/credit-notes/{small}/book/").status_code == 200
    assert api.post(f"/api/v1/credit-notes/{at_limit}/book/").status_code == 200
    refused = api.post(f"/api/v1/credit-notes/{large}/book/")
    assert (refused.status_code, refused.json()["code"]) == (403, "four_eyes_required")
    # Without a threshold for its currency, every credit note needs a second person.
    api.put(URL, {"four_eyes_above": {}}, format="json")
    another = note("5.00")
    assert api.post(f"/api/v1/credit-notes/{another}/book/").status_code == 403
