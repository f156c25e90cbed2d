"""A new shop works out of the box: a default `webshop` channel, docs/api.md's example
order accepted verbatim, and channels and the return policy configurable by API."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from rest_framework.test import APIClient

from conftest import api_client_for
from returns.models import ReturnPolicy, ReturnReason
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants.models import Role, SalesChannel, Tenant
from tenants.services import membership_set, user_get_or_create

pytestmark = pytest.mark.django_db
API_DOC = Path(settings.BASE_DIR) / "docs" / "api.md"


def documented_order() -> dict:
    """The first JSON example under "## Orders" in docs/api.md, as written there."""
    text = API_DOC.read_text()
    section = text[text.index("## Orders") :]
    return json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))


def test_create_tenant_makes_a_webshop_channel_and_more_on_request():
    call_command(
        "create_tenant",
        slug="fresh",
        name="Fresh",
        admin_email="admin@fresh.example",
        channel=["bol:marketplace:Bol.com", "pos:store"],
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    tenant = Tenant.objects.get(slug="fresh")
    with tenant_context(tenant):
        channels = {(c.code, c.kind, c.name) for c in SalesChannel.objects.all()}
    assert channels == {
        ("webshop", "webshop", "Web shop"),
        ("bol", "marketplace", "Bol.com"),
        ("pos", "store", "pos"),
    }


def test_the_documented_example_order_works_verbatim_on_a_new_shop():
    call_command(
        "create_tenant",
        slug="newshop",
        name="New Shop",
        admin_email="admin@newshop.example",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    api = api_client_for(Tenant.objects.get(slug="newshop"))
    example = documented_order()
    assert example["channel"] == "webshop"
    response = api.post("/api/v1/orders/", example, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["channel"] == "webshop"


def test_channels_are_listed_created_read_and_changed(tenant, api, django_assert_num_queries):
    with tenant_context(tenant):
        agent = user_get_or_create(email="agent@acme.example")
        membership_set(user=agent, role=Role.AGENT, actor=Actor.system("test"))
    created = api.post(
        "/api/v1/channels/",
        {
            "code": "bol",
            "name": "Bol.com",
            "kind": "marketplace",
            "consultant": "AGENT@acme.example",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json() == {
        "code": "bol",
        "name": "Bol.com",
        "kind": "marketplace",
        "consultant": "agent@acme.example",
    }
    with django_assert_num_queries(1):  # the channels with their consultants (key cached)
        listed = api.get("/api/v1/channels/")
    assert [c["code"] for c in listed.json()["results"]] == ["bol", "webshop"]
    changed = api.patch("/api/v1/channels/bol/", {"name": "bol", "consultant": None}, format="json")
    assert changed.status_code == 200
    assert changed.json() == {
        "code": "bol",
        "name": "bol",
        "kind": "marketplace",
        "consultant": None,
    }
    assert api.get("/api/v1/channels/bol/").json()["name"] == "bol"
    assert api.get("/api/v1/channels/nope/").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"code": "webshop", "name": "Again"}, 422, "code_taken"),
        ({"code": "x", "name": "X", "kind": "shop"}, 400, "validation_error"),
        ({"code": "x y", "name": "X"}, 400, "validation_error"),
        ({"code": "x", "name": "X", "colour": "red"}, 400, "validation_error"),
        ({"code": "x", "name": "X", "consultant": "who@else.example"}, 422, "not_a_member"),
    ],
)
def test_bad_channels_are_refused_and_nothing_is_written(tenant, api, body, status, code):
    response = api.post("/api/v1/channels/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (status, code)
    with tenant_context(tenant):
        assert list(SalesChannel.objects.values_list("code", flat=True)) == ["webshop"]


def test_the_policy_is_read_and_changed_with_its_reasons(tenant, api):
    before = api.get("/api/v1/policy/").json()
    assert before["window_days_return"] >= 14
    assert "too_small" in {reason["code"] for reason in before["reasons"]}
    changed = api.patch(
        "/api/v1/policy/",
        {
            "window_days_return": 45,
            "methods": {"drop_off": {"default": "0", "BE": "4.95"}},
            "resolutions": ["refund", "store_credit"],
            "store_credit_bonus_percent": "10",
            "blocked_countries": ["ch"],
            "reasons": [
                {"code": "too_late", "labels": {"en": "Arrived too late", "nl": "Te laat"}}
            ],
        },
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert body["window_days_return"] == 45
    assert body["methods"] == {"drop_off": {"default": "0.00", "BE": "4.95"}}
    assert body["resolutions"] == ["refund", "store_credit"]
    assert body["store_credit_bonus_percent"] == "10.00"
    assert body["blocked_countries"] == ["CH"]
    late = next(reason for reason in body["reasons"] if reason["code"] == "too_late")
    assert late["labels"]["nl"] == "Te laat" and late["active"] is True
    assert api.get("/api/v1/policy/").json() == body


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"window_days_return": 3}, "window_days_return"),
        ({"methods": {"teleport": {}}}, "methods"),
        ({"colour": "red"}, "colour"),
        ({"window_days_return": 40, "reasons": [{"code": "x y", "labels": {}}]}, "reasons[0].code"),
        ({"reasons": [{"code": "ok", "labels": {"fr": "Non"}}]}, "reasons[0].labels"),
    ],
)
def test_a_bad_policy_change_is_refused_whole(tenant, api, change, field):
    before = api.get("/api/v1/policy/").json()
    response = api.patch("/api/v1/policy/", change, format="json")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_policy"
    assert response.json()["field"] == field
    assert api.get("/api/v1/policy/").json() == before


def test_policy_and_channels_belong_to_the_key_s_shop(tenant, other_tenant, api, outsider_api):
    outsider_api.patch("/api/v1/policy/", {"window_days_return": 60}, format="json")
    outsider_api.post("/api/v1/channels/", {"code": "theirs", "name": "T"}, format="json")
    assert api.get("/api/v1/policy/").json()["window_days_return"] != 60
    assert [c["code"] for c in api.get("/api/v1/channels/").json()["results"]] == ["webshop"]
    assert api.get("/api/v1/channels/theirs/").status_code == 404
    with tenant_context(other_tenant):
        assert ReturnPolicy.objects.get().window_days_return == 60
        assert ReturnReason.objects.exists()


def test_without_a_key_nothing_is_shown():
    assert APIClient().get("/api/v1/policy/").status_code == 401
    assert APIClient().get("/api/v1/channels/").status_code == 401
