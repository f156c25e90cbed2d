"""The OpenAPI schema tells the truth about lists and errors."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers

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


def test_strict_request_bodies_refuse_unknown_fields_in_the_schema_too(schema):
    components = schema["components"]["schemas"]
    for name in ("OrderInputRequest", "OrderLineInputRequest", "VoucherInputRequest"):
        assert components[name]["additionalProperties"] is False, name
    # The API refuses what the schema refuses.
    assert components["OrderBulkInputRequest"]["properties"]["orders"]["minItems"] == 1
    assert components["OrderInputRequest"]["properties"]["lines"]["minItems"] == 1
    assert components["OrderInputRequest"]["properties"]["lines"]["maxItems"] == 1000
    assert components["ReturnCreateInputRequest"]["properties"]["attachments"]["maxItems"] == 10


def test_amounts_document_their_pattern_and_the_integer_spelling(schema):
    unit_price = schema["components"]["schemas"]["OrderLineInputRequest"]["properties"][
        "unit_price"
    ]
    text, integer = unit_price["oneOf"]
    assert text["pattern"] == r"^[0-9]{1,10}(?:\.[0-9]{1,3})?$"
    assert integer == {"type": "integer", "minimum": 0, "maximum": 9_999_999_999}


def test_whole_lists_are_documented_as_arrays_and_pages_as_wrappers(schema):
    paths = schema["paths"]
    for path in ("/api/v1/orders/{number}/history/", "/api/v1/returns/{rma}/messages/"):
        operation = paths[path]["get"]
        assert (
            operation["responses"]["200"]["content"]["application/json"]["schema"]["type"]
            == "array"
        )
        assert not {p["name"] for p in operation.get("parameters", [])} & {"limit", "cursor"}
    limit = next(p for p in paths["/api/v1/channels/"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _can_be_null(model, source: str) -> bool:
    for part in source.split("."):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a property or method: its type is declared on the serializer
        if field.one_to_many or field.many_to_many:
            return False
        if field.null:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def test_output_fields_whose_source_can_be_null_are_nullable():
    import returns_platform.urls  # noqa: F401 - imports every app's serializers

    apps = {"orders", "returns", "credits", "notifications", "tenants", "carriers", "conversations"}
    missing = []
    for serializer_class in set(_subclasses(serializers.ModelSerializer)):
        if serializer_class.__module__.partition(".")[0] not in apps:
            continue
        model = serializer_class.Meta.model
        for name, field in serializer_class().fields.items():
            if field.write_only or field.source == "*":
                continue
            if _can_be_null(model, field.source) and not field.allow_null:
                missing.append(f"{serializer_class.__name__}.{name}")
    assert missing == []
