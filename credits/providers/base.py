"""What a payment provider adapter does: pay a refund back, idempotently."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from returns_platform.money import minor_units


@dataclass(frozen=True)
class RefundRequest:
    amount: Decimal
    currency: str
    payment_reference: str
    idempotency_key: str
    description: str = ""


@dataclass(frozen=True)
class RefundResult:
    """``pending`` is True while the provider still has to confirm (manual payouts)."""

    provider_reference: str
    pending: bool = False


@dataclass(frozen=True)
class ConnectionCheck:
    """What a "test connection" call learnt: the key works, in ``test`` or ``live`` mode."""

    mode: str
    detail: str = ""


class ProviderError(Exception):
    """The provider refused or could not be reached.

    ``retryable`` failures (network, rate limits, 5xx) are tried again after a backoff
    with the same idempotency key; the others (invalid request, refused payment) fail
    the refund at once.
    """

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


class PaymentProvider:
    name = ""

    def __init__(self, api_key: str = "") -> None:
        self.api_key = api_key

    def refund(self, request: RefundRequest) -> RefundResult:
        raise NotImplementedError

    def check(self) -> ConnectionCheck:
        """Call the provider with the key and read nothing but whether it is accepted.

        A refused key raises ``ProviderError`` with ``retryable=False``; a provider that
        cannot be reached raises it with ``retryable=True``.
        """
        raise NotImplementedError


def to_minor_units(amount: Decimal, currency: str) -> int:
    """12.34 EUR -> 1234; exact, never through a float."""
    scaled = amount.scaleb(minor_units(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more decimals than {currency} allows.")
    return int(scaled)
