"""Read queries on a shop's channels and staff (always through the tenant scope)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from returns_platform.errors import DomainError
from tenants.models import Membership, SalesChannel


def sales_channel_list() -> QuerySet[SalesChannel]:
    return SalesChannel.objects.select_related("consultant")


def sales_channel_get(*, code: str) -> SalesChannel:
    """The shop's channel by code; another shop's code is a 404 like an unknown one."""
    return get_object_or_404(sales_channel_list(), code=code)


def staff_member_by_email(*, email: str):
    membership = Membership.objects.select_related("user").filter(user__email__iexact=email).first()
    if membership is None:
        raise DomainError(code="not_a_member", field="consultant", params={"email": email})
    return membership.user
