"""Carrier webhooks: verified per carrier, then applied to the shipment they name."""

from __future__ import annotations

import logging

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from carriers.connectors import CarrierError, NotSupported, connector_for
from carriers.models import CarrierAccount, ReturnShipment
from carriers.tracking import tracking_apply
from returns_platform.tenancy import tenant_context, unscoped_context
from tenants.models import Tenant

logger = logging.getLogger(__name__)
MAX_BODY = 256 * 1024


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, slug: str, carrier: str) -> JsonResponse:
    """``POST /hooks/carriers/<shop>/<carrier>/``. A bad signature is a 401 that changes
    nothing; a parcel we do not know is acknowledged (the carrier would resend forever)."""
    with unscoped_context():
        tenant = get_object_or_404(Tenant, slug=slug)
    if len(request.body) > MAX_BODY:
        return JsonResponse({"code": "too_large"}, status=413)
    with tenant_context(tenant):
        account = CarrierAccount.objects.filter(carrier=carrier, active=True).first()
        if account is None:
            return JsonResponse({"code": "not_found"}, status=404)
        try:
            update = connector_for(carrier, account.credentials).parse_webhook(
                request.body, dict(request.headers.items())
            )
        except NotSupported:
            return JsonResponse({"code": "not_found"}, status=404)
        except CarrierError as error:
            status = 401 if error.code == "bad_signature" else 400
            logger.warning("Carrier webhook refused (%s): %s", carrier, error.message)
            return JsonResponse({"code": error.code}, status=status)
        shipment = (
            ReturnShipment.objects.filter(account=account, tracking_number=update.tracking_number)
            .exclude(tracking_number="")
            .first()
        )
        if shipment is None:
            return JsonResponse({"status": "ignored"})
        added = tracking_apply(shipment=shipment, update=update, source="webhook")
    return JsonResponse({"status": "ok", "events": added})
