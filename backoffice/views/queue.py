"""The request queue: filters, search, sort, pages, and bulk actions (htmx partials)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backoffice.access import SERVICE_ROLES, staff_actor, staff_view
from backoffice.forms import BulkActionForm, QueueFilterForm
from backoffice.selectors import queue_list, staff_member_get, staff_members, status_counts
from backoffice.services import returns_bulk_act
from backoffice.views.common import error_text
from returns.models import ReturnRequest
from returns.selectors import return_reasons
from returns.statuses import ReturnStatus
from tenants.models import SalesChannel


def _filter_form(data: QueryDict, members) -> QueueFilterForm:
    return QueueFilterForm(
        data,
        channels=list(SalesChannel.objects.order_by("name")),
        members=members,
        reasons=list(return_reasons(active_only=False)),
    )


def _queue_context(request, query: QueryDict, *, members=None, bulk_form=None) -> dict:
    members = staff_members() if members is None else members
    form = _filter_form(query, members)
    filters = form.filters()
    rows = queue_list(filters=filters, user=request.user)
    # The page is cut from the ids first and only its rows are joined and read: with the
    # joins, PostgreSQL (which underestimates a shop's rows under row-level security)
    # joined every open request of the shop before sorting out the page's 25.
    paginator = Paginator(rows.values_list("pk", flat=True), filters.get("per_page", 25))
    page = paginator.get_page(query.get("page"))
    ids = list(page.object_list)
    found = {row.pk: row for row in rows.filter(pk__in=ids)} if ids else {}
    base_query = query.copy()
    base_query.pop("page", None)
    sort_query = base_query.copy()
    sort_query.pop("sort", None)
    return {
        "form": form,
        "page": page,
        "requests": [found[pk] for pk in ids if pk in found],
        "counts": status_counts(),
        "statuses": ReturnStatus.choices,
        "current_sort": filters.get("sort", "created"),
        "current_status": filters.get("status", ""),
        "query_string": base_query.urlencode(),
        "sort_query": sort_query.urlencode(),
        "bulk_form": bulk_form or BulkActionForm(members=members),
        "members": members,
    }


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def queue(request):
    context = _queue_context(request, request.GET)
    template = "backoffice/queue/_queue.html" if request.htmx else "backoffice/queue/queue.html"
    return render(request, template, context)


@staff_view(roles=SERVICE_ROLES, methods=["POST"])
def queue_bulk(request):
    """Apply an action to the selected rows; answer with the refreshed queue (counts too)."""
    query = QueryDict(request.POST.get("query", ""), mutable=True)
    members = staff_members()
    form = BulkActionForm(request.POST, members=members)
    if form.is_valid():
        rmas = form.cleaned_data["selected"]
        found = list(
            ReturnRequest.objects.filter(rma__in=rmas).select_related("order").order_by("id")
        )
        if len(found) != len(set(rmas)):
            # Another shop's (or an unknown) request: nothing is touched.
            raise Http404("No such return.")
        assignee = None
        action = form.cleaned_data["action"]
        if action == "assign" and form.cleaned_data["assignee"]:
            assignee = staff_member_get(user_id=int(form.cleaned_data["assignee"]))
            if assignee is None:
                raise Http404("No such colleague.")
        result = returns_bulk_act(
            return_requests=found,
            action=action,
            actor=staff_actor(request),
            user=request.user,
            assignee=assignee,
        )
        if result.done:
            messages.success(
                request,
                ngettext(
                    "%(count)d request done: %(rmas)s.",
                    "%(count)d requests done: %(rmas)s.",
                    len(result.done),
                )
                % {"count": len(result.done), "rmas": ", ".join(result.done)},
            )
        for rma, error in result.refused:
            message = error_text(error, rma=rma)
            messages.error(
                request, _("%(rma)s refused: %(message)s") % {"rma": rma, "message": message}
            )
        form = None
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    if not request.htmx:
        return redirect(f"{reverse('backoffice:queue')}?{query.urlencode()}")
    context = _queue_context(request, query, members=members, bulk_form=form)
    return render(request, "backoffice/queue/_queue.html", context)
