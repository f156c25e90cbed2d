"""Orders: list and search; one order with its lines, shipments, returns, credits and
document history; "mark delayed" and "cancel order", recorded as order events."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.access import SERVICE_ROLES, staff_actor, staff_view
from backoffice.forms import OrderCancelForm, OrderDelayForm, OrderSearchForm
from backoffice.labels import documents_of
from backoffice.selectors import order_dossier, order_search
from backoffice.views.common import form_errors_message, refused
from orders.selectors import order_get
from orders.services import order_event_record
from orders.statuses import EVENT_ALLOWED_FROM, OrderEventType
from returns.selectors import order_history
from returns_platform.errors import DomainError


def _order_path(number: str) -> str:
    return reverse("backoffice:order", args=[number])


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def order_list(request):
    form = OrderSearchForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    orders = order_search(term=data.get("q", ""), status=data.get("status", ""))
    page = Paginator(orders, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "backoffice/orders/_list.html" if request.htmx else "backoffice/orders/list.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "orders": list(page.object_list), "query": query.urlencode()},
    )


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def order_detail(request, number: str):
    order = order_get(number=number)
    dossier = order_dossier(order=order)
    history = list(order_history(number=number))
    return render(
        request,
        "backoffice/orders/detail.html",
        {
            "order": order,
            "dossier": dossier,
            "history": history,
            "documents": documents_of(dossier),
            "lines": list(order.lines.all()),
            "can_delay": order.status in EVENT_ALLOWED_FROM[OrderEventType.DELAYED],
            "can_cancel": order.status in EVENT_ALLOWED_FROM[OrderEventType.CANCELLED],
            "delay_form": OrderDelayForm(),
            "cancel_form": OrderCancelForm(),
        },
    )


@staff_view(roles=SERVICE_ROLES, methods=["POST"])
def order_delay(request, number: str):
    order = order_get(number=number)
    form = OrderDelayForm(request.POST)
    if not form.is_valid():
        form_errors_message(request, form)
        return redirect(_order_path(number))
    expected = timezone.make_aware(datetime.combine(form.cleaned_data["expected_at"], time(12)))
    try:
        order_event_record(
            order=order,
            event_type=OrderEventType.DELAYED,
            actor=staff_actor(request),
            expected_at=expected,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        return refused(request, error, to=_order_path(number))
    messages.success(request, _("Order %(number)s is marked delayed.") % {"number": number})
    return redirect(_order_path(number))


@staff_view(roles=SERVICE_ROLES, methods=["POST"])
def order_cancel(request, number: str):
    order = order_get(number=number)
    form = OrderCancelForm(request.POST)
    if not form.is_valid():
        form_errors_message(request, form)
        return redirect(_order_path(number))
    try:
        order_event_record(
            order=order,
            event_type=OrderEventType.CANCELLED,
            actor=staff_actor(request),
            reason=form.cleaned_data["reason"],
            refund=form.refund_value(),
        )
    except DomainError as error:
        return refused(request, error, to=_order_path(number))
    messages.success(request, _("Order %(number)s is cancelled.") % {"number": number})
    return redirect(_order_path(number))
