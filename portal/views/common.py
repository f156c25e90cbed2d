"""What every portal page shares: the shop's language, the wizard's steps and order,
the page context, and the decorators that scope a page to its shop and its step."""

from __future__ import annotations

import functools

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import selectors
from portal.branding import brand_palette
from portal.wizard import WizardState, state_clear, state_load
from returns.predicates import case_needs_parcel
from returns.statuses import Resolution, ReturnMethod
from tenants.portal import portal_view

LANGUAGE_SESSION_KEY = "portal:language"
SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}
STEPS = ("case", "items", "details", "resolution", "exchange", "method", "dropoff", "review")
NOT_FOUND = gettext_lazy(
    "We could not find an order with these details. Please check them and try again."
)


def choose_language(request, tenant, hint: str = "") -> str:
    """The consumer's choice, else the order's language, else the browser's, else the shop's."""
    chosen = request.session.get(LANGUAGE_SESSION_KEY, "")
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    if hint in SUPPORTED_LANGUAGES:
        return hint
    if request.META.get("HTTP_ACCEPT_LANGUAGE"):
        from_browser = translation.get_language_from_request(request)
        header = request.META["HTTP_ACCEPT_LANGUAGE"].lower()
        if from_browser in SUPPORTED_LANGUAGES and from_browser in header:
            return from_browser
    default = tenant.default_language
    return default if default in SUPPORTED_LANGUAGES else settings.LANGUAGE_CODE


def portal_page(view):
    """Scope the shop from the slug, load the wizard, speak the consumer's language, and
    keep personal pages out of shared caches."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        tenant = request.tenant
        request.portal_state = state_load(request, tenant)
        hint = request.session.get(f"portal:order-language:{tenant.pk}", "")
        language = choose_language(request, tenant, hint)
        # override (not activate): the thread's language is restored after the page, so
        # it never leaks into the next request served by this thread.
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
            response.headers["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        patch_cache_control(response, private=True, no_store=True)
        response.headers.setdefault("X-Robots-Tag", "noindex")
        return response

    return portal_view(wrapper)


def portal_url(request, name: str, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"slug": request.tenant.slug, **kwargs})


def page_context(request, **extra) -> dict:
    state = request.portal_state
    return {
        "tenant": request.tenant,
        "state": state,
        "steps": _steps(request, state),
        "palette": brand_palette(request.tenant),
        "languages": settings.LANGUAGES,
        **extra,
    }


def _steps(request, state: WizardState | None) -> list[dict]:
    titles = {
        "case": _("Type"),
        "items": _("Items"),
        "details": _("Reasons"),
        "resolution": _("Refund"),
        "exchange": _("Replacement"),
        "method": _("Shipping"),
        "dropoff": _("Drop-off"),
        "review": _("Check"),
    }
    current = getattr(request, "portal_step", "")
    shown = [
        step
        for step in STEPS
        if not (state and step == "method" and not case_needs_parcel(state.case_type))
        and not (step == "dropoff" and not (state and state.carrier_step))
        and not (step == "exchange" and not (state and state.resolution == Resolution.EXCHANGE))
    ]
    return [{"name": step, "title": titles[step], "current": step == current} for step in shown]


def _first_missing_step(state: WizardState | None) -> str | None:
    """The first step the consumer still has to complete (None: ready to review)."""
    if state is None:
        return "home"
    if not state.case_type:
        return "case"
    if not state.chosen_lines():
        return "items"
    if not state.details_done:
        return "details"
    if not state.resolution:
        return "resolution"
    if state.resolution == Resolution.EXCHANGE and not all(
        line.exchange_sku for line in state.chosen_lines().values()
    ):
        return "exchange"
    if not state.method and case_needs_parcel(state.case_type):
        return "method"
    if state.carrier_step and state.method == ReturnMethod.PICKUP and not state.pickup_slot:
        return "dropoff"
    return None


def wizard_step(step: str):
    """A step needs the ones before it; otherwise go to the first one left to do."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            request.portal_step = step
            state = request.portal_state
            missing = _first_missing_step(state)
            order_of = {name: index for index, name in enumerate(("home", *STEPS))}
            if missing is not None and order_of[missing] < order_of[step]:
                return redirect(portal_url(request, missing))
            order = selectors.portal_order_get(order_id=state.order_id)
            if order is None:
                state_clear(request, request.tenant)
                return redirect(portal_url(request, "home"))
            return view(request, state, order, *args, **kwargs)

        return wrapper

    return decorate
