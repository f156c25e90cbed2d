"""Payment provider adapters for refunds."""

from credits.providers.base import (
    ConnectionCheck,
    PaymentProvider,
    ProviderError,
    RefundRequest,
    RefundResult,
)
from credits.providers.manual import ManualProvider
from credits.providers.mollie_provider import MollieProvider
from credits.providers.stripe_provider import StripeProvider

PROVIDERS: dict[str, type[PaymentProvider]] = {
    "manual": ManualProvider,
    "stripe": StripeProvider,
    "mollie": MollieProvider,
}


def provider_for(name: str, api_key: str = "") -> PaymentProvider:
    return PROVIDERS[name](api_key=api_key)


__all__ = [
    "ConnectionCheck",
    "PROVIDERS",
    "ManualProvider",
    "MollieProvider",
    "PaymentProvider",
    "ProviderError",
    "RefundRequest",
    "RefundResult",
    "StripeProvider",
    "provider_for",
]
