"""OpenAPI description of the API key authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

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


class ScopedAutoSchema(AutoSchema):
    """Every operation names the API key scopes that allow it (``x-required-scopes``, any
    one of them) and documents the 403 ``insufficient_scope`` answer."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None or not getattr(self.view, "authentication_classes", None):
            return operation
        scopes = sorted(required_scopes(self.view, method.upper()))
        operation["x-required-scopes"] = scopes
        note = "Scopes: " + " or ".join(f"`{scope}`" for scope in scopes) + "."
        description = operation.get("description", "")
        operation["description"] = f"{description}\n\n{note}" if description else note
        return operation
