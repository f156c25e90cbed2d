"""OpenAPI description of the API key authentication."""

import math

from django.core.validators import RegexValidator
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from returns_platform.api import TenantAPIView
from tenants.models import ApiScope
from tenants.scopes import required_scopes


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "tenants.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "rp_<prefix>_<secret>",
            "description": "A shop's API key, created in the back office or with "
            "`manage.py create_api_key <slug>`. Each key carries scopes chosen at creation: "
            + "; ".join(f"`{scope.value}`: {scope.label}" for scope in ApiScope)
            + ". `read` reads every area; each other scope reads and writes its own area; "
            "a request outside the key's scopes is answered 403 `insufficient_scope`. "
            "Each operation lists the scopes that allow it in `x-required-scopes`.",
        }


class StrictSerializerSchema(OpenApiSerializerExtension):
    """A strict serializer refuses fields it does not know: its request body says so."""

    target_class = "returns_platform.api.StrictSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema


class AmountFieldSchema(OpenApiSerializerFieldExtension):
    """An amount is a plain decimal string matching the field's pattern, or (in requests)
    a JSON integer within the same bounds."""

    target_class = "returns_platform.api_fields.AmountField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        text = {"type": "string", "format": "decimal", "pattern": field.pattern}
        if direction != "request":
            return text
        largest = 10 ** (field.max_digits - field.decimal_places) - 1
        high = min(largest, math.floor(field.max_value)) if field.max_value is not None else largest
        low = -largest if field.min_value is None else max(-largest, math.ceil(field.min_value))
        return {"oneOf": [text, {"type": "integer", "minimum": low, "maximum": high}]}


ERROR_SCHEMA = {
    "type": "object",
    "description": "Every refusal: a stable `code`, a readable `message`, the offending "
    "`field` (a path such as `lines[0].quantity`) and, for validation errors, every "
    "problem in `errors`. Some codes add facts (`allowed`, `returns`, `creditable`, ...).",
    "properties": {
        "code": {"type": "string", "example": "validation_error"},
        "message": {"type": "string"},
        "field": {"type": "string", "nullable": True},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
                "required": ["code", "message"],
            },
        },
    },
    "required": ["code", "message"],
    "additionalProperties": True,
}
ERROR_RESPONSES = {
    "400": "Malformed JSON, invalid fields (`validation_error`) or nesting too deep.",
    "401": "Missing, unknown or revoked API key.",
    "403": "The key lacks the scope (`insufficient_scope`).",
    "404": "Nothing with this identifier in the key's shop.",
    "409": "The request conflicts with the current state (e.g. `invalid_transition`).",
    "413": "The body is larger than the API reads (`payload_too_large`).",
    "415": "The body is not JSON (`unsupported_media_type`).",
    "422": "A business rule refuses the request (the `code` says which).",
    "429": "Too many requests.",
}
READ_ERRORS = ("400", "401", "403", "404", "429")


# Request text as DRF's CharField takes it: no NUL character and, where it may not be
# blank, something besides white space (it is trimmed first). White space is spelled out:
# what Python's ``str.strip`` removes, which is more than ``\\s`` means in JSON Schema.
WHITE_SPACE = (
    "\\t\\n\\u000b\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680"
    "\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
)
TEXT = "^[^\\u0000]*$"
NOT_BLANK = f"^[^\\u0000]*[^\\u0000{WHITE_SPACE}][^\\u0000]*$"


class ScopedAutoSchema(AutoSchema):
    """Every operation names the API key scopes that allow it (``x-required-scopes``, any
    one of them), documents its error answers with the one error body, and every list
    documents the cursor-paginated wrapper it answers with."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and schema.get("type") == "string"
            and not {"pattern", "format", "enum"} & schema.keys()
            and not any(isinstance(v, RegexValidator) for v in field.validators)
        ):
            # DRF refuses a NUL character and trims white space before the blank check.
            schema["pattern"] = (
                TEXT if field.allow_blank or not field.trim_whitespace else NOT_BLANK
            )
        # A list that refuses to be empty says so (DRF's allow_empty is not mapped).
        if (
            isinstance(field, serializers.ListSerializer | serializers.ListField)
            and schema.get("type") == "array"
        ):
            # Bounds of a list (DRF's allow_empty, and a nested serializer's max_length and
            # min_length, are not mapped).
            if not field.allow_empty:
                schema["minItems"] = max(1, schema.get("minItems", 0))
            if field.min_length is not None:
                schema["minItems"] = max(field.min_length, schema.get("minItems", 0))
            if field.max_length is not None:
                schema["maxItems"] = field.max_length
        return schema

    def _get_paginator(self):
        if isinstance(self.view, TenantAPIView):
            return self.view.pagination_class() if self.view.pagination_class else None
        return super()._get_paginator()

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None or not getattr(self.view, "authentication_classes", None):
            return operation
        component = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA
        )
        registry.register_on_missing(component)
        codes = READ_ERRORS if method.upper() == "GET" else tuple(ERROR_RESPONSES)
        responses = operation.setdefault("responses", {})
        body = {"application/json": {"schema": component.ref}}
        for code in codes:
            documented = responses.setdefault(code, {"description": ERROR_RESPONSES[code]})
            # A view may describe an error answer (its codes) without its body: add the body.
            documented.setdefault("content", body)
        scopes = sorted(required_scopes(self.view, method.upper()))
        operation["x-required-scopes"] = scopes
        note = "Scopes: " + " or ".join(f"`{scope}`" for scope in scopes) + "."
        description = operation.get("description", "")
        operation["description"] = f"{description}\n\n{note}" if description else note
        return operation
