"""Finding the order (look-up, rate limits), starting over and choosing a language."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal import ratelimit, selectors, services, startpage
from portal.forms import (
    LanguageForm,
    LookupForm,
)
from portal.views.common import (
    LANGUAGE_SESSION_KEY,
    NOT_FOUND,
    page_context,
    portal_page,
    portal_url,
)
from portal.wizard import WizardState, state_clear, state_save
from returns.predicates import order_accepts_returns


@require_http_methods(["GET", "POST"])
@portal_page
def home(request):
    tenant = request.tenant
    if request.method == "GET":
        form = LookupForm()
        if startpage.cacheable(request):
            return startpage.start_page(request, lambda: page_context(request, form=form))
        return render(request, "portal/home.html", page_context(request, form=form))
    form = LookupForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/home.html", page_context(request, form=form), status=400)
    reference = form.cleaned_data["reference"].strip()
    # Both counters count every attempt, so neither can be probed while the other blocks.
    address_ok = ratelimit.hit(
        ratelimit.LOOKUPS_PER_IP, f"{tenant.pk}:{ratelimit.client_address(request)}"
    )
    order_ok = ratelimit.hit(ratelimit.LOOKUPS_PER_ORDER, f"{tenant.pk}:{reference.upper()}")
    if not (address_ok and order_ok):
        response = render(request, "portal/rate_limited.html", page_context(request), status=429)
        response["Retry-After"] = "60"
        return response
    order = selectors.portal_order_find(reference=reference, identity=form.cleaned_data["identity"])
    if order is None:
        form.add_error(None, NOT_FOUND)
        return render(request, "portal/home.html", page_context(request, form=form), status=200)
    if not order_accepts_returns(order):
        form.add_error(None, _("This order was cancelled, so there is nothing to return."))
        return render(request, "portal/home.html", page_context(request, form=form))
    previous = request.portal_state
    if previous is not None:
        services.portal_photos_discard(photos=previous.all_photos(), tenant_id=tenant.pk)
    if request.session.session_key is not None:
        request.session.cycle_key()  # a new look-up starts a new session id
    # (Without one yet, the session is created with a new id when the answer is sent.)
    state_save(request, tenant, WizardState(order_id=order.pk))
    request.session[f"portal:order-language:{tenant.pk}"] = order.language
    return redirect(portal_url(request, "case"))


@require_POST
@portal_page
def restart(request):
    state = request.portal_state
    if state is not None:
        services.portal_photos_discard(photos=state.all_photos(), tenant_id=request.tenant.pk)
    state_clear(request, request.tenant)
    return redirect(portal_url(request, "home"))


@require_POST
@portal_page
def language(request):
    form = LanguageForm(request.POST)
    target = portal_url(request, "home")
    if form.is_valid():
        request.session[LANGUAGE_SESSION_KEY] = form.cleaned_data["language"]
        next_url = form.cleaned_data["next"]
        if (
            next_url
            and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None)
            and next_url.startswith(f"/r/{request.tenant.slug}/")
        ):
            target = next_url
    return redirect(target)
