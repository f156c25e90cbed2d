"""GET/PUT /api/v1/settings/carriers/: the shop's carrier accounts."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from carriers import selectors
from carriers.connectors import CarrierError
from carriers.models import CarrierAccount
from carriers.serializers import CarrierSettingsInput, CarrierSettingsOutput
from carriers.services import ACCOUNT_FIELDS, carrier_account_save
from returns_platform.api import TenantAPIView
from returns_platform.errors import DomainError, lookup


def _settings() -> dict:
    return CarrierSettingsOutput({"accounts": selectors.accounts()}).data


class CarrierSettingsApi(TenantAPIView):
    @extend_schema(operation_id="carrier_settings_get", responses=CarrierSettingsOutput)
    def get(self, request):
        return Response(_settings())

    @extend_schema(
        operation_id="carrier_settings_put",
        request=CarrierSettingsInput,
        responses=CarrierSettingsOutput,
        description="Replace the shop's carrier accounts. Accounts not listed are "
        "deactivated (their credentials are kept). Credentials are write-only: an empty or "
        "missing credential keeps the stored one. Refused (422) with `credentials_missing` "
        "when a carrier's required credentials are neither given nor stored.",
    )
    def put(self, request):
        payload = CarrierSettingsInput(data=request.data)
        payload.is_valid(raise_exception=True)
        accounts = payload.validated_data["accounts"]
        try:
            with transaction.atomic():
                for account in accounts:
                    carrier_account_save(
                        carrier=account["carrier"],
                        actor=self.actor,
                        values={name: account[name] for name in ACCOUNT_FIELDS if name in account},
                        credentials=account.get("credentials"),
                    )
                listed = {account["carrier"] for account in accounts}
                for other in CarrierAccount.objects.exclude(carrier__in=listed).filter(active=True):
                    carrier_account_save(
                        carrier=other.carrier, actor=self.actor, values={"active": False}
                    )
        except CarrierError as error:
            # A carrier's own answer is its text; the codes the platform knows are its own.
            known = error.code if lookup(error.code) else "carrier_error"
            raise DomainError(
                code=known,
                field="accounts",
                params={**error.params, "detail": error.message},
                **({} if known == error.code else {"carrier_code": error.code}),
            ) from error
        return Response(_settings())
