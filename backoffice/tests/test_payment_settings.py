"""Settings > payments: refund settings, provider keys (write-only, masked), "test
connection" at the provider's real URL, admins only."""

from __future__ import annotations

from decimal import Decimal

import pytest
import responses

from credits.models import CreditSettings, PaymentProviderAccount
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.payments import (
    MOLLIE_KEY,
    MOLLIE_METHODS_URL,
    STRIPE_BALANCE_URL,
    STRIPE_KEY,
    mollie_methods,
    stripe_balance,
    stripe_invalid_key,
)
from testing.staff import client_for

pytestmark = pytest.mark.django_db
URL = "/backoffice/settings/payments/"
REFUNDS = {
    "section": "refunds",
    "refunds-default_provider": "manual",
    "refunds-four_eyes_booking": "on",
    "refunds-four_eyes_above": "EUR 250, SEK 2500",
    "refunds-voucher_bonus_percent": "7.5",
    "refunds-voucher_validity_days": "180",
}


def test_admin_saves_a_key_that_is_never_shown_again(tenant, admin_user):
    client = client_for(admin_user)
    saved = client.post(URL, {"section": "stripe", "action": "save", "stripe-api_key": STRIPE_KEY})
    assert saved.status_code == 302 and saved["Location"] == URL
    page = client.get(URL).content.decode()
    assert STRIPE_KEY not in page
    assert "sk_test_…4242" in page and "Stored: sk_test_…4242. Leave empty to keep it." in page
    assert 'name="stripe-api_key"' in page and 'value="sk_' not in page
    with tenant_context(tenant):
        assert PaymentProviderAccount.objects.get().api_key == STRIPE_KEY
    # Saving with the field left empty keeps the stored key.
    client.post(URL, {"section": "stripe", "action": "save", "stripe-api_key": ""})
    with tenant_context(tenant):
        assert PaymentProviderAccount.objects.get().api_key == STRIPE_KEY


def test_refund_settings_are_saved_and_a_provider_without_key_cannot_be_default(tenant, admin_user):
    client = client_for(admin_user)
    assert client.post(URL, REFUNDS).status_code == 302
    with tenant_context(tenant):
        settings = CreditSettings.objects.get()
        assert settings.four_eyes_booking is True
        assert settings.voucher_bonus_percent == Decimal("7.50")
        assert settings.voucher_validity_days == 180
        assert settings.four_eyes_above == {"EUR": "250.00", "SEK": "2500.00"}
    assert 'value="EUR 250.00, SEK 2500.00"' in client.get(URL).content.decode()
    refused = client.post(
        URL, {**REFUNDS, "refunds-default_provider": "mollie", "refunds-voucher_validity_days": "9"}
    )
    assert refused.status_code == 422
    assert "No Mollie account is configured for this shop." in refused.content.decode()
    with tenant_context(tenant):
        assert CreditSettings.objects.get().voucher_validity_days == 180  # nothing saved
    client.post(URL, {"section": "mollie", "action": "save", "mollie-api_key": MOLLIE_KEY})
    assert client.post(URL, {**REFUNDS, "refunds-default_provider": "mollie"}).status_code == 302
    with tenant_context(tenant):
        assert PaymentProviderAccount.objects.get(provider="mollie").is_default


@pytest.mark.parametrize(
    "data",
    [
        {"section": "stripe", "action": "save", "stripe-api_key": "pk_live_abcdefghijklmn"},
        {"section": "stripe", "action": "save", "stripe-api_key": ""},  # nothing stored yet
        {**REFUNDS, "refunds-voucher_bonus_percent": "150"},
        {**REFUNDS, "refunds-voucher_validity_days": "-3"},
        {**REFUNDS, "refunds-default_provider": "paypal"},
        {**REFUNDS, "refunds-four_eyes_above": "EUR lots"},
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(tenant, admin_user, data):
    answer = client_for(admin_user).post(URL, data)
    assert answer.status_code == 422
    assert 'class="error"' in answer.content.decode()
    with tenant_context(tenant):
        assert not PaymentProviderAccount.objects.exists()
        assert not CreditSettings.objects.filter(voucher_validity_days=180).exists()
        assert not AuditEvent.objects.filter(action="payment_settings.updated").exists()


@responses.activate
def test_test_connection_calls_stripe_and_reports_in_the_page(tenant, admin_user):
    client = client_for(admin_user)
    client.post(URL, {"section": "stripe", "action": "save", "stripe-api_key": STRIPE_KEY})
    responses.add(responses.GET, STRIPE_BALANCE_URL, json=stripe_balance())
    answer = client.post(URL, {"section": "stripe", "action": "test"}, follow=True)
    assert "Stripe accepted the test key." in answer.content.decode()
    assert responses.calls[0].request.headers["Authorization"] == f"Bearer {STRIPE_KEY}"
    responses.replace(stripe_invalid_key())
    refused = client.post(URL, {"section": "stripe", "action": "test"})
    assert refused.status_code == 422
    assert "Stripe refused the API key" in refused.content.decode()
    assert "last test failed" in client.get(URL).content.decode()


@responses.activate
def test_test_connection_of_a_typed_mollie_key_does_not_store_it(tenant, admin_user):
    responses.add(
        responses.GET,
        MOLLIE_METHODS_URL,
        json=mollie_methods(),
        content_type="application/hal+json",
    )
    answer = client_for(admin_user).post(
        URL, {"section": "mollie", "action": "test", "mollie-api_key": MOLLIE_KEY}, follow=True
    )
    assert "Mollie accepted the test key." in answer.content.decode()
    with tenant_context(tenant):
        assert not PaymentProviderAccount.objects.exists()


def test_remove_deletes_the_account(tenant, admin_user):
    client = client_for(admin_user)
    client.post(URL, {"section": "mollie", "action": "save", "mollie-api_key": MOLLIE_KEY})
    assert client.post(URL, {"section": "mollie", "action": "remove"}).status_code == 302
    with tenant_context(tenant):
        assert not PaymentProviderAccount.objects.exists()


def test_the_page_speaks_dutch(tenant, admin_user):
    client = client_for(admin_user)
    client.post("/backoffice/language/", {"language": "nl"})
    page = client.get(URL).content.decode()
    assert "Verbinding testen" in page and "Standaard terugbetaalmethode" in page
