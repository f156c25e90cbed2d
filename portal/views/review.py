"""The last step: check everything, then submit the request to the returns core."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from portal import selectors, services
from portal.views.common import (
    page_context,
    portal_page,
    portal_url,
    wizard_step,
)
from portal.wizard import state_clear
from returns.predicates import case_needs_parcel
from returns.statuses import CaseType, Resolution
from returns_platform.errors import DomainError


def _reason_label(reasons: dict, code: str) -> str:
    """The reason in the page's language (the code only if the shop removed it)."""
    reason = reasons.get(code)
    return reason.label(translation.get_language() or "en") if reason else code


def _pickup_choice(value: str) -> dict:
    day, _, slot = value.partition("|")
    try:
        return {"pickup_day": datetime.date.fromisoformat(day), "pickup_slot": slot}
    except ValueError:
        return {}


def _replacements(state, order_lines) -> dict[int, dict]:
    """The replacement chosen per exchanged line (name and price), for the review."""
    if state.resolution != Resolution.EXCHANGE:
        return {}
    chosen = state.chosen_lines()
    found = {}
    for line in selectors.exchange_options([ol for ol in order_lines if ol.pk in chosen]):
        sku = chosen[line["order_line"].pk].exchange_sku
        found[line["order_line"].pk] = next(
            (option for option in line["options"] if option["sku"] == sku), None
        )
    return found


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
            return redirect(portal_url(request, step))
        state_clear(request, request.tenant)
        return redirect(portal_url(request, "confirmation", token=return_request.access_token()))
    preview = services.portal_preview(order=order, judgement=judgement, state=state)
    chosen = state.chosen_lines()
    reasons = {reason.code: reason for reason in selectors.portal_reasons()}
    replacements = _replacements(state, [c.order_line for c in judgement.lines])
    rows = [
        {
            "choice": choice,
            "line": chosen[choice.order_line.pk],
            "reason": _reason_label(reasons, chosen[choice.order_line.pk].reason),
            "replacement": replacements.get(choice.order_line.pk),
        }
        for choice in judgement.lines
        if choice.order_line.pk in chosen
    ]
    return render(
        request,
        "portal/review.html",
        page_context(
            request,
            order=order,
            rows=rows,
            preview=preview,
            judgement=judgement,
            case_label=CaseType(state.case_type).label,
            needs_parcel=case_needs_parcel(state.case_type),
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
            **_pickup_choice(state.pickup_slot),
        ),
    )
