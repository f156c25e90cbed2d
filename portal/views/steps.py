"""The wizard's choice steps: case type, items, resolution and return method."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portal import selectors, services
from portal.forms import (
    CASE_TYPE_HELP,
    KEEP_ITEM,
    CaseTypeForm,
    ExchangeForm,
    ItemsForm,
    MethodForm,
    ResolutionForm,
)
from portal.views.common import (
    page_context,
    portal_page,
    portal_url,
    wizard_step,
)
from portal.views.dropoff import carrier_account_for
from portal.wizard import LineState, WizardState, state_save
from returns.predicates import case_needs_parcel
from returns.statuses import CaseType, Resolution


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
        return redirect(portal_url(request, "items"))
    options = [
        {"value": value, "label": label, "help": CASE_TYPE_HELP[value]}
        for value, label in CaseType.choices
    ]
    return render(
        request, "portal/case.html", page_context(request, form=form, order=order, options=options)
    )


@require_http_methods(["GET", "POST"])
@portal_page
@wizard_step("items")
def items(request, state, order):
    judgement = selectors.portal_order_judge(order=order, case_type=state.case_type)
    initial = {f"quantity_{key}": line.quantity for key, line in state.lines.items()}
    form = ItemsForm(request.POST or None, choices=judgement.lines, initial=initial)
    if request.method == "POST" and not judgement.request_blocked and form.is_valid():
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
        state.keep_item = False
        state_save(request, request.tenant, state)
        return redirect(portal_url(request, "details"))
    rows = [
        {"choice": choice, "field": form[f"quantity_{choice.order_line.pk}"]}
        if not choice.is_blocked
        else {"choice": choice, "field": None}
        for choice in judgement.lines
    ]
    return render(
        request,
        "portal/items.html",
        page_context(request, form=form, order=order, judgement=judgement, rows=rows),
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
        state.keep_item = False
        if state.resolution != Resolution.EXCHANGE:
            for line in state.lines.values():
                line.exchange_sku = ""
        if not case_needs_parcel(state.case_type):
            state.method = ""  # nothing travels: the returns service records the method
        state_save(request, request.tenant, state)
        if state.resolution == Resolution.EXCHANGE:
            next_step = "exchange"
        else:
            next_step = "method" if case_needs_parcel(state.case_type) else "review"
        return redirect(portal_url(request, next_step))
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
        page_context(request, form=form, order=order, options=options, has_bonus=has_bonus),
    )


@require_http_methods(["GET", "POST"])
@portal_page
@wizard_step("exchange")
def exchange(request, state, order):
    """The replacement of each exchanged item: the same again or an available variant."""
    if state.resolution != Resolution.EXCHANGE:
        return redirect(portal_url(request, "method"))
    judgement = selectors.portal_order_judge(order=order, case_type=state.case_type)
    chosen = state.chosen_lines()
    lines = selectors.exchange_options(
        [choice.order_line for choice in judgement.lines if choice.order_line.pk in chosen]
    )
    initial = {f"exchange_{pk}": line.exchange_sku for pk, line in chosen.items()}
    form = ExchangeForm(request.POST or None, lines=lines, initial=initial)
    if request.method == "POST" and form.is_valid():
        for line_id, sku in form.choices().items():
            state.lines[str(line_id)].exchange_sku = sku
        state_save(request, request.tenant, state)
        next_step = "method" if case_needs_parcel(state.case_type) else "review"
        return redirect(portal_url(request, next_step))
    rows = [{**line, "field": form[f"exchange_{line['order_line'].pk}"]} for line in lines]
    return render(
        request,
        "portal/exchange.html",
        page_context(request, form=form, order=order, rows=rows),
    )


@require_http_methods(["GET", "POST"])
@portal_page
@wizard_step("method")
def method(request, state, order):
    if not case_needs_parcel(state.case_type):
        return redirect(portal_url(request, "review"))
    judgement = selectors.portal_order_judge(order=order, case_type=state.case_type)
    is_free = services.is_free_return(state=state, policy=judgement.policy)
    options = selectors.offered_methods(
        policy=judgement.policy, country=order.shipping_country, is_free_return=is_free
    )
    keep_amount = services.keep_item_offer(order=order, judgement=judgement, state=state)
    initial = KEEP_ITEM if state.keep_item and keep_amount is not None else state.method
    form = MethodForm(
        request.POST or None,
        options=options,
        keep_offered=keep_amount is not None,
        initial={"method": initial},
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["method"]
        state.keep_item = chosen == KEEP_ITEM
        # Kept items travel nowhere; the request still names a method the shop offers.
        state.method = options[0].method if state.keep_item else chosen
        state.carrier_step = not state.keep_item and (
            carrier_account_for(order=order, method=state.method, state=state) is not None
        )
        state.service_point, state.pickup_slot = {}, ""
        state_save(request, request.tenant, state)
        return redirect(portal_url(request, "dropoff" if state.carrier_step else "review"))
    return render(
        request,
        "portal/method.html",
        page_context(
            request,
            form=form,
            order=order,
            options=options,
            is_free=is_free,
            keep_amount=keep_amount,
            keep_value=KEEP_ITEM,
        ),
    )
