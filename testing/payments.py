"""Payment provider set-up in tests: real-looking keys and the providers' answers to a
"test connection" call, at their real URLs (for ``responses``)."""

from __future__ import annotations

import responses

STRIPE_KEY = "sk_test_51PzQx2LkdIwHu7ixAbCdEfGhIjKlMnOpQrStUv4242"
STRIPE_LIVE_KEY = "rk_live_51PzQx2LkdIwHu7ixZyXwVuTsRqPoNmLkJiHgFe9876"
MOLLIE_KEY = "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"
STRIPE_BALANCE_URL = "https://api.stripe.com/v1/balance"
MOLLIE_METHODS_URL = "https://api.mollie.com/v2/methods"


def stripe_balance(*, livemode: bool = False) -> dict:
    """``GET /v1/balance`` as Stripe answers it."""
    return {
        "object": "balance",
        "available": [{"amount": 0, "currency": "eur", "source_types": {"card": 0}}],
        "connect_reserved": [{"amount": 0, "currency": "eur"}],
        "livemode": livemode,
        "pending": [{"amount": 1250, "currency": "eur", "source_types": {"card": 1250}}],
    }


def stripe_invalid_key() -> responses.Response:
    return responses.Response(
        responses.GET,
        STRIPE_BALANCE_URL,
        status=401,
        json={
            "error": {
                "message": "Invalid API Key provided: sk_test_********************4242",
                "type": "invalid_request_error",
            }
        },
    )


def mollie_methods() -> dict:
    """``GET /v2/methods`` as Mollie answers it (HAL)."""

    def method(code: str, description: str) -> dict:
        return {
            "resource": "method",
            "id": code,
            "description": description,
            "minimumAmount": {"value": "0.01", "currency": "EUR"},
            "maximumAmount": {"value": "50000.00", "currency": "EUR"},
            "image": {
                "size1x": f"https://www.mollie.com/external/icons/payment-methods/{code}.png",
                "size2x": f"https://www.mollie.com/external/icons/payment-methods/{code}%402x.png",
                "svg": f"https://www.mollie.com/external/icons/payment-methods/{code}.svg",
            },
            "status": "activated",
            "_links": {
                "self": {
                    "href": f"https://api.mollie.com/v2/methods/{code}",
                    "type": "application/hal+json",
                }
            },
        }

    return {
        "count": 2,
        "_embedded": {"methods": [method("ideal", "iDEAL"), method("creditcard", "Card")]},
        "_links": {
            "self": {"href": MOLLIE_METHODS_URL, "type": "application/hal+json"},
            "documentation": {
                "href": "https://docs.mollie.com/reference/list-methods",
                "type": "text/html",
            },
        },
    }


def mollie_unauthorized() -> responses.Response:
    return responses.Response(
        responses.GET,
        MOLLIE_METHODS_URL,
        status=401,
        content_type="application/hal+json",
        json={
            "status": 401,
            "title": "Unauthorized Request",
            "detail": "Missing authentication, or failed to authenticate",
            "_links": {
                "documentation": {
                    "href": "https://docs.mollie.com/overview/authentication",
                    "type": "text/html",
                }
            },
        },
    )
