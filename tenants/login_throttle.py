"""Staff sign-in throttling by client address, against password spraying.

django-axes locks a user name *from one address* after a few failures, so nobody can lock
a colleague out from elsewhere. That leaves spraying (one attempt each at many user names
from one address) unthrottled; this counts every failed sign-in per client address
(settled by ``returns_platform.proxies``) and refuses further attempts from an address
over ``LOGIN_FAILURES_PER_ADDRESS`` failures in ``LOGIN_FAILURE_WINDOW_MINUTES``, for every
user name, until the window ends. A successful sign-in does not reset it: a sprayer who
guesses one password right must not earn more guesses.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from returns_platform.proxies import client_address
from returns_platform.ratelimit import Limit, exceeded, hit


def _limit() -> Limit:
    return Limit(
        "login-failures-address",
        settings.LOGIN_FAILURES_PER_ADDRESS,
        settings.LOGIN_FAILURE_WINDOW_MINUTES * 60,
    )


class AddressThrottleBackend:
    """First authentication backend: refuses every attempt from an address over its limit."""

    def authenticate(self, request, **credentials):
        if request is not None and exceeded(_limit(), client_address(request)):
            raise PermissionDenied("Too many failed sign-ins from this address.")
        return None  # within the limit: the next backend decides

    # No get_user(): this backend never signs anybody in, so a session never names it.


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    if request is not None:
        hit(_limit(), client_address(request))
