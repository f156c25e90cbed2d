"""The shop's return policy for shops that configure by API: windows, methods with their
costs per country, resolutions, bonus, countries, inspection settings and reasons."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.response import Response

from returns.policy import policy_settings, return_policy_configure
from returns.selectors import return_policy_get, return_reasons
from returns_platform.api import TenantAPIView

EXAMPLE_CHANGE = {
    "window_days_return": 30,
    "methods": {"drop_off": {"default": "0.00", "BE": "4.95"}, "pickup": {"default": "6.95"}},
    "resolutions": ["refund", "store_credit", "exchange"],
    "store_credit_bonus_percent": "10",
    "blocked_countries": ["CH"],
    "reasons": [{"code": "too_late", "labels": {"en": "Arrived too late", "nl": "Te laat"}}],
}


def _body() -> dict:
    reasons = [
        {
            "code": reason.code,
            "labels": {
                language: getattr(reason, f"label_{language}")
                for language in ("en", "nl", "de", "pl", "sv")
            },
            "active": reason.active,
            "order": reason.order,
        }
        for reason in return_reasons(active_only=False)
    ]
    return {**policy_settings(return_policy_get()), "reasons": reasons}


class PolicyApi(TenantAPIView):
    """The shop's return policy and its reasons."""

    @extend_schema(operation_id="policy_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(_body())

    @extend_schema(
        operation_id="policy_partial_update",
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        examples=[OpenApiExample("Change windows, methods and reasons", EXAMPLE_CHANGE)],
        description="Change any of the settings GET shows; `reasons` are created or changed "
        "by `code` (never deleted: `active: false` takes one out of the portal). All or "
        "nothing: a bad value is 422 `invalid_policy` naming the field.",
    )
    def patch(self, request):
        if not isinstance(request.data, dict):
            return Response(
                {"code": "invalid_policy", "message": "Send a JSON object of settings."},
                status=422,
            )
        return_policy_configure(changes=dict(request.data), actor=self.actor)
        return Response(_body())
