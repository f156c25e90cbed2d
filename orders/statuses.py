"""Order statuses and which shop event may move an order where."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    SHIPPED = "shipped", _("Shipped")
    DELAYED = "delayed", _("Delayed")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class OrderKind(models.TextChoices):
    SALE = "sale", _("Sale")
    EXCHANGE = "exchange", _("Exchange")


class OrderEventType(models.TextChoices):
    SHIPPED = "shipped", _("Shipped")
    DELAYED = "delayed", _("Delayed")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


# event type -> the statuses it may be recorded in; the event moves the order to its name.
EVENT_ALLOWED_FROM: dict[str, frozenset[str]] = {
    OrderEventType.SHIPPED: frozenset(
        {OrderStatus.PLACED, OrderStatus.DELAYED, OrderStatus.SHIPPED}
    ),
    OrderEventType.DELAYED: frozenset(
        {OrderStatus.PLACED, OrderStatus.SHIPPED, OrderStatus.DELAYED}
    ),
    OrderEventType.DELIVERED: frozenset(
        {OrderStatus.PLACED, OrderStatus.SHIPPED, OrderStatus.DELAYED}
    ),
    OrderEventType.CANCELLED: frozenset({OrderStatus.PLACED, OrderStatus.DELAYED}),
}
