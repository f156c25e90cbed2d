"""Inputs that used to cost a 500 or an HTML page: bounded JSON, the auth scheme's case."""

from __future__ import annotations

import pytest

from orders.models import Order
from returns_platform.tenancy import tenant_context

JSON_POSTS = [
    "/api/v1/orders/",
    "/api/v1/returns/",
    "/api/v1/vouchers/",
    "/api/v1/credit-notes/",
    "/api/v1/webhooks/",
]


@pytest.mark.parametrize("path", JSON_POSTS)
def test_deeply_nested_json_is_a_400_not_a_500(api, path):
    body = "[" * 1000 + "]" * 1000
    response = api.post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "too_deep"


def test_nesting_within_the_limit_is_read(api):
    body = '{"number": [[[[[[1]]]]]]}'
    response = api.post("/api/v1/orders/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_a_body_over_the_limit_is_a_json_413_and_changes_nothing(api, tenant, settings):
    settings.API_MAX_BODY_BYTES = 1024 * 1024
    body = '{"number": "1", "padding": "' + "x" * (2 * 1024 * 1024) + '"}'
    response = api.post("/api/v1/orders/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    with tenant_context(tenant):
        assert not Order.objects.exists()


def test_a_twenty_megabyte_body_is_refused_as_json(api):
    body = b'{"number": "' + b"9" * (20 * 1024 * 1024) + b'"}'
    response = api.post("/api/v1/orders/", data=body, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (413, "payload_too_large")


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer"])
def test_the_auth_scheme_is_case_insensitive(api, scheme):
    _, plaintext = api._credentials["HTTP_AUTHORIZATION"].split(" ", 1)
    api.credentials(HTTP_AUTHORIZATION=f"{scheme} {plaintext}")
    assert api.get("/api/v1/orders/").status_code == 200


def test_another_scheme_is_still_refused(api):
    _, plaintext = api._credentials["HTTP_AUTHORIZATION"].split(" ", 1)
    api.credentials(HTTP_AUTHORIZATION=f"Basic {plaintext}")
    response = api.get("/api/v1/orders/")
    assert (response.status_code, response.json()["code"]) == (401, "invalid_api_key")


def test_a_request_django_refuses_before_any_view_is_json_under_the_api(api, client):
    # A Host header outside ALLOWED_HOSTS: Django answers 400 before the view runs.
    response = api.get("/api/v1/orders/", HTTP_HOST="evil.invalid")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "bad_request"
    page = client.get("/backoffice/", HTTP_HOST="evil.invalid")
    assert page.status_code == 400 and "json" not in page["Content-Type"]


FORGED_CURSORS = [
    "cD1hYmM=",  # p=abc: a position that is not a number
    "cD0xLjU=",  # p=1.5
    "cj0xJnA9eA==",  # r=1&p=x
    "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5",  # p= a number no id column can hold
]


def _paginated_lists(client) -> list[str]:
    schema = client.get("/api/schema/?format=json").json()
    paths = []
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if not operation or "{" in path:
            continue
        ref = (
            operation["responses"]["200"]
            .get("content", {})
            .get("application/json", {})
            .get("schema", {})
            .get("$ref", "")
        )
        if "Paginated" in ref:
            paths.append(path)
    return paths


def test_a_forged_cursor_is_a_clear_refusal_on_every_list(api, client):
    """A cursor is opaque but not signed: one carrying a position that is not an id is
    refused like any other invalid cursor, instead of reaching the database (500)."""
    paths = _paginated_lists(client)
    assert "/api/v1/orders/" in paths and "/api/v1/returns/" in paths
    for path in paths:
        for cursor in FORGED_CURSORS:
            response = api.get(f"{path}?cursor={cursor}")
            assert response.status_code == 404, (path, cursor, response.status_code)
            assert response.json()["code"] == "not_found", (path, cursor)
