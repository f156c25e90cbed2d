"""Returns API: list, create, detail, transitions, receipt and document history."""

from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from orders.selectors import order_get
from returns import selectors, services
from returns.documents import return_document
from returns.predicates import needs_label, needs_parcel
from returns.serializers import (
    HistoryOutput,
    ReceiptInput,
    ReturnCreateInput,
    ReturnListFilter,
    ReturnOutput,
    ReturnSummaryOutput,
    TransitionInput,
)
from returns.workflow import return_move
from returns_platform.api import TenantAPIView, conditional, idempotent, list_filters
from returns_platform.errors import ConflictError, DomainError, NotFoundError
from returns_platform.tenancy import require_current_tenant

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Replays the first successful answer for the same key and body.",
)


def _detail(rma: str) -> dict:
    return return_document(*selectors.return_document_rows(rma=rma))


class ReturnListCreateApi(TenantAPIView):
    @extend_schema(
        operation_id="returns_list",
        parameters=[ReturnListFilter],
        responses=ReturnSummaryOutput(many=True),
        description="Newest first. `q` matches an RMA, an order number or an e-mail.",
    )
    def get(self, request):
        filters = list_filters(ReturnListFilter, request.query_params)
        page = self.paginate_rows(selectors.return_page_rows(filters=filters))
        zone = timezone.get_current_timezone()
        return page.response(selectors.page_documents(page.rows, zone))

    @extend_schema(
        operation_id="returns_create",
        request=ReturnCreateInput,
        responses={201: ReturnOutput},
        parameters=[IDEMPOTENCY_HEADER],
        description="Judge the request by the shop's rules and store it. Refused (422) "
        "with a stable code: `line_not_in_order`, `unknown_reason`, "
        "`quantity_exceeds_remaining`, `method_not_offered`, `resolution_not_offered`, "
        "`line_blocked`, `country_blocked`, `keep_item_not_offered`, `order_cancelled` (a "
        "cancelled order has nothing to return), `method_required` (a parcel travels: say "
        "how; a `missing_item` needs no method, the shop records one), `photo_required` (a "
        "`complaint` needs a photo of every line). `keep_item`: the "
        "answer to the keep-the-item offer (`true` takes it, `false` asks for a normal "
        "return; left out, a request that qualifies keeps its items).",
    )
    @idempotent
    def post(self, request):
        data = ReturnCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        order = order_get(number=values["order"])
        return_request = services.return_request_create(
            order=order,
            case_type=values["case_type"],
            resolution=values["resolution"],
            method=values["method"],
            language=values["language"],
            lines=[
                {
                    "order_line": line["order_line"],
                    "quantity": line["quantity"],
                    "reason_code": line["reason"],
                    "comment": line["comment"],
                    "exchange_sku": line["exchange_sku"],
                }
                for line in values["lines"]
            ],
            attachments=[
                {"name": item["name"], "file": item["content"], "line": item["line"]}
                for item in values["attachments"]
            ],
            actor=self.actor,
            keep_item=values["keep_item"],
        )
        return Response(_detail(return_request.rma), status=status.HTTP_201_CREATED)


class ReturnDetailApi(TenantAPIView):
    @extend_schema(operation_id="returns_retrieve", responses=ReturnOutput)
    def get(self, request, rma: str):
        # Staff actions do not all touch updated_at, so the ETag is the document's own. The
        # status-page address is left out: it follows from the shop and the RMA, and every
        # token signed for them stays valid (each process signs its own).
        document = _detail(rma)
        version = ({**document, "status_url": None}, require_current_tenant().slug)
        return conditional(request, version, lambda: document)


class ReturnTransitionApi(TenantAPIView):
    @extend_schema(
        operation_id="returns_transitions_create",
        request=TransitionInput,
        responses={200: ReturnOutput},
        parameters=[IDEMPOTENCY_HEADER],
        description="Move the return to `to`. Not allowed from the current status: 409 "
        '`{"code": "invalid_transition", "allowed": [...]}`. Cancelling needs a `reason`. '
        "Completing executes the resolution (as `POST .../resolution/` does).",
    )
    @idempotent
    def post(self, request, rma: str):
        return_request = selectors.return_get(rma=rma)
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        return_move(
            return_request=return_request,
            to=data.validated_data["to"],
            actor=self.actor,
            reason=data.validated_data["reason"],
        )
        return Response(_detail(rma))


class ReturnLabelApi(TenantAPIView):
    @extend_schema(
        operation_id="returns_label",
        parameters=[
            OpenApiParameter(
                "size", str, enum=["a6", "a4"], required=False, description="Default a6."
            )
        ],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            409: OpenApiResponse(description="no_parcel, label_not_ready"),
            422: OpenApiResponse(description="invalid_size"),
        },
        description="The return label (Code 128 of the RMA, QR code of the status page). "
        "404 `no_label` for methods without a label; 409 `no_parcel` when nothing is sent "
        "back (a missing item, goods the customer keeps); 409 `label_not_ready` while it is "
        "being rendered (retry after a few seconds).",
    )
    def get(self, request, rma: str):
        from returns import labels

        return_request = selectors.return_get_alone(rma=rma)
        page_format = request.query_params.get("size", labels.A6)
        if page_format not in (labels.A6, labels.A4):
            raise DomainError(code="invalid_size", field="size")
        if not needs_parcel(return_request):
            raise ConflictError(code="no_parcel.label")
        if not needs_label(return_request):
            raise NotFoundError(code="no_label", params={"method": return_request.method})
        if return_request.label_ready_at is None:
            raise ConflictError(code="label_not_ready")
        return FileResponse(
            labels.label_file(return_request, page_format=page_format),
            filename=f"return-label-{return_request.rma}-{page_format}.pdf",
            content_type="application/pdf",
        )


class ReturnReceiptApi(TenantAPIView):
    @extend_schema(
        operation_id="returns_receipt_create",
        request=ReceiptInput,
        responses={200: ReturnOutput},
        parameters=[IDEMPOTENCY_HEADER],
        description="Book in a parcel (partly, if need be): per line the total received "
        "quantity, condition and disposition. `inspected: true` closes the inspection.",
    )
    @idempotent
    def post(self, request, rma: str):
        return_request = selectors.return_get(rma=rma)
        data = ReceiptInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.return_receive(
            return_request=return_request,
            lines=data.validated_data["lines"],
            actor=self.actor,
            complete_inspection=data.validated_data["inspected"],
        )
        return Response(_detail(rma))


class ReturnHistoryApi(TenantAPIView):
    pagination_class = None  # answers the whole list

    @extend_schema(operation_id="returns_history", responses=HistoryOutput(many=True))
    def get(self, request, rma: str):
        return_request = selectors.return_get(rma=rma)
        events = selectors.return_history(return_request=return_request)
        return Response(HistoryOutput(events, many=True).data)


class OrderHistoryApi(TenantAPIView):
    pagination_class = None  # answers the whole list

    @extend_schema(
        operation_id="orders_history",
        responses=HistoryOutput(many=True),
        description="The order's document history: its own events and those of its "
        "returns and credits, in sequence order.",
    )
    def get(self, request, number: str):
        return Response(HistoryOutput(selectors.order_history(number=number), many=True).data)
