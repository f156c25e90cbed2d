"""The consumer return portal: look-up, the wizard steps, confirmation and status page.

Views validate input and call selectors and services; the returns core decides. Every
page works without JavaScript; htmx only refreshes the label state on the status page.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from portal import ratelimit, selectors, services
from portal.branding import brand_palette
from portal.forms import (
    CASE_TYPE_HELP,
    CaseTypeForm,
    DetailsForm,
    ItemsForm,
    LanguageForm,
    LookupForm,
    MethodForm,
    ReplyForm,
    ResolutionForm,
)
from portal.timeline import status_timeline
from portal.wizard import LineState, WizardState, state_clear, state_load, state_save
from returns import labels
from returns.selectors import return_get_by_access_token
from returns.statuses import CaseType, Resolution, ReturnStatus
from returns_platform.errors import DomainError
from tenants.portal import portal_view

LANGUAGE_SESSION_KEY = "portal:language"
SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}
STEPS = ("case", "items", "details", "resolution", "method", "review")
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


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"slug": request.tenant.slug, **kwargs})


def _context(request, **extra) -> dict:
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
        "method": _("Shipping"),
        "review": _("Check"),
    }
    current = getattr(request, "portal_step", "")
    shown = [
        step
        for step in STEPS
        if not (state and state.case_type == CaseType.MISSING_ITEM and step == "method")
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
    if not state.method:
        return "method"
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
                return redirect(_url(request, missing))
            order = selectors.portal_order_get(order_id=state.order_id)
            if order is None:
                state_clear(request, request.tenant)
                return redirect(_url(request, "home"))
            return view(request, state, order, *args, **kwargs)

        return wrapper

    return decorate


# --- Look-up ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@portal_page
def home(request):
    tenant = request.tenant
    if request.method == "GET":
        form = LookupForm()
        return render(request, "portal/home.html", _context(request, form=form))
    form = LookupForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/home.html", _context(request, form=form), status=400)
    reference = form.cleaned_data["reference"].strip()
    # Both counters count every attempt, so neither can be probed while the other blocks.
    address_ok = ratelimit.hit(
        ratelimit.LOOKUPS_PER_IP, f"{tenant.pk}:{ratelimit.client_address(request)}"
    )
    order_ok = ratelimit.hit(ratelimit.LOOKUPS_PER_ORDER, f"{tenant.pk}:{reference.upper()}")
    if not (address_ok and order_ok):
        response = render(request, "portal/rate_limited.html", _context(request), status=429)
        response["Retry-After"] = "60"
        return response
    order = selectors.portal_order_find(reference=reference, identity=form.cleaned_data["identity"])
    if order is None:
        form.add_error(None, NOT_FOUND)
        return render(request, "portal/home.html", _context(request, form=form), status=200)
    if order.status == "cancelled":
        form.add_error(None, _("This order was cancelled, so there is nothing to return."))
        return render(request, "portal/home.html", _context(request, form=form))
    previous = request.portal_state
    if previous is not None:
        services.portal_photos_discard(photos=previous.all_photos(), tenant_id=tenant.pk)
    request.session.cycle_key()  # a new look-up starts a new session id
    state_save(request, tenant, WizardState(order_id=order.pk))
    request.session[f"portal:order-language:{tenant.pk}"] = order.language
    return redirect(_url(request, "case"))


@require_POST
@portal_page
def restart(request):
    state = request.portal_state
    if state is not None:
        services.portal_photos_discard(photos=state.all_photos(), tenant_id=request.tenant.pk)
    state_clear(request, request.tenant)
    return redirect(_url(request, "home"))


@require_POST
@portal_page
def language(request):
    form = LanguageForm(request.POST)
    target = _url(request, "home")
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


# --- Wizard steps ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@portal_page
@wizard_step("case")
def case(request, state, order):
    form = CaseTypeForm(request.POST or None, initial={"case_type": state.case_type})
    if request.method == "POST" and form.is_valid():
        case_type = form.cleaned_data["case_type"]
        if case_type != state.case_type:
            services.portal_photos_discard(photos=state.all_photos(), tenant_id=order.tenant_id)
            state = WizardState(order_id=state.order_id, case_type=case_type)
            state_save(request, request.tenant, state)
        return redirect(_url(request, "items"))
    options = [
        {"value": value, "label": label, "help": CASE_TYPE_HELP[value]}
        for value, label in CaseType.choices
    ]
    return render(
        request, "portal/case.html", _context(request, form=form, order=order, options=options)
    )


@require_http_methods(["GET", "POST"])
@portal_page
@wizard_step("items")
def items(request, state, order):
    judgement = selectors.portal_order_judge(order=order, case_type=state.case_type)
    initial = {f"quantity_{key}": line.quantity for key, line in state.lines.items()}
    form = ItemsForm(request.POST or None, choices=judgement.lines, initial=initial)
    if request.method == "POST" and not judgement.country_blocked and form.is_valid():
        lines = {}
        for line_id, quantity in form.quantities().items():
            if quantity:
                previous = state.lines.get(str(line_id)) or LineState()
                previous.quantity = quantity
                lines[str(line_id)] = previous
        dropped = [
            photo for key, line in state.lines.items() if key not in lines for photo in line.photos
        ]
        services.portal_photos_discard(photos=dropped, tenant_id=order.tenant_id)
        state.lines = lines
        state.details_done = False
        state_save(request, request.tenant, state)
        return redirect(_url(request, "details"))
    rows = [
        {"choice": choice, "field": form[f"quantity_{choice.order_line.pk}"]}
        if not choice.is_blocked
        else {"choice": choice, "field": None}
        for choice in judgement.lines
    ]
    return render(
        request,
        "portal/items.html",
        _context(request, form=form, order=order, judgement=judgement, rows=rows),
    )


@require_http_methods(["GET", "POST"])
@portal_page
@wizard_step("details")
def details(request, state, order):
    judgement = selectors.portal_order_judge(order=order, case_type=state.case_type)
    chosen = state.chosen_lines()
    lines = [choice for choice in judgement.lines if choice.order_line.pk in chosen]
    reasons = selectors.portal_reasons()
    initial = {}
    for line_id, line in chosen.items():
        initial[f"reason_{line_id}"] = line.reason
        initial[f"comment_{line_id}"] = line.comment
    form = DetailsForm(
        request.POST or None,
        lines=lines,
        reasons=reasons,
        language=request.LANGUAGE_CODE,
        initial=initial,
    )
    photo_errors: dict[int, list[str]] = {}
    if request.method == "POST":
        valid = form.is_valid()
        for choice in lines:
            line_id = choice.order_line.pk
            line = chosen[line_id]
            remove = set(request.POST.getlist(f"remove_{line_id}"))
            kept = [photo for index, photo in enumerate(line.photos) if str(index) not in remove]
            services.portal_photos_discard(
                photos=[photo for photo in line.photos if photo not in kept],
                tenant_id=order.tenant_id,
            )
            line.photos = kept
            uploads = request.FILES.getlist(f"photos_{line_id}")
            if len(kept) + len(uploads) > services.MAX_PHOTOS_PER_LINE:
                photo_errors.setdefault(line_id, []).append(
                    _("At most %(count)d photos per item.")
                    % {"count": services.MAX_PHOTOS_PER_LINE}
                )
                uploads = uploads[: max(services.MAX_PHOTOS_PER_LINE - len(kept), 0)]
            for upload in uploads:
                try:
                    line.photos.append(
                        services.portal_photo_store(tenant_id=order.tenant_id, upload=upload)
                    )
                except services.PortalError as error:
                    photo_errors.setdefault(line_id, []).append(error.message)
            if valid:
                line.reason = form.cleaned_data[f"reason_{line_id}"]
                line.comment = form.cleaned_data[f"comment_{line_id}"]
            if state.case_type == CaseType.COMPLAINT and not line.photos:
                photo_errors.setdefault(line_id, []).append(
                    _("Add at least one photo of the problem.")
                )
        try:
            services.photo_limits_check(state=state)
        except services.PortalError as error:
            form.add_error(None, error.message)
            valid = False
        state.details_done = valid and not photo_errors
        state_save(request, request.tenant, state)
        if state.details_done:
            return redirect(_url(request, "resolution"))
    rows = [
        {
            "choice": choice,
            "line": chosen[choice.order_line.pk],
            "reason": form[f"reason_{choice.order_line.pk}"],
            "comment": form[f"comment_{choice.order_line.pk}"],
            "photo_errors": photo_errors.get(choice.order_line.pk, []),
        }
        for choice in lines
    ]
    return render(
        request,
        "portal/details.html",
        _context(
            request,
            form=form,
            order=order,
            rows=rows,
            photos_required=state.case_type == CaseType.COMPLAINT,
            max_photos=services.MAX_PHOTOS_PER_LINE,
        ),
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@portal_page
@wizard_step("resolution")
def resolution(request, state, order):
    judgement = selectors.portal_order_judge(order=order, case_type=state.case_type)
    offered = selectors.offered_resolutions(judgement.policy)
    form = ResolutionForm(
        request.POST or None, offered=offered, initial={"resolution": state.resolution}
    )
    if request.method == "POST" and form.is_valid():
        state.resolution = form.cleaned_data["resolution"]
        if state.case_type == CaseType.MISSING_ITEM:
            state.method = (
                selectors.missing_item_method(
                    policy=judgement.policy, country=order.shipping_country
                )
                or ""
            )
        state_save(request, request.tenant, state)
        next_step = "review" if state.case_type == CaseType.MISSING_ITEM else "method"
        return redirect(_url(request, next_step))
    bonus_percent = judgement.policy.get("store_credit_bonus_percent", "0")
    options = []
    for value in offered:
        options.append(
            {
                "value": value,
                "label": Resolution(value).label,
                "bonus": bonus_percent if value == Resolution.STORE_CREDIT else "",
            }
        )
    has_bonus = any(option["bonus"] and float(option["bonus"]) > 0 for option in options)
    return render(
        request,
        "portal/resolution.html",
        _context(request, form=form, order=order, options=options, has_bonus=has_bonus),
    )


@require_http_methods(["GET", "POST"])
@portal_page
@wizard_step("method")
def method(request, state, order):
    if state.case_type == CaseType.MISSING_ITEM:
        return redirect(_url(request, "review"))
    judgement = selectors.portal_order_judge(order=order, case_type=state.case_type)
    is_free = services.is_free_return(state=state, policy=judgement.policy)
    options = selectors.offered_methods(
        policy=judgement.policy, country=order.shipping_country, is_free_return=is_free
    )
    form = MethodForm(request.POST or None, options=options, initial={"method": state.method})
    if request.method == "POST" and form.is_valid():
        state.method = form.cleaned_data["method"]
        state_save(request, request.tenant, state)
        return redirect(_url(request, "review"))
    return render(
        request,
        "portal/method.html",
        _context(request, form=form, order=order, options=options, is_free=is_free),
    )


def _reason_label(reasons: dict, code: str) -> str:
    """The reason in the page's language (the code only if the shop removed it)."""
    reason = reasons.get(code)
    return reason.label(translation.get_language() or "en") if reason else code


@require_http_methods(["GET", "POST"])
@portal_page
@wizard_step("review")
def review(request, state, order):
    judgement = selectors.portal_order_judge(order=order, case_type=state.case_type)
    if request.method == "POST":
        try:
            return_request = services.portal_return_submit(
                order=order, state=state, language=request.LANGUAGE_CODE
            )
        except DomainError as error:
            step, message = services.submit_problem(error)
            messages.error(request, message)
            return redirect(_url(request, step))
        state_clear(request, request.tenant)
        return redirect(_url(request, "confirmation", token=return_request.access_token()))
    preview = services.portal_preview(order=order, judgement=judgement, state=state)
    chosen = state.chosen_lines()
    reasons = {reason.code: reason for reason in selectors.portal_reasons()}
    rows = [
        {
            "choice": choice,
            "line": chosen[choice.order_line.pk],
            "reason": _reason_label(reasons, chosen[choice.order_line.pk].reason),
        }
        for choice in judgement.lines
        if choice.order_line.pk in chosen
    ]
    return render(
        request,
        "portal/review.html",
        _context(
            request,
            order=order,
            rows=rows,
            preview=preview,
            judgement=judgement,
            case_label=CaseType(state.case_type).label,
            resolution_label=Resolution(state.resolution).label,
            method_option=next(
                (
                    option
                    for option in selectors.offered_methods(
                        policy=judgement.policy,
                        country=order.shipping_country,
                        is_free_return=preview["is_free_return"],
                    )
                    if option.method == state.method
                ),
                None,
            ),
            language_code=request.LANGUAGE_CODE,
        ),
    )


# --- After confirmation: confirmation, status page, label, messages ---------------------


def _load_return(request, token: str):
    """The request a status-page token names, in this shop; 404 for anything else."""
    return_request = return_get_by_access_token(token=token)
    if (
        LANGUAGE_SESSION_KEY not in request.session
        and return_request.language in SUPPORTED_LANGUAGES
    ):
        translation.activate(return_request.language)
        request.LANGUAGE_CODE = return_request.language
    return return_request


def _label_context(request, return_request, token: str) -> dict:
    needs = labels.needs_label(return_request)
    return {
        "needs_label": needs,
        "label_ready": needs and return_request.label_ready_at is not None,
        "label_url": _url(request, "label", token=token),
        "label_state_url": _url(request, "label_state", token=token),
    }


def _return_context(request, return_request, token: str) -> dict:
    from returns.statuses import ReturnMethod

    qr = ""
    if return_request.method == ReturnMethod.QR_DROP_OFF:
        qr = labels.qr_svg(return_request.rma)
    return {
        "return_request": return_request,
        "token": token,
        "status_url": _url(request, "status", token=token),
        "method_label": ReturnMethod(return_request.method).label,
        "carrier": labels.carrier_name(return_request.order),
        "qr_svg": qr,
        **_label_context(request, return_request, token),
    }


@require_http_methods(["GET"])
@portal_page
def confirmation(request, token):
    return_request = _load_return(request, token)
    return render(
        request,
        "portal/confirmation.html",
        _context(request, **_return_context(request, return_request, token)),
    )


@require_http_methods(["GET"])
@portal_page
def status(request, token):
    return_request = _load_return(request, token)
    thread = _thread(return_request)
    return render(
        request,
        "portal/status.html",
        _context(
            request,
            timeline=status_timeline(return_request=return_request),
            thread=thread,
            can_reply=thread is not None,
            reply_form=ReplyForm(),
            can_withdraw=return_request.status == ReturnStatus.REQUESTED,
            **_return_context(request, return_request, token),
        ),
    )


@require_http_methods(["GET"])
@portal_page
def label_state(request, token):
    """The label part of the status page alone, for htmx to poll while it is prepared."""
    return_request = _load_return(request, token)
    return render(
        request,
        "portal/_label.html",
        _context(
            request, return_request=return_request, **_label_context(request, return_request, token)
        ),
    )


@require_http_methods(["GET"])
@portal_page
def label(request, token):
    return_request = _load_return(request, token)
    if not labels.needs_label(return_request) or return_request.label_ready_at is None:
        raise Http404("No label (yet).")
    page_format = request.GET.get("format", labels.A6)
    field = return_request.label_pdf_a4 if page_format == labels.A4 else return_request.label_pdf
    if not field:
        raise Http404("No label.")
    suffix = "-a4" if page_format == labels.A4 else ""
    return FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=f"return-label-{return_request.rma}{suffix}.pdf",
        content_type="application/pdf",
    )


@require_POST
@portal_page
def withdraw(request, token):
    return_request = _load_return(request, token)
    try:
        services.portal_return_withdraw(return_request=return_request)
    except DomainError:
        messages.error(
            request, _("This return is already being handled and can no longer be withdrawn.")
        )
    else:
        messages.success(request, _("Your return has been withdrawn."))
    return redirect(_url(request, "status", token=token))


def _thread(return_request):
    """The consumer's view of the conversation with the shop (no internal notes)."""
    try:
        from conversations.selectors import conversation_thread
    except ImportError:
        return None
    return conversation_thread(return_request=return_request, include_internal=False)


@require_POST
@portal_page
def reply(request, token):
    return_request = _load_return(request, token)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a message first."))
        return redirect(_url(request, "status", token=token) + "#messages")
    try:
        from conversations.services import conversation_post
    except ImportError as error:
        raise Http404("Messages are not available.") from error
    from returns_platform.audit import Actor

    try:
        conversation_post(
            return_request=return_request,
            body=form.cleaned_data["body"],
            actor=Actor.consumer(return_request.email),
            attachments=request.FILES.getlist("attachments"),
        )
    except DomainError as error:
        messages.error(request, services.message_problem(error))
    else:
        messages.success(request, _("Your message has been sent."))
    return redirect(_url(request, "status", token=token) + "#messages")


@require_http_methods(["GET"])
@portal_page
def attachment(request, token, attachment_id):
    return_request = _load_return(request, token)
    try:
        from conversations.selectors import conversation_attachment_get
    except ImportError as error:
        raise Http404("No such file.") from error
    try:
        found = conversation_attachment_get(
            return_request=return_request, attachment_id=attachment_id, include_internal=False
        )
    except DomainError as error:
        raise Http404("No such file.") from error
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name or "attachment",
        content_type=found.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
