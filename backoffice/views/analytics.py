"""Analytics: the figures of a period (return rates, reasons, resolutions, money, speed,
repeat returners, satisfaction) as charts and tables, and each table as CSV."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from analytics.exports import csv_text, default_separator
from analytics.selectors import analytics_report, analytics_settings_get
from analytics.services import SETTING_FIELDS, analytics_settings_update
from backoffice.access import ADMIN_ROLES, SERVICE_ROLES, staff_actor, staff_view
from backoffice.analytics_tables import AnalyticsFilterForm, AnalyticsSettingsForm, report_tables

# The sections of the page, in order, and the tables each shows.
SECTIONS = [
    ("rates", ["summary", "channels", "categories", "top_skus", "bottom_skus"]),
    ("reasons", ["reasons", "reasons_by_category"]),
    ("resolutions", ["resolutions", "money"]),
    ("speed", ["speed", "transit"]),
    ("customers", ["repeat_returners", "feedback", "feedback_comments"]),
]


def _report(request) -> tuple[AnalyticsFilterForm, dict, dict]:
    form = AnalyticsFilterForm(request.GET)
    language = get_language() or "en"
    report = analytics_report(filters=form.filters(), language=language)
    report["language"] = language
    return form, report, report_tables(report)


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def analytics_index(request):
    form, report, tables = _report(request)
    query = request.GET.copy()
    query.pop("decimal", None)
    return render(
        request,
        "backoffice/analytics/index.html",
        {
            "form": form,
            "report": report,
            "filters": report["filters"],
            "tables": tables,
            "sections": [(name, [tables[t] for t in names]) for name, names in SECTIONS],
            "comment_table": tables["reason_comments"],
            "query": query.urlencode(),
        },
    )


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def analytics_export(request, table: str):
    form, report, tables = _report(request)
    if table not in tables:
        raise Http404("No such table.")
    chosen = tables[table]
    separator = (form.cleaned_data.get("decimal") if form.is_valid() else "") or (
        default_separator(report["language"])
    )
    text = csv_text(chosen.header, chosen.rows, decimal_separator=separator)
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    filters = report["filters"]
    response["Content-Disposition"] = (
        f'attachment; filename="{table}-{filters.start}-{filters.end}.csv"'
    )
    return response


@staff_view(roles=ADMIN_ROLES)
def analytics_settings(request):
    """The shop's yardsticks: the refund target, repeat returners, the SKU ranking."""
    current = analytics_settings_get()
    initial = {name: getattr(current, name) for name in SETTING_FIELDS}
    form = AnalyticsSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            analytics_settings_update(values=form.cleaned_data, actor=staff_actor(request))
            messages.success(request, _("Analytics settings saved."))
            return redirect("backoffice:analytics-settings")
        return render(request, "backoffice/analytics/settings.html", {"form": form}, status=422)
    return render(request, "backoffice/analytics/settings.html", {"form": form})
