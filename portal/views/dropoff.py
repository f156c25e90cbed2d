"""The drop-off step: the nearest service points, or the pickup dates, of the carrier
that serves this return. Shown only when the shop has a carrier account for it."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import redirect, render
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carriers import offers
from carriers.parcels import ParcelTooHeavy, items_weight_kg, parcel_choose
from carriers.selectors import account_for
from carriers.services import order_address
from portal.points_map import points_svg
from portal.views.common import page_context, portal_page, portal_url, wizard_step
from portal.wizard import state_save
from returns.statuses import ReturnMethod


def carrier_account_for(*, order, method: str, state=None):
    """The shop's carrier for this return, if one serves it (pickups: by the categories
    and the weight of the chosen items)."""
    categories, items = set(), []
    if state is not None:
        chosen = state.chosen_lines()
        lines = [line for line in order.lines.all() if line.pk in chosen]
        categories = {line.category for line in lines if line.category}
        items = [(line.weight_grams, chosen[line.pk].quantity) for line in lines]
    return account_for(
        method=method, country=order.shipping_country, categories=categories, items=items
    )


@require_http_methods(["GET", "POST"])
@portal_page
@wizard_step("dropoff")
def dropoff(request, state, order):
    account = (
        carrier_account_for(order=order, method=state.method, state=state)
        if state.carrier_step
        else None
    )
    if account is None:
        return redirect(portal_url(request, "review"))
    refusal = _too_heavy(state, order, account)
    if refusal is not None:
        return render(
            request,
            "portal/parcel_too_heavy.html",
            page_context(
                request,
                order=order,
                refusal=refusal,
                weight=_kilos(refusal.weight_kg),
                limit=_kilos(refusal.limit_kg),
            ),
            status=422,
        )
    if state.method == ReturnMethod.PICKUP:
        return _pickup(request, state, order, account)
    return _service_points(request, state, order, account)


def _kilos(value: Decimal) -> Decimal:
    """0.500 -> 0.5, 23.000 -> 23 (without turning 20 into 2E+1)."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def _too_heavy(state, order, account) -> ParcelTooHeavy | None:
    """The carrier's refusal when the chosen units weigh more than it takes."""
    chosen = state.chosen_lines()
    weight = items_weight_kg(
        [
            (line.weight_grams, chosen[line.pk].quantity)
            for line in order.lines.all()
            if line.pk in chosen
        ],
        default_grams=account.default_item_weight_grams,
    )
    try:
        parcel_choose(account, weight)
    except ParcelTooHeavy as refusal:
        return refusal
    return None


def _service_points(request, state, order, account):
    postcode = (request.GET.get("postcode") or order.shipping_postcode or "")[:12]
    points, answered = offers.service_points(
        account, country=order.shipping_country, postcode=postcode
    )
    error = ""
    if request.method == "POST":
        postcode = (request.POST.get("postcode") or postcode)[:12]
        chosen = offers.find_point(
            account,
            country=order.shipping_country,
            postcode=postcode,
            point_id=request.POST.get("point", ""),
        )
        if chosen is not None or request.POST.get("skip"):
            state.service_point = chosen.as_dict() if chosen else {}
            state_save(request, request.tenant, state)
            return redirect(portal_url(request, "review"))
        error = _("Choose one of the service points.")
    selected = request.POST.get("point") or state.service_point.get("id", "")
    rows = [
        {
            "point": point,
            "number": number,
            "km": f"{point.distance_m / 1000:.1f}",
            "hours": [(WEEKDAYS[day], hours) for day, hours in point.opening_hours],
        }
        for number, point in enumerate(points, start=1)
    ]
    return render(
        request,
        "portal/dropoff.html",
        page_context(
            request,
            order=order,
            postcode=postcode,
            rows=rows,
            answered=answered,
            selected=selected,
            error=error,
            map_svg=points_svg(points, title=_("Map of the service points")) if points else "",
        ),
        status=400 if error else 200,
    )


def _pickup(request, state, order, account):
    origin = order_address(order)
    slots = [
        {"value": offers.slot_value(day, slot), "day": day, "slot": slot}
        for day, slot in offers.pickup_slots(account, origin=origin)
    ]
    error = ""
    if request.method == "POST":
        if offers.parse_slot(account, request.POST.get("slot", ""), origin=origin) is not None:
            state.pickup_slot = request.POST["slot"]
            state_save(request, request.tenant, state)
            return redirect(portal_url(request, "review"))
        error = _("Choose one of the pickup times.")
    return render(
        request,
        "portal/pickup.html",
        page_context(
            request,
            order=order,
            slots=slots,
            selected=request.POST.get("slot") or state.pickup_slot,
            error=error,
        ),
        status=400 if error else 200,
    )
