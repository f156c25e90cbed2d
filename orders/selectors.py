"""Read queries on orders (always through the tenant scope)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from orders.models import Order


def order_queryset() -> QuerySet[Order]:
    return Order.objects.select_related("channel", "customer").prefetch_related("lines")


def order_list(*, filters: dict) -> QuerySet[Order]:
    queryset = order_queryset()
    if "status" in filters:
        queryset = queryset.filter(status=filters["status"])
    if "updated_since" in filters:
        queryset = queryset.filter(updated_at__gte=filters["updated_since"])
    if "number" in filters:
        queryset = queryset.filter(number=filters["number"])
    if "email" in filters:
        queryset = queryset.filter(email=filters["email"].lower())
    return queryset


def order_get(*, number: str) -> Order:
    """The order with this number in the current tenant, or 404."""
    return get_object_or_404(order_queryset(), number=number)
