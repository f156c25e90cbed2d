"""Entry into the back office: log-in, the shop choice, the language, the dashboard."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import check_for_language
from django.views.decorators.http import require_http_methods, require_POST

from backoffice.access import ALL_ROLES, SERVICE_ROLES, has_role, staff_view
from backoffice.middleware import SESSION_TENANT_KEY, memberships_of
from backoffice.selectors import dashboard_summary
from backoffice.views.common import safe_next
from returns.statuses import ReturnStatus

login = auth_views.LoginView.as_view(
    template_name="backoffice/login.html", redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view(next_page="backoffice:login")


@login_required(login_url="backoffice:login")
@require_http_methods(["GET", "POST"])
def tenant_select(request):
    memberships = memberships_of(request.user)
    if request.method == "POST":
        chosen = request.POST.get("tenant", "")
        membership = next((m for m in memberships if str(m.tenant_id) == chosen), None)
        if membership is None:
            raise Http404("No such shop.")
        request.session[SESSION_TENANT_KEY] = membership.tenant_id
        return redirect("backoffice:dashboard")
    return render(request, "backoffice/tenant_select.html", {"memberships": memberships})


@require_POST
def language(request):
    """Switch the staff screens' language (a cookie, as Django's LocaleMiddleware reads)."""
    code = request.POST.get("language", "")
    response = HttpResponseRedirect(safe_next(request, reverse("backoffice:dashboard")))
    if code in dict(settings.LANGUAGES) and check_for_language(code):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@staff_view(roles=ALL_ROLES, methods=["GET"])
def dashboard(request):
    summary = dashboard_summary(user=request.user)
    status_rows = [(value, label, summary.counts[value]) for value, label in ReturnStatus.choices]
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "summary": summary,
            "status_rows": status_rows,
            "can_work_queue": has_role(request, SERVICE_ROLES),
        },
    )
