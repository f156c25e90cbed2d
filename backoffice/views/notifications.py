"""Back-office screens of notifications: mail templates, the mail log, webhook subscriptions.

Views validate input and call services; the tenant comes from
``backoffice.middleware.BackofficeTenantMiddleware`` (``request.tenant`` and
``request.membership``), and every read goes through the tenant-scoped managers, so an
id of another shop is simply not found (404).
"""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from backoffice.access import ADMIN_ROLES, SERVICE_ROLES, has_role, staff_actor, staff_view
from backoffice.forms.notifications import (
    ALL_EVENTS_CHOICE,
    LANGUAGE_NAMES,
    MailLogFilterForm,
    TemplateForm,
    WebhookSubscriptionEditForm,
    WebhookSubscriptionForm,
    event_title,
)
from backoffice.views.common import error_text, form_error, safe_next
from notifications import selectors, services
from notifications.delivery import qr_png
from notifications.mails import LANGUAGES, MAIL_EVENTS
from notifications.models import OutboxStatus
from notifications.rendering import RenderedMail
from notifications.samples import sample_context
from returns_platform.errors import DomainError

PAGE_SIZE = 50
DELIVERY_PAGE_SIZE = 50


# --- Index ----------------------------------------------------------------------------


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def index(request: HttpRequest) -> HttpResponse:
    failed = selectors.mail_log(status=OutboxStatus.FAILED).count()
    return render(
        request,
        "backoffice/notifications/index.html",
        {"failed_count": failed, "is_admin": has_role(request, ADMIN_ROLES)},
    )


# --- Templates --------------------------------------------------------------------------


@staff_view(roles=ADMIN_ROLES, methods=["GET"])
def template_list(request: HttpRequest) -> HttpResponse:
    rows = [
        {"event": event, "title": event_title(event), "languages": languages}
        for event, languages in selectors.template_overview()
    ]
    switched_off = set(request.tenant.mails_switched_off or ())
    for row in rows:
        row["is_sent"] = row["event"] not in switched_off
    return render(
        request,
        "backoffice/notifications/template_list.html",
        {"rows": rows, "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]},
    )


@staff_view(roles=ADMIN_ROLES, methods=["POST"])
def mail_switches(request: HttpRequest) -> HttpResponse:
    """Which mails the shop sends: the ticked ones; every mail is on until switched off."""
    try:
        services.mail_switches_set(sent=request.POST.getlist("sent"), actor=staff_actor(request))
    except DomainError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Saved which mails are sent."))
    return redirect("backoffice-notifications:template-list")


def _preview_html(rendered: RenderedMail, event: str, language: str, tenant) -> str:
    """The HTML part as the customer sees it, with the QR code inlined for the browser."""
    html = rendered.html
    if "cid:qr-code" in html:
        qr_url = sample_context(event, tenant, language).get("qr_url") or ""
        if qr_url:
            data = base64.b64encode(qr_png(qr_url)).decode()
            html = html.replace("cid:qr-code", f"data:image/png;base64,{data}")
    return html


def _preview(request: HttpRequest, event: str, language: str, form: TemplateForm) -> dict:
    """Render the form's texts on sample data: {"rendered", "html"} or {"error", "line"}."""
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return {"error": first, "line": None}
    try:
        rendered = services.template_preview(
            event=event,
            language=language,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        )
    except DomainError as error:
        return {"error": error.message, "line": error.extra.get("line"), "field": error.field}
    return {"rendered": rendered, "html": _preview_html(rendered, event, language, request.tenant)}


def _check_event_language(event: str, language: str) -> None:
    if event not in MAIL_EVENTS or language not in LANGUAGES:
        raise Http404("No such mail template.")


@staff_view(roles=ADMIN_ROLES, methods=["GET", "POST"])
def template_edit(request: HttpRequest, event: str, language: str) -> HttpResponse:
    """Edit one event's mail in one language; "Preview" renders it, "Save" stores it.

    Both work without JavaScript; with htmx the preview follows the typing. A text that
    does not render is never saved: the page comes back with the error and its line.
    """
    _check_event_language(event, language)
    subject, body, template = selectors.template_texts(event=event, language=language)
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST)
        preview = _preview(request, event, language, form)
        if request.POST.get("action") == "save" and "rendered" in preview:
            try:
                services.template_save(
                    event=event,
                    language=language,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    actor=staff_actor(request),
                )
            except DomainError as error:  # e.g. a concurrent edit; reported, not saved
                preview = {"error": error.message, "line": error.extra.get("line")}
            else:
                messages.success(request, _("The template was saved."))
                return redirect(
                    "backoffice-notifications:template-edit", event=event, language=language
                )
        if "error" in preview:
            status = 422
    else:
        form = TemplateForm(initial={"subject": subject, "body": body})
        preview = _preview(
            request, event, language, TemplateForm({"subject": subject, "body": body})
        )
    return render(
        request,
        "backoffice/notifications/template_edit.html",
        {
            "form": form,
            "event": event,
            "event_title": event_title(event),
            "language": language,
            "language_name": LANGUAGE_NAMES[language],
            "template": template,
            "preview": preview,
        },
        status=status,
    )


@staff_view(roles=ADMIN_ROLES, methods=["POST"])
def template_preview(request: HttpRequest, event: str, language: str) -> HttpResponse:
    """The live preview (an htmx fragment): never saves anything."""
    _check_event_language(event, language)
    preview = _preview(request, event, language, TemplateForm(request.POST))
    return render(request, "backoffice/notifications/_template_preview.html", {"preview": preview})


@staff_view(roles=ADMIN_ROLES, methods=["POST"])
def template_reset(request: HttpRequest, event: str, language: str) -> HttpResponse:
    _check_event_language(event, language)
    if services.template_delete(event=event, language=language, actor=staff_actor(request)):
        messages.success(request, _("The template is back to the default text."))
    return redirect("backoffice-notifications:template-edit", event=event, language=language)


# --- Mail log ---------------------------------------------------------------------------


def _mail_page(request: HttpRequest, mails, *, heading: str, scope: dict) -> HttpResponse:
    page = Paginator(mails, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for row in rows:
        row.event_title = event_title(row.event)
    return render(
        request,
        "backoffice/notifications/mail_log.html",
        {
            "page": page,
            "mails": rows,
            "heading": heading,
            "scope": scope,
            "filter_form": scope.get("filter_form"),
        },
    )


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def mail_log(request: HttpRequest) -> HttpResponse:
    form = MailLogFilterForm(request.GET or None)
    status, search = "", ""
    if form.is_valid():
        status, search = form.cleaned_data["status"], form.cleaned_data["q"]
    mails = selectors.mail_log(status=status, search=search)
    return _mail_page(request, mails, heading=_("Mail log"), scope={"filter_form": form})


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def mail_log_order(request: HttpRequest, order_number: str) -> HttpResponse:
    if not selectors.order_exists(order_number=order_number):
        raise Http404("No such order.")
    mails = selectors.mail_log_for_order(order_number=order_number)
    heading = _("Mails about order %(number)s") % {"number": order_number}
    return _mail_page(request, mails, heading=heading, scope={"order_number": order_number})


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def mail_log_return(request: HttpRequest, rma: str) -> HttpResponse:
    if not selectors.return_exists(rma=rma):
        raise Http404("No such return.")
    mails = selectors.mail_log_for_return(rma=rma)
    heading = _("Mails about return %(rma)s") % {"rma": rma}
    return _mail_page(request, mails, heading=heading, scope={"rma": rma})


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def mail_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    message = selectors.mail_get(message_id=message_id)
    return render(
        request,
        "backoffice/notifications/mail_detail.html",
        {"mail": message, "event_title": event_title(message.event)},
    )


@staff_view(roles=SERVICE_ROLES, methods=["POST"])
def mail_resend(request: HttpRequest, message_id: int) -> HttpResponse:
    """Queue a failed (or sent) mail again as a new, audited outbox row."""
    message = selectors.mail_get(message_id=message_id)
    fallback = reverse("backoffice-notifications:mail-detail", args=[message.pk])
    try:
        copy = services.outbox_resend(message=message, actor=staff_actor(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(safe_next(request, fallback))
    messages.success(
        request,
        _("The mail to %(recipient)s was queued again (#%(id)s).")
        % {"recipient": copy.recipient, "id": copy.pk},
    )
    return redirect(safe_next(request, fallback))


# --- Webhooks ---------------------------------------------------------------------------


def _secret_page(request: HttpRequest, created: services.CreatedSubscription, *, rotated: bool):
    response = render(
        request,
        "backoffice/notifications/webhook_secret.html",
        {"subscription": created.subscription, "secret": created.secret, "rotated": rotated},
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@staff_view(roles=ADMIN_ROLES, methods=["GET", "POST"])
def webhook_list(request: HttpRequest) -> HttpResponse:
    """The shop's subscriptions, and the form that adds one (the secret is shown once)."""
    status = 200
    if request.method == "POST":
        form = WebhookSubscriptionForm(request.POST)
        if form.is_valid():
            try:
                created = services.webhook_subscription_create(
                    url=form.cleaned_data["url"],
                    events=form.cleaned_data["events"],
                    actor=staff_actor(request),
                )
            except DomainError as error:
                form_error(form, error)
            else:
                return _secret_page(request, created, rotated=False)
        status = 422
    else:
        form = WebhookSubscriptionForm(initial={"events": [ALL_EVENTS_CHOICE]})
    return render(
        request,
        "backoffice/notifications/webhook_list.html",
        {"subscriptions": list(selectors.webhook_subscription_list()), "form": form},
        status=status,
    )


@staff_view(roles=ADMIN_ROLES, methods=["GET", "POST"])
def webhook_detail(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """One subscription: change it, and read its delivery log (newest first)."""
    subscription = selectors.webhook_subscription_get(subscription_id=subscription_id)
    status = 200
    if request.method == "POST":
        form = WebhookSubscriptionEditForm(request.POST)
        if form.is_valid():
            try:
                services.webhook_subscription_update(
                    subscription=subscription,
                    url=form.cleaned_data["url"],
                    events=form.cleaned_data["events"],
                    active=form.cleaned_data["active"],
                    actor=staff_actor(request),
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The subscription was saved."))
                return redirect("backoffice-notifications:webhook-detail", subscription.pk)
        status = 422
    else:
        form = WebhookSubscriptionEditForm(
            initial={
                "url": subscription.url,
                "events": subscription.events,
                "active": subscription.active,
            }
        )
    deliveries = selectors.webhook_delivery_list(subscription=subscription)
    page = Paginator(deliveries, DELIVERY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/notifications/webhook_detail.html",
        {
            "subscription": subscription,
            "form": form,
            "page": page,
            "deliveries": list(page.object_list),
        },
        status=status,
    )


@never_cache
@staff_view(roles=ADMIN_ROLES, methods=["POST"])
def webhook_rotate(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = selectors.webhook_subscription_get(subscription_id=subscription_id)
    rotated = services.webhook_subscription_rotate_secret(
        subscription=subscription, actor=staff_actor(request)
    )
    return _secret_page(request, rotated, rotated=True)


@staff_view(roles=ADMIN_ROLES, methods=["POST"])
def webhook_delete(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = selectors.webhook_subscription_get(subscription_id=subscription_id)
    services.webhook_subscription_delete(subscription=subscription, actor=staff_actor(request))
    messages.success(request, _("The subscription was removed."))
    return redirect("backoffice-notifications:webhook-list")


@staff_view(roles=ADMIN_ROLES, methods=["POST"])
def webhook_delivery_resend(
    request: HttpRequest, subscription_id: int, delivery_id: int
) -> HttpResponse:
    subscription = selectors.webhook_subscription_get(subscription_id=subscription_id)
    delivery = selectors.webhook_delivery_get(subscription=subscription, delivery_id=delivery_id)
    try:
        copy = services.outbox_resend(message=delivery.message, actor=staff_actor(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The delivery was queued again (#%(id)s).") % {"id": copy.pk})
    return redirect("backoffice-notifications:webhook-detail", subscription.pk)
