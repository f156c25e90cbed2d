"""Back-office entry (tenant choice, dashboard) and the portal's landing page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from orders.models import Order
from tenants.middleware import SESSION_TENANT_KEY, memberships_of
from tenants.portal import portal_view


@login_required(login_url="/backoffice/login/")
@require_http_methods(["GET", "POST"])
def tenant_select(request):
    memberships = memberships_of(request.user)
    if request.method == "POST":
        chosen = request.POST.get("tenant", "")
        membership = next((m for m in memberships if str(m.tenant_id) == chosen), None)
        if membership is None:
            raise Http404("No such shop.")
        request.session[SESSION_TENANT_KEY] = membership.tenant_id
        return redirect("/backoffice/")
    return render(request, "backoffice/tenant_select.html", {"memberships": memberships})


def dashboard(request):
    orders = Order.objects.select_related("customer").order_by("-placed_at")[:20]
    return render(request, "backoffice/dashboard.html", {"orders": orders})


@portal_view
def portal_home(request):
    return render(request, "portal/home.html", {"tenant": request.tenant})
