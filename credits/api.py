"""Credits API: credit notes, vouchers with redemptions, refunds."""

from __future__ import annotations

import re

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from credits import selectors, services
from credits.codes import CODE_PATTERN
from credits.serializers import (
    CreditNoteInput,
    CreditNoteListFilter,
    CreditNoteOutput,
    CreditNoteUpdateInput,
    PageFilter,
    RedemptionInput,
    RedemptionOutput,
    RefundListFilter,
    RefundOutput,
    ResolutionInput,
    ResolutionOutput,
    ReversalInput,
    VoucherEntryOutput,
    VoucherInput,
    VoucherOutput,
)
from credits.services.credit_notes import Payout
from credits.services.decisions import return_decide
from orders.selectors import order_get
from returns.models import ReturnDecision
from returns.selectors import return_get
from returns.statuses import DecisionKind
from returns_platform.api import StrictSerializer, TenantAPIView, idempotent
from returns_platform.errors import ConflictError, DomainError, NotFoundError
from tenants.models import ApiScope

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Replays the first successful answer for the same key and body.",
)
CODE_PARAMETER = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    pattern=CODE_PATTERN,
    description="Voucher code: 20 symbols; case, spaces and dashes are ignored. Another "
    "shape is 400 `invalid_code_format`; a typo fails the check character: 422 "
    "`invalid_code_checksum`.",
)
CHECKSUM_REFUSAL = OpenApiResponse(description="invalid_code_checksum")


def _voucher(code: str):
    """The voucher of a code in the path, which has the shape the schema gives it."""
    if not re.fullmatch(CODE_PATTERN, code):
        raise DomainError(code="invalid_code_format", field="code", status=400)
    return selectors.voucher_get(code=code)


def _payout(data: dict | None) -> Payout | None:
    return Payout(**data) if data else None


class CreditNoteListCreateApi(TenantAPIView):
    @extend_schema(
        operation_id="credit_notes_list",
        parameters=[CreditNoteListFilter],
        responses=CreditNoteOutput(many=True),
    )
    def get(self, request):
        filters = CreditNoteListFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return self.paginate(
            selectors.credit_note_list(filters=filters.validated_data), CreditNoteOutput
        )

    @extend_schema(
        operation_id="credit_notes_create",
        request=CreditNoteInput,
        responses={201: CreditNoteOutput},
        parameters=[IDEMPOTENCY_HEADER],
        description="A draft credit note for a fixed `amount` or for `lines`. It gets its "
        "number when it is booked.",
    )
    @idempotent
    def post(self, request):
        data = CreditNoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        credit_note = services.credit_note_create(
            order=order_get(number=values["order"]),
            reason=values["reason"],
            description=values.get("description", ""),
            amount=values.get("amount"),
            tax_rate=values["tax_rate"],
            lines=values.get("lines"),
            payout=_payout(values["payout"]),
            return_rma=values.get("return_rma", ""),
            actor=self.actor,
        )
        credit_note = selectors.credit_note_get(credit_note_id=credit_note.pk)
        return Response(CreditNoteOutput(credit_note).data, status=status.HTTP_201_CREATED)


class CreditNoteDetailApi(TenantAPIView):
    @extend_schema(operation_id="credit_notes_retrieve", responses=CreditNoteOutput)
    def get(self, request, credit_note_id: int):
        credit_note = selectors.credit_note_get(credit_note_id=credit_note_id)
        return Response(CreditNoteOutput(credit_note).data)

    @extend_schema(
        operation_id="credit_notes_update",
        request=CreditNoteUpdateInput,
        responses=CreditNoteOutput,
        description="Change a draft. A booked note answers 409 `credit_note_booked`.",
    )
    def patch(self, request, credit_note_id: int):
        credit_note = selectors.credit_note_get(credit_note_id=credit_note_id)
        data = CreditNoteUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.credit_note_update(
            credit_note=credit_note,
            actor=self.actor,
            description=values.get("description"),
            reason=values.get("reason"),
            payout=_payout(values.get("payout")),
        )
        credit_note = selectors.credit_note_get(credit_note_id=credit_note_id)
        return Response(CreditNoteOutput(credit_note).data)


class CreditNoteBookApi(TenantAPIView):
    @extend_schema(
        operation_id="credit_notes_book",
        request=None,
        responses={200: CreditNoteOutput},
        parameters=[IDEMPOTENCY_HEADER],
        description="Book the note: it gets its number (`CN-<year>-00001`) and is paid out. "
        "Booking twice answers 409 `already_booked`.",
    )
    @idempotent
    def post(self, request, credit_note_id: int):
        credit_note = selectors.credit_note_get(credit_note_id=credit_note_id)
        services.credit_note_book(credit_note=credit_note, actor=self.actor)
        credit_note = selectors.credit_note_get(credit_note_id=credit_note_id)
        return Response(CreditNoteOutput(credit_note).data)


class CreditNoteDocumentApi(TenantAPIView):
    @extend_schema(
        operation_id="credit_notes_document",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request, credit_note_id: int):
        credit_note = selectors.credit_note_get(credit_note_id=credit_note_id)
        if not credit_note.is_booked:
            raise ConflictError(code="credit_note_not_booked", params={"id": credit_note.pk})
        if not credit_note.document:
            credit_note = services.credit_note_document_store(credit_note=credit_note)
        with credit_note.document.open("rb") as document:
            pdf = document.read()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{credit_note.number}.pdf"'
        return response


class VoucherListCreateApi(TenantAPIView):
    @extend_schema(
        operation_id="vouchers_list", parameters=[PageFilter], responses=VoucherOutput(many=True)
    )
    def get(self, request):
        filters = PageFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return self.paginate(selectors.voucher_list(), VoucherOutput)

    @extend_schema(
        operation_id="vouchers_create",
        description="Issue a voucher. An API key issues vouchers worth at most the shop's "
        "limit (amount plus bonus; 1000.00 unless the shop changed it): above it 409 "
        "`voucher_limit_exceeded` with the `limit`, and nothing is issued.",
        request=VoucherInput,
        responses={201: VoucherOutput},
        parameters=[IDEMPOTENCY_HEADER],
    )
    @idempotent
    def post(self, request):
        data = VoucherInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        order = order_get(number=values["order"]) if values.get("order") else None
        voucher = services.voucher_issue(
            amount=values["amount"],
            currency=values["currency"],
            description=values.get("description", ""),
            valid_from=values["valid_from"],
            expires_at=values["expires_at"],
            bonus=values["bonus"],
            order=order,
            email=values.get("email", ""),
            actor=self.actor,
        )
        return Response(VoucherOutput(voucher).data, status=status.HTTP_201_CREATED)


class VoucherDetailApi(TenantAPIView):
    @extend_schema(
        operation_id="vouchers_retrieve",
        parameters=[CODE_PARAMETER],
        responses={200: VoucherOutput, 422: CHECKSUM_REFUSAL},
    )
    def get(self, request, code: str):
        return Response(VoucherOutput(_voucher(code)).data)


class VoucherRedemptionApi(TenantAPIView):
    pagination_class = None  # answers the whole list

    @extend_schema(
        operation_id="vouchers_redeem",
        parameters=[CODE_PARAMETER, IDEMPOTENCY_HEADER],
        request=RedemptionInput,
        responses={
            201: RedemptionOutput,
            422: OpenApiResponse(
                description="insufficient_balance, voucher_expired, voucher_not_yet_valid, "
                "voucher_void, currency_mismatch, invalid_amount, invalid_code_checksum"
            ),
        },
        description="Take an amount off the voucher. With an Idempotency-Key a retried "
        "redemption is applied once (the key is also kept on the ledger entry).",
    )
    @idempotent
    def post(self, request, code: str):
        voucher = _voucher(code)
        data = RedemptionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        voucher, entry = services.voucher_redeem(
            voucher=voucher,
            amount=values["amount"],
            currency=values.get("currency"),
            reference=values.get("reference", ""),
            idempotency_key=request.headers.get("Idempotency-Key", "").strip(),
            actor=self.actor,
        )
        body = RedemptionOutput(
            {"balance": voucher.balance, "currency": voucher.currency, "entry": entry}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="vouchers_ledger",
        parameters=[CODE_PARAMETER],
        responses={200: VoucherEntryOutput(many=True), 422: CHECKSUM_REFUSAL},
    )
    def get(self, request, code: str):
        voucher = _voucher(code)
        entries = selectors.voucher_entries(voucher=voucher)
        return Response(VoucherEntryOutput(entries, many=True).data)


class VoucherReversalApi(TenantAPIView):
    @extend_schema(
        operation_id="vouchers_redemption_reverse",
        parameters=[CODE_PARAMETER, IDEMPOTENCY_HEADER],
        request=ReversalInput,
        responses={201: RedemptionOutput},
        description="Give a redemption back (once: again answers 409 `already_reversed`).",
    )
    @idempotent
    def post(self, request, code: str, entry_id: int):
        voucher = _voucher(code)
        data = ReversalInput(data=request.data)
        data.is_valid(raise_exception=True)
        voucher, entry = services.voucher_reverse(
            voucher=voucher,
            entry_id=entry_id,
            reference=data.validated_data.get("reference", ""),
            actor=self.actor,
        )
        body = RedemptionOutput(
            {"balance": voucher.balance, "currency": voucher.currency, "entry": entry}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


class RefundListApi(TenantAPIView):
    @extend_schema(
        operation_id="refunds_list",
        parameters=[RefundListFilter],
        responses=RefundOutput(many=True),
    )
    def get(self, request):
        filters = RefundListFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return self.paginate(selectors.refund_list(filters=filters.validated_data), RefundOutput)


class ReturnResolutionApi(TenantAPIView):
    @extend_schema(
        operation_id="returns_resolution_retrieve",
        responses=ResolutionOutput,
        description="What completing the return paid or asked for; 404 `not_resolved` before.",
    )
    def get(self, request, rma: str):
        return_get(rma=rma)  # another tenant's RMA: 404 like an unknown one
        return Response(ResolutionOutput(selectors.return_resolution_get(rma=rma)).data)

    @extend_schema(
        operation_id="returns_resolve",
        request=ResolutionInput,
        responses={200: ResolutionOutput},
        parameters=[IDEMPOTENCY_HEADER],
        description="Complete an inspected return by executing its resolution from the "
        "accepted lines: refund (booked credit note + refund at the provider), store "
        "credit (booked credit note + voucher with the bonus), exchange / replacement "
        "(`exchange.requested` event with the lines). Calling it again answers the same "
        "resolution and pays nothing. Not inspected: 409 `not_resolvable`.",
    )
    @idempotent
    def post(self, request, rma: str):
        return_request = return_get(rma=rma)
        data = ResolutionInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.return_resolve(
            return_request=return_request,
            actor=self.actor,
            provider=data.validated_data["provider"],
            payment_reference=data.validated_data["payment_reference"],
        )
        return Response(ResolutionOutput(selectors.return_resolution_get(rma=rma)).data)


class DecisionInput(StrictSerializer):
    decision = serializers.ChoiceField(choices=DecisionKind.choices)
    reason = serializers.CharField(max_length=2000)


class DecisionOutput(serializers.ModelSerializer):
    rma = serializers.CharField(source="request.rma")

    class Meta:
        model = ReturnDecision
        fields = ["rma", "decision", "reason", "legal_basis", "decided_by", "created_at"]


class ReturnDecisionApi(TenantAPIView):
    api_scope = ApiScope.RETURNS

    @extend_schema(
        operation_id="returns_decision_create",
        request=DecisionInput,
        responses={201: DecisionOutput},
        parameters=[IDEMPOTENCY_HEADER],
        description="Record a complaint's decision, once: `repair`, `replace` (creates the "
        "exchange order now), `refund` (paid by the resolution) or `reject` (with the "
        "shop's legal basis; cancels the request when its status allows). 409 "
        "`not_a_complaint`, `already_decided`, `final`.",
    )
    @idempotent
    def post(self, request, rma: str):
        return_request = return_get(rma=rma)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        decision = return_decide(
            return_request=return_request,
            decision=data.validated_data["decision"],
            reason=data.validated_data["reason"],
            actor=self.actor,
        )
        return Response(DecisionOutput(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="returns_decision_retrieve", responses=DecisionOutput)
    def get(self, request, rma: str):
        return_request = return_get(rma=rma)
        decision = ReturnDecision.objects.filter(request=return_request).first()
        if decision is None:
            raise NotFoundError(code="not_decided", params={"rma": rma})
        return Response(DecisionOutput(decision).data)
