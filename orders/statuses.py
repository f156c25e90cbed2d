"""Order statuses and which shop event may move an order where."""

from django.db import models


class OrderStatus(models.TextChoices):
    PLACED = "placed", "Placed"
    SHIPPED = "shipped", "Shipped"
    DELAYED = "delayed", "Delayed"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


class OrderEventType(models.TextChoices):
    SHIPPED = "shipped", "Shipped"
    DELAYED = "delayed", "Delayed"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


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
