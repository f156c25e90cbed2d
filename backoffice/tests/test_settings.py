"""Settings pages (admins): policy, reasons, channels, shop, API keys, team."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice.forms import PolicyForm
from backoffice.tests.conftest import client_for, file_request, make_order
from returns.models import ReturnPolicy, ReturnReason
from returns.selectors import return_policy_get
from returns_platform.errors import DomainError
from returns_platform.tenancy import tenant_context
from tenants.models import ApiKey, Membership, SalesChannel, Tenant

pytestmark = pytest.mark.django_db

POLICY_PATH = "/backoffice/settings/policy/"


def policy_post(tenant, **changes) -> dict:
    """The policy form as the page posts it, with ``changes`` applied."""
    with tenant_context(tenant):
        initial = PolicyForm.initial_from(return_policy_get())
    data = {}
    for name, value in initial.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        else:
            data[name] = value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def current_policy(tenant) -> ReturnPolicy:
    with tenant_context(tenant):
        return ReturnPolicy.objects.get()


def test_policy_page_round_trips_without_losing_fields(tenant, admin_user):
    client = client_for(admin_user)
    before = current_policy(tenant).snapshot()
    assert client.post(POLICY_PATH, policy_post(tenant)).status_code == 302
    assert current_policy(tenant).snapshot() == before


def test_policy_changes_are_saved_and_audited(tenant, admin_user):
    client = client_for(admin_user)
    data = policy_post(
        tenant,
        window_days_return="30",
        blocked_countries="de, pl",
        non_returnable_skus="GIFT-25\nSOCKS-3P",
        method_drop_off_default="3.50",
        method_drop_off_countries="BE 5.95, de=6,50",
        method_pickup_offered=None,
        resolutions=["refund", "store_credit"],
        store_credit_bonus_percent="10",
        auto_approve="on",
    )
    response = client.post(POLICY_PATH, data)
    assert response.status_code == 302, response.content.decode()
    policy = current_policy(tenant)
    assert policy.window_days_return == 30
    assert policy.blocked_countries == ["DE", "PL"]
    assert policy.non_returnable_skus == ["GIFT-25", "SOCKS-3P"]
    assert policy.methods["drop_off"] == {"default": "3.50", "BE": "5.95", "DE": "6.50"}
    assert "pickup" not in policy.methods
    assert policy.resolutions == ["refund", "store_credit"]
    assert policy.store_credit_bonus_percent == Decimal("10.00") and policy.auto_approve
    assert policy.window_days_complaint == 730  # untouched fields keep their value


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"window_days_return": "7"}, "window_days_return"),
        ({"window_days_return": "abc"}, "window_days_return"),
        ({"allowed_countries": "NL, XX"}, "allowed_countries"),
        ({"method_drop_off_countries": "Belgium five euro"}, "method_drop_off_countries"),
        ({"method_drop_off_default": "-1"}, "method_drop_off_default"),
        ({"resolutions": None}, "resolutions"),
        ({"store_credit_bonus_percent": "150"}, "store_credit_bonus_percent"),
        ({"high_value_threshold": "-5"}, "high_value_threshold"),
    ],
)
def test_invalid_policy_is_refused_with_field_errors(tenant, admin_user, changes, field):
    client = client_for(admin_user)
    before = current_policy(tenant).snapshot()
    response = client.post(POLICY_PATH, policy_post(tenant, window_days_complaint="800", **changes))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert "Nothing was saved" in response.content.decode()
    # What the admin typed in the other fields is still there to correct and re-send.
    assert response.context["form"]["window_days_complaint"].value() == "800"
    assert current_policy(tenant).snapshot() == before


def test_no_method_offered_is_refused(tenant, admin_user):
    data = policy_post(tenant)
    for name in list(data):
        if name.endswith("_offered"):
            data.pop(name)
    response = client_for(admin_user).post(POLICY_PATH, data)
    assert response.status_code == 422
    assert "Offer at least one return method." in response.content.decode()


def test_the_portal_follows_the_policy(tenant, admin_user):
    """After the admin blocks a country, a new request from there is refused."""
    client_for(admin_user).post(POLICY_PATH, policy_post(tenant, blocked_countries="NL"))
    with tenant_context(tenant), pytest.raises(DomainError) as refused:
        file_request(make_order("5001"))
    assert refused.value.code == "country_blocked"


def test_reasons_add_edit_and_translations(tenant, admin_user):
    client = client_for(admin_user)
    path = "/backoffice/settings/reasons/"
    response = client.post(
        path,
        {
            "code": "too_slow",
            "label_en": "Too slow",
            "label_nl": "Te traag",
            "order": "20",
            "active": "on",
        },
    )
    assert response.status_code == 302
    duplicate = client.post(path, {"code": "too_slow", "label_en": "Again", "order": "1"})
    assert duplicate.status_code == 422 and "code" in duplicate.context["form"].errors
    missing = client.post(path, {"code": "no label", "order": "1"})
    assert {"code", "label_en"} <= set(missing.context["form"].errors)
    with tenant_context(tenant):
        reason = ReturnReason.objects.get(code="too_slow")
    assert (reason.label("nl"), reason.active, reason.order) == ("Te traag", True, 20)
    client.post(
        f"{path}{reason.pk}/",
        {"code": "hacked", "label_en": "Too slow", "label_de": "Zu langsam", "order": "3"},
    )
    with tenant_context(tenant):
        reason.refresh_from_db()
    assert (reason.code, reason.label_de, reason.active, reason.order) == (
        "too_slow",
        "Zu langsam",
        False,
        3,
    )


def test_channels_with_consultant(tenant, admin_user, agent):
    client = client_for(admin_user)
    path = "/backoffice/settings/channels/"
    client.post(
        path,
        {"code": "outlet", "name": "Outlet", "kind": "webshop", "consultant": str(agent.pk)},
    )
    # "webshop" is every new shop's first channel.
    taken = client.post(path, {"code": "webshop", "name": "Again", "kind": "store"})
    assert taken.status_code == 422 and "already exists" in taken.content.decode()
    stranger = client.post(
        path, {"code": "pos", "name": "POS", "kind": "store", "consultant": "999999"}
    )
    assert stranger.status_code == 422 and "consultant" in stranger.context["form"].errors
    with tenant_context(tenant):
        channel = SalesChannel.objects.get(code="outlet")
        assert channel.consultant == agent
        order = make_order("6001", channel="outlet")
        assert file_request(order).assignee == agent  # new requests go to the consultant
    client.post(
        f"{path}{channel.pk}/", {"code": "web", "name": "Web", "kind": "webshop", "consultant": ""}
    )
    with tenant_context(tenant):
        channel.refresh_from_db()
    assert (channel.code, channel.consultant) == ("web", None)


def test_shop_settings_and_notification_address(tenant, admin_user):
    client = client_for(admin_user)
    path = "/backoffice/settings/shop/"
    form = client.get(path).context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "logo"}
    data.update({"notification_email": "service@acme.example", "brand_colour": "#112233"})
    assert client.post(path, data).status_code == 302
    tenant.refresh_from_db()
    assert (tenant.notification_email, tenant.brand_colour) == ("service@acme.example", "#112233")
    bad = dict(data, brand_colour="red", notification_email="nope", return_address_country="ZZ")
    response = client.post(path, bad)
    assert response.status_code == 422
    assert {"brand_colour", "notification_email", "return_address_country"} <= set(
        response.context["form"].errors
    )
    assert Tenant.objects.get(pk=tenant.pk).brand_colour == "#112233"


def test_api_key_is_shown_once_and_can_be_revoked(tenant, admin_user):
    client = client_for(admin_user)
    path = "/backoffice/settings/api-keys/"
    created = client.post(path, {"name": "ERP", "scopes": ["read", "orders"]})
    plaintext = created.context["issued"].plaintext
    assert plaintext in created.content.decode() and created["Cache-Control"].startswith(
        "max-age=0"
    )
    assert plaintext not in client.get(path).content.decode()
    assert (
        client.get("/api/v1/orders/", HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 200
    )
    with tenant_context(tenant):
        key = ApiKey.objects.get(name="ERP")
    client.post(f"{path}{key.pk}/revoke/")
    assert (
        client.get("/api/v1/orders/", HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 401
    )
    assert client.post(path, {"name": ""}).status_code == 422
    assert client.post(path, {"name": "No scope"}).status_code == 422
    assert key.scopes == ["read", "orders"]


def test_team_members_and_roles(tenant, admin_user):
    client = client_for(admin_user)
    path = "/backoffice/settings/team/"
    client.post(
        path, {"email": "New@Acme.example", "role": "warehouse", "password": "long-enough-1"}
    )
    with tenant_context(tenant):
        member = Membership.objects.select_related("user").get(user__username="new@acme.example")
        own = Membership.objects.get(user=admin_user)
    assert member.role == "warehouse" and member.user.check_password("long-enough-1")
    client.post(f"{path}{member.pk}/role/", {"role": "agent"})
    last_admin = client.post(f"{path}{own.pk}/role/", {"role": "agent"}, follow=True)
    assert "at least one admin" in last_admin.content.decode()
    yourself = client.post(f"{path}{own.pk}/remove/", follow=True)
    assert "cannot remove yourself" in yourself.content.decode()
    assert client.post(path, {"email": "x", "role": "boss"}).status_code == 422
    client.post(f"{path}{member.pk}/remove/")
    with tenant_context(tenant):
        assert list(Membership.objects.values_list("role", flat=True)) == ["admin"]
