"""A shop offers at least one return method, each with a cost: the policy's rule, applied
by the API and the back office alike."""

from __future__ import annotations

import pytest

from returns.policy import return_policy_update
from returns.selectors import return_policy_get
from returns_platform.errors import DomainError
from returns_platform.tenancy import tenant_context
from testing.backoffice import policy_post
from testing.staff import TEST_ACTOR, client_for

pytestmark = pytest.mark.django_db
POLICY_PATH = "/backoffice/settings/policy/"


def _methods(tenant) -> dict:
    with tenant_context(tenant):
        return return_policy_get().snapshot()["methods"]


@pytest.mark.parametrize(
    ("methods", "code", "field"),
    [
        ({}, "no_method", "methods"),
        ({"drop_off": {}}, "method_without_cost", "methods.drop_off"),
    ],
)
def test_the_service_refuses(in_tenant, methods, code, field):
    before = return_policy_get().snapshot()["methods"]
    with pytest.raises(DomainError) as refused:
        return_policy_update(changes={"methods": methods}, actor=TEST_ACTOR)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert return_policy_get().snapshot()["methods"] == before


@pytest.mark.parametrize(
    ("methods", "code"), [({}, "no_method"), ({"pickup": {}}, "method_without_cost")]
)
def test_the_api_refuses(api, tenant, methods, code):
    before = _methods(tenant)
    response = api.patch("/api/v1/policy/", {"methods": methods}, format="json")
    assert response.status_code == 422, response.json()
    assert response.json()["code"] == code
    assert _methods(tenant) == before


def test_the_back_office_shows_the_refusal_on_the_method(tenant, admin_user):
    before = _methods(tenant)
    data = policy_post(tenant, method_pickup_offered="on", method_pickup_default="")
    data.pop("method_pickup_countries", None)
    response = client_for(admin_user).post(POLICY_PATH, data)
    assert response.status_code == 422
    assert "method_pickup_default" in response.context["form"].errors
    assert "needs a default cost or a cost per country" in response.content.decode()
    assert _methods(tenant) == before
