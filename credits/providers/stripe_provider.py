"""Stripe refunds through the official SDK (``POST /v1/refunds``)."""

from __future__ import annotations

import stripe

from credits.providers.base import (
    ConnectionCheck,
    PaymentProvider,
    ProviderError,
    RefundRequest,
    RefundResult,
    to_minor_units,
)


class StripeProvider(PaymentProvider):
    name = "stripe"

    def refund(self, request: RefundRequest) -> RefundResult:
        try:
            refund = stripe.Refund.create(
                payment_intent=request.payment_reference,
                amount=to_minor_units(request.amount, request.currency),
                currency=request.currency.lower(),
                idempotency_key=request.idempotency_key,
                api_key=self.api_key,
                # Retries are ours (with backoff and the same key), not the SDK's.
                max_network_retries=0,
            )
        except stripe.RateLimitError as error:
            raise ProviderError(_message(error), retryable=True) from error
        except (stripe.APIConnectionError, stripe.APIError) as error:
            raise ProviderError(_message(error), retryable=True) from error
        except stripe.StripeError as error:
            raise ProviderError(_message(error), retryable=False) from error
        if refund.status == "failed":
            reason = refund.to_dict().get("failure_reason") or "unknown"
            raise ProviderError(
                f"Stripe refund {refund.id} failed: {reason}",
                retryable=False,
            )
        return RefundResult(provider_reference=refund.id)

    def check(self) -> ConnectionCheck:
        """``GET /v1/balance``: allowed to secret and restricted keys, changes nothing."""
        try:
            balance = stripe.Balance.retrieve(api_key=self.api_key, max_network_retries=0)
        except stripe.AuthenticationError as error:
            raise ProviderError(_message(error), retryable=False) from error
        except stripe.PermissionError as error:
            raise ProviderError(_message(error), retryable=False) from error
        except (stripe.RateLimitError, stripe.APIConnectionError, stripe.APIError) as error:
            raise ProviderError(_message(error), retryable=True) from error
        except stripe.StripeError as error:
            raise ProviderError(_message(error), retryable=False) from error
        data = balance.to_dict()
        currencies = sorted({entry["currency"].upper() for entry in data.get("available") or []})
        return ConnectionCheck(
            mode="live" if data.get("livemode") else "test", detail=", ".join(currencies)
        )


def _message(error: stripe.StripeError) -> str:
    code = getattr(error, "code", None) or type(error).__name__
    return f"stripe {code}: {error.user_message or str(error)}"[:1000]
