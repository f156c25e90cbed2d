"""OpenAPI description of the API key authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

from returns_platform.api import CursorPagination, TenantAPIView
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


class ScopedAutoSchema(AutoSchema):
    """Every operation names the API key scopes that allow it (``x-required-scopes``, any
    one of them), documents its error answers with the one error body, and every list
    documents the cursor-paginated wrapper it answers with."""

    def _get_paginator(self):
        if isinstance(self.view, TenantAPIView):
            return CursorPagination()
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
