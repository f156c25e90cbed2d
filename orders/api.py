"""Orders API: upsert one or many, list, detail and shop events."""

import functools

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from orders import selectors, services
from orders.documents import order_document
from orders.serializers import (
    OrderBulkInput,
    OrderEventInput,
    OrderEventOutput,
    OrderInput,
    OrderListFilter,
    OrderOutput,
)
from returns_platform import fastvalidation
from returns_platform.api import TenantAPIView, conditional, idempotent, list_filters

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Replays the first successful answer for the same key and body.",
)


@functools.cache
def _bulk_validator():
    """The bulk input's validated data for valid input without DRF's per-field dispatch
    (``returns_platform/fastvalidation.py``); ``None`` otherwise."""
    return fastvalidation.validator(OrderBulkInput())


def _document(number: str) -> dict:
    return order_document(*selectors.order_document_rows(number=number))


class OrderListCreateApi(TenantAPIView):
    @extend_schema(
        operation_id="orders_list",
        parameters=[OrderListFilter],
        responses=OrderOutput(many=True),
    )
    def get(self, request):
        filters = list_filters(OrderListFilter, request.query_params)
        page = self.paginate_rows(selectors.order_page_rows(filters=filters))
        zone = timezone.get_current_timezone()
        return page.response(selectors.page_documents(page.rows, zone))

    @extend_schema(
        operation_id="orders_upsert",
        request=OrderInput,
        responses={200: OrderOutput, 201: OrderOutput},
        parameters=[IDEMPOTENCY_HEADER],
        description="Create the order, or update the order with the same number. "
        "Replaying the same body changes nothing (200, same result).",
    )
    @idempotent
    def post(self, request):
        data = OrderInput(data=request.data)
        data.is_valid(raise_exception=True)
        order, outcome = services.order_upsert(data=data.validated_data, actor=self.actor)
        code = status.HTTP_201_CREATED if outcome == services.CREATED else status.HTTP_200_OK
        return Response(_document(order.number), status=code)


class OrderBulkUpsertApi(TenantAPIView):
    @extend_schema(
        operation_id="orders_bulk_upsert",
        request=OrderBulkInput,
        responses={200: dict},
        parameters=[IDEMPOTENCY_HEADER],
        description="Upsert up to 500 orders in one transaction: all or nothing.",
    )
    @idempotent
    def post(self, request):
        validated = _bulk_validator()(request.data)
        if validated is None:  # not valid, or not for the fast path: the serializer decides
            data = OrderBulkInput(data=request.data)
            data.is_valid(raise_exception=True)
            validated = data.validated_data
        results = services.orders_bulk_upsert(orders=validated["orders"], actor=self.actor)
        counts = {services.CREATED: 0, services.UPDATED: 0, services.UNCHANGED: 0}
        for _, outcome in results:
            counts[outcome] += 1
        return Response(
            {
                **counts,
                "orders": [
                    {"number": order.number, "outcome": outcome} for order, outcome in results
                ],
            }
        )


class OrderDetailApi(TenantAPIView):
    @extend_schema(operation_id="orders_retrieve", responses=OrderOutput)
    def get(self, request, number: str):
        order, lines = selectors.order_document_rows(number=number)
        # The document changes only with the order's updated_at or its customer/channel.
        version = (order["updated_at"], order["customer__name"], order["customer__phone"])
        return conditional(
            request, (*version, order["channel__code"]), lambda: order_document(order, lines)
        )


class OrderEventApi(TenantAPIView):
    pagination_class = None  # answers the whole list

    @extend_schema(
        operation_id="orders_events_create",
        request=OrderEventInput,
        responses={201: OrderEventOutput},
        parameters=[IDEMPOTENCY_HEADER],
        description="Record `shipped` (tracking number, carrier), `delayed` (new expected "
        "date), `delivered` or `cancelled`; the order moves to that status. A shipped "
        "order cannot be cancelled (409 `invalid_order_event`). A cancellation may carry "
        '`"refund": {"amount", "reference"}` (made by the shop) or `"refund": "issue"` '
        "(a booked credit note and a refund through the shop's provider).",
    )
    @idempotent
    def post(self, request, number: str):
        order = selectors.order_get(number=number)
        data = OrderEventInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        event = services.order_event_record(
            order=order,
            event_type=values["type"],
            actor=self.actor,
            occurred_at=values["occurred_at"],
            tracking_number=values["tracking_number"],
            carrier=values["carrier"],
            expected_at=values["expected_at"],
            reason=values["reason"],
            refund=values["refund"],
        )
        return Response(OrderEventOutput(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="orders_events_list", responses=OrderEventOutput(many=True))
    def get(self, request, number: str):
        order = selectors.order_get(number=number)
        return Response(OrderEventOutput(order.events.all(), many=True).data)
