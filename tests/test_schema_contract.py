"""The OpenAPI schema tells the truth about lists and errors."""

from __future__ import annotations

import pytest

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(client):
    return client.get("/api/schema/?format=json").json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def _ref(response) -> str:
    return response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")


def test_every_operation_documents_its_error_answers(schema):
    missing = []
    for path, method, operation in _operations(schema):
        expected = {"400", "401", "403", "404"} | (
            {"409", "413", "415", "422"} if method != "get" else set()
        )
        for code in expected:
            response = operation["responses"].get(code)
            # A view may document an answer more precisely; otherwise the one error body.
            if response is None or not response.get("content"):
                missing.append(f"{method.upper()} {path} {code}")
    assert missing == []
    assert _ref(schema["paths"]["/api/v1/orders/"]["post"]["responses"]["409"]).endswith("/Error")
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "message"]


def test_lists_are_documented_as_the_wrapper_they_answer_with(schema, api):
    lists = [
        path
        for path, method, operation in _operations(schema)
        if method == "get" and "Paginated" in _ref(operation["responses"]["200"])
    ]
    assert {"/api/v1/orders/", "/api/v1/returns/", "/api/v1/credit-notes/"} <= set(lists)
    for path in lists:
        if "{" in path:
            continue
        ref = _ref(schema["paths"][path]["get"]["responses"]["200"]).rsplit("/", 1)[1]
        documented = set(schema["components"]["schemas"][ref]["properties"])
        answered = api.get(path)
        assert answered.status_code == 200, path
        assert set(answered.json()) == documented == {"next", "previous", "results"}, path
