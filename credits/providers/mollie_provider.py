"""Mollie refunds through mollie-api-python (``POST /v2/payments/{id}/refunds``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mollie.api.client import Client
from mollie.api.error import Error, RequestError, RequestSetupError, ResponseError
from mollie.api.objects.payment import Payment
from mollie.api.resources import PaymentRefunds

from credits.providers.base import (
    ConnectionCheck,
    PaymentProvider,
    ProviderError,
    RefundRequest,
    RefundResult,
)
from returns_platform.money import quantize


class MollieProvider(PaymentProvider):
    name = "mollie"

    def client(self) -> Client:
        # Retries are ours (with backoff and the same key), not the client's.
        client = Client(retry=0)
        client.set_api_key(self.api_key)
        return client

    def refund(self, request: RefundRequest) -> RefundResult:
        client = self.client()
        payment = Payment({"id": request.payment_reference}, client)
        data = {
            "amount": {
                "currency": request.currency,
                "value": str(quantize(request.amount, request.currency)),
            },
            "description": request.description[:140],
        }
        with _provider_errors():
            refund = PaymentRefunds(client, payment).create(
                data, idempotency_key=request.idempotency_key
            )
        if refund.status == "failed":
            raise ProviderError(f"Mollie refund {refund.id} failed.", retryable=False)
        return RefundResult(provider_reference=refund.id)

    def check(self) -> ConnectionCheck:
        """``GET /v2/methods``: the profile's enabled payment methods; changes nothing."""
        with _provider_errors():
            methods = self.client().methods.list()
        names = sorted(str(method.id) for method in methods)
        mode = "live" if self.api_key.startswith("live_") else "test"
        return ConnectionCheck(mode=mode, detail=", ".join(names))


@contextmanager
def _provider_errors() -> Iterator[None]:
    try:
        yield
    except ResponseError as error:
        status = getattr(error, "status", None) or 0
        retryable = status == 429 or status >= 500
        raise ProviderError(f"mollie {status}: {error}"[:1000], retryable=retryable) from error
    except RequestSetupError as error:  # bad key or data: trying again will not help
        raise ProviderError(f"mollie setup: {error}"[:1000], retryable=False) from error
    except RequestError as error:  # Mollie could not be reached
        raise ProviderError(f"mollie request: {error}"[:1000], retryable=True) from error
    except Error as error:
        raise ProviderError(f"mollie: {error}"[:1000], retryable=True) from error
