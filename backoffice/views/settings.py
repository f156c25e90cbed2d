"""Shop settings (admins): return policy, reasons, channels, shop and branding, API keys,
the team. Invalid input is refused with field errors and nothing is saved; each form
saves only its own fields, so saving one never loses another."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from backoffice.access import ADMIN_ROLES, staff_actor, staff_view
from backoffice.case_forms import CasePolicyForm
from backoffice.forms import (
    ApiKeyForm,
    ChannelForm,
    PolicyForm,
    ReasonForm,
    RoleForm,
    TeamMemberForm,
    TenantSettingsForm,
)
from backoffice.selectors import staff_member_get, staff_members
from backoffice.views.common import form_error, refused
from returns.models import ReturnReason
from returns.policy import return_policy_update, return_reason_save
from returns.selectors import return_policy_get, return_reasons
from returns_platform.errors import DomainError
from tenants.models import ApiKey, Membership, SalesChannel
from tenants.services import (
    api_key_create,
    api_key_revoke,
    sales_channel_save,
    team_member_remove,
    team_member_set,
    tenant_settings_update,
)


def _render(request, template: str, context: dict, *, status: int = 200):
    context.setdefault("settings_section", template.rsplit("/", 1)[-1].removesuffix(".html"))
    return render(request, f"backoffice/settings/{template}", context, status=status)


@staff_view(roles=ADMIN_ROLES, methods=["GET"])
def settings_index(request):
    return redirect("backoffice:settings-policy")


@staff_view(roles=ADMIN_ROLES)
def cases(request):
    """Inspection deductions, keep-the-item, business customers, complaints, exchanges."""
    current = return_policy_get()
    if request.method == "POST":
        form = CasePolicyForm(request.POST)
        if form.is_valid():
            try:
                return_policy_update(changes=form.changes(), actor=staff_actor(request))
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Case settings saved."))
                return redirect("backoffice:settings-cases")
        return _render(request, "cases.html", {"form": form}, status=422)
    return _render(
        request,
        "cases.html",
        {"form": CasePolicyForm(initial=CasePolicyForm.initial_from(current))},
    )


@staff_view(roles=ADMIN_ROLES)
def policy(request):
    current = return_policy_get()
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                return_policy_update(changes=form.changes(), actor=staff_actor(request))
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Return policy saved."))
                return redirect("backoffice:settings-policy")
        return _render(request, "policy.html", {"form": form, "policy": current}, status=422)
    form = PolicyForm(initial=PolicyForm.initial_from(current))
    return _render(request, "policy.html", {"form": form, "policy": current})


def _reason_labels(data: dict) -> dict:
    return {language: data[f"label_{language}"] for language in ("en", "nl", "de", "pl", "sv")}


@staff_view(roles=ADMIN_ROLES)
def reasons(request):
    form = ReasonForm(request.POST or None, initial={"active": True, "order": 0})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if ReturnReason.objects.filter(code=data["code"]).exists():
                form.add_error("code", _("A reason with this code exists; edit it below."))
            else:
                return_reason_save(
                    code=data["code"],
                    labels=_reason_labels(data),
                    active=data["active"],
                    order=data["order"],
                    actor=staff_actor(request),
                )
                messages.success(request, _("Reason %(code)s added.") % {"code": data["code"]})
                return redirect("backoffice:settings-reasons")
        status = 422
    else:
        status = 200
    return _render(
        request,
        "reasons.html",
        {"form": form, "reasons": list(return_reasons(active_only=False))},
        status=status,
    )


@staff_view(roles=ADMIN_ROLES)
def reason_edit(request, pk: int):
    reason = get_object_or_404(ReturnReason.objects.all(), pk=pk)
    initial = {
        "code": reason.code,
        "active": reason.active,
        "order": reason.order,
        **{
            f"label_{lang}": getattr(reason, f"label_{lang}")
            for lang in ("en", "nl", "de", "pl", "sv")
        },
    }
    form = ReasonForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True  # lines refer to it; the code never changes
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return_reason_save(
            code=reason.code,
            labels=_reason_labels(data),
            active=data["active"],
            order=data["order"],
            actor=staff_actor(request),
        )
        messages.success(request, _("Reason %(code)s saved.") % {"code": reason.code})
        return redirect("backoffice:settings-reasons")
    return _render(
        request,
        "reason_edit.html",
        {"form": form, "reason": reason, "settings_section": "reasons"},
        status=422 if form.errors else 200,
    )


def _consultant(form: ChannelForm):
    value = form.cleaned_data.get("consultant")
    if not value:
        return None
    consultant = staff_member_get(user_id=int(value))
    if consultant is None:
        raise Http404("No such colleague.")
    return consultant


@staff_view(roles=ADMIN_ROLES)
def channels(request):
    members = staff_members()
    form = ChannelForm(request.POST or None, members=members)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sales_channel_save(
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    consultant=_consultant(form),
                    actor=staff_actor(request),
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Channel saved."))
                return redirect("backoffice:settings-channels")
        status = 422
    channel_list = list(SalesChannel.objects.select_related("consultant").order_by("name"))
    return _render(
        request, "channels.html", {"form": form, "channels": channel_list}, status=status
    )


@staff_view(roles=ADMIN_ROLES)
def channel_edit(request, pk: int):
    channel = get_object_or_404(SalesChannel.objects.all(), pk=pk)
    members = staff_members()
    initial = {
        "code": channel.code,
        "name": channel.name,
        "kind": channel.kind,
        "consultant": str(channel.consultant_id or ""),
    }
    form = ChannelForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sales_channel_save(
                channel=channel,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                consultant=_consultant(form),
                actor=staff_actor(request),
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Channel saved."))
            return redirect("backoffice:settings-channels")
    return _render(
        request,
        "channel_edit.html",
        {"form": form, "channel": channel, "settings_section": "channels"},
        status=422 if form.errors else 200,
    )


@staff_view(roles=ADMIN_ROLES)
def shop(request):
    tenant = request.tenant
    if request.method == "POST":
        # A copy: a refused form must not leave half-applied values on request.tenant.
        form = TenantSettingsForm(
            request.POST, request.FILES, instance=type(tenant).objects.get(pk=tenant.pk)
        )
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                tenant_settings_update(tenant=tenant, changes=changes, actor=staff_actor(request))
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Shop settings saved."))
                return redirect("backoffice:settings-shop")
        return _render(request, "shop.html", {"form": form}, status=422)
    return _render(request, "shop.html", {"form": TenantSettingsForm(instance=tenant)})


@never_cache
@staff_view(roles=ADMIN_ROLES)
def api_keys(request):
    form = ApiKeyForm(request.POST or None)
    issued = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            # Shown once, in this answer only; only its hash is stored.
            issued = api_key_create(
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                actor=staff_actor(request),
                created_by=request.user,
            )
            form = ApiKeyForm()
        else:
            status = 422
    keys = list(ApiKey.objects.select_related("created_by").order_by("-created_at"))
    return _render(
        request,
        "api_keys.html",
        {"form": form, "keys": keys, "issued": issued},
        status=status,
    )


@staff_view(roles=ADMIN_ROLES, methods=["POST"])
def api_key_revoke_view(request, pk: int):
    api_key = get_object_or_404(ApiKey.objects.all(), pk=pk)
    api_key_revoke(api_key=api_key, actor=staff_actor(request))
    messages.success(request, _("Key %(name)s revoked.") % {"name": api_key.name})
    return redirect("backoffice:settings-api-keys")


@staff_view(roles=ADMIN_ROLES)
def team(request):
    form = TeamMemberForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                team_member_set(
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    password=form.cleaned_data["password"],
                    actor=staff_actor(request),
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Team member saved."))
                return redirect("backoffice:settings-team")
        status = 422
    return _render(
        request,
        "team.html",
        {"form": form, "members": staff_members(), "role_form": RoleForm()},
        status=status,
    )


@staff_view(roles=ADMIN_ROLES, methods=["POST"])
def team_member_role(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("backoffice:settings-team")
    try:
        team_member_set(
            email=membership.user.get_username(),
            role=form.cleaned_data["role"],
            actor=staff_actor(request),
        )
    except DomainError as error:
        return refused(request, error, to=reverse("backoffice:settings-team"))
    messages.success(request, _("Role changed."))
    return redirect("backoffice:settings-team")


@staff_view(roles=ADMIN_ROLES, methods=["POST"])
def team_member_remove_view(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    try:
        team_member_remove(membership=membership, actor=staff_actor(request), user=request.user)
    except DomainError as error:
        return refused(request, error, to=reverse("backoffice:settings-team"))
    messages.success(
        request, _("%(user)s no longer works for this shop.") % {"user": membership.user}
    )
    return redirect("backoffice:settings-team")
