"""Read queries of the credits app (always through the tenant scope)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum

from credits.codes import InvalidCode, normalize_code
from credits.models import (
    CreditNote,
    CreditNoteLine,
    PaymentProviderAccount,
    Refund,
    ReturnResolution,
    Voucher,
    VoucherEntry,
)
from credits.payment_keys import default_provider_of, key_mode, mask_key
from credits.settings import credit_settings_get, credit_settings_values
from credits.statuses import CreditNoteStatus, RefundProvider, RefundStatus, VoucherStatus
from returns_platform.errors import DomainError, NotFoundError


def voucher_code_normalize(raw: str) -> str:
    """The stored form of a typed code; a typo is caught here, before any look-up."""
    try:
        return normalize_code(raw)
    except InvalidCode as error:
        if error.reason == "checksum":
            raise DomainError(code="invalid_code_checksum", field="code", status=422) from error
        raise DomainError(code="invalid_code_format", field="code", status=400) from error


def voucher_get(*, code: str) -> Voucher:
    voucher = (
        Voucher.objects.select_related("order").filter(code=voucher_code_normalize(code)).first()
    )
    if voucher is None:
        raise NotFoundError(code="unknown_voucher")
    return voucher


def voucher_list() -> QuerySet[Voucher]:
    return Voucher.objects.select_related("order")


def voucher_entries(*, voucher: Voucher) -> QuerySet[VoucherEntry]:
    return VoucherEntry.objects.filter(voucher=voucher).order_by("id")


def credit_note_queryset() -> QuerySet[CreditNote]:
    return CreditNote.objects.select_related("order", "voucher").prefetch_related(
        Prefetch("lines", queryset=CreditNoteLine.objects.order_by("position", "id"))
    )


def credit_note_list(*, filters: dict) -> QuerySet[CreditNote]:
    queryset = credit_note_queryset()
    if "status" in filters:
        queryset = queryset.filter(status=filters["status"])
    if "order" in filters:
        queryset = queryset.filter(order__number=filters["order"])
    return queryset


def credit_note_get(*, credit_note_id: int) -> CreditNote:
    credit_note = credit_note_queryset().filter(pk=credit_note_id).first()
    if credit_note is None:
        raise NotFoundError(code="not_found.credit_note", params={"credit_note_id": credit_note_id})
    return credit_note


def refund_list(*, filters: dict) -> QuerySet[Refund]:
    queryset = Refund.objects.select_related("order", "credit_note")
    if "status" in filters:
        queryset = queryset.filter(status=filters["status"])
    if "order" in filters:
        queryset = queryset.filter(order__number=filters["order"])
    return queryset


def voucher_ledger_mismatches() -> list[tuple[Voucher, object]]:
    """Vouchers of the current tenant whose balance differs from their ledger's sum."""
    from django.db.models import Sum

    sums = dict(
        VoucherEntry.objects.values("voucher_id")
        .annotate(total=Sum("amount"))
        .values_list("voucher_id", "total")
    )
    problems = []
    for voucher in Voucher.objects.order_by("pk").only("pk", "code", "balance", "currency"):
        ledger = sums.get(voucher.pk) or 0
        if ledger != voucher.balance:
            problems.append((voucher, ledger))
    return problems


def return_resolution_find(*, rma: str) -> ReturnResolution | None:
    return (
        ReturnResolution.objects.select_related(
            "credit_note", "voucher", "refund", "exchange_order"
        )
        .filter(rma=rma)
        .first()
    )


def return_resolution_get(*, rma: str) -> ReturnResolution:
    resolution = return_resolution_find(rma=rma)
    if resolution is None:
        raise NotFoundError(code="not_resolved", params={"rma": rma})
    return resolution


def voucher_get_by_id(*, voucher_id: int) -> Voucher:
    voucher = Voucher.objects.select_related("order").filter(pk=voucher_id).first()
    if voucher is None:
        raise NotFoundError(code="unknown_voucher")
    return voucher


def refund_get(*, refund_id: int) -> Refund:
    refund = Refund.objects.select_related("order", "credit_note").filter(pk=refund_id).first()
    if refund is None:
        raise NotFoundError(code="not_found.refund", params={"refund_id": refund_id})
    return refund


def returns_awaiting_resolution():
    """Returns whose resolution can be executed now: inspected ones, and those without a
    parcel once approved (nothing comes back)."""
    from django.db.models import Q

    from returns.models import ReturnRequest
    from returns.predicates import without_parcel
    from returns.statuses import ReturnStatus

    return (
        ReturnRequest.objects.select_related("order")
        .filter(
            Q(status=ReturnStatus.INSPECTED) | (Q(status=ReturnStatus.APPROVED) & without_parcel())
        )
        .order_by("status_changed_at", "id")
    )


def payment_settings() -> dict:
    """The payment set-up as the API and the settings screen show it (keys masked)."""
    accounts = list(PaymentProviderAccount.objects.order_by("provider"))
    return {
        "default_provider": default_provider_of(accounts),
        "accounts": [
            {
                "provider": account.provider,
                "api_key": mask_key(account.api_key),
                "mode": key_mode(account.api_key),
                "is_default": account.is_default,
                "updated_at": account.updated_at,
                "checked_at": account.checked_at,
                "check_ok": account.check_ok,
            }
            for account in accounts
        ],
        **credit_settings_values(credit_settings_get()),
    }


def orders_with_money(*, order_ids: list[int]) -> dict[int, Decimal]:
    """Order id -> the larger of its booked credit notes and its refunds (not failed), for
    the orders among these with any credit note (even a draft), refund or voucher."""
    found: dict[int, Decimal] = {}
    for model in (CreditNote, Refund, Voucher):
        for order_id in model.objects.filter(order_id__in=order_ids).values_list(
            "order_id", flat=True
        ):
            found.setdefault(order_id, Decimal("0"))
    if not found:
        return found
    credited = (
        CreditNote.objects.filter(order_id__in=found, status=CreditNoteStatus.BOOKED)
        .values("order_id")
        .annotate(total=Sum("total"))
    )
    refunded = (
        Refund.objects.filter(order_id__in=found)
        .exclude(status=RefundStatus.FAILED)
        .values("order_id")
        .annotate(total=Sum("amount"))
    )
    for row in (*credited, *refunded):
        found[row["order_id"]] = max(found[row["order_id"]], row["total"])
    return found


# A worker's claim on a refund older than this was left by a crashed worker.
STALE_CLAIM = timedelta(minutes=15)


def refunds_due(refunds: QuerySet[Refund], *, now: datetime) -> QuerySet[Refund]:
    """Refunds a worker should act on now: provider refunds pending whose next attempt has
    come, and claims a crashed worker left in processing. ``refunds`` is the manager to
    read from: the tenant's (``Refund.objects``) or, for the periodic fan-out, every
    tenant's (``Refund.unscoped``)."""
    submittable = Q(status=RefundStatus.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    stale = Q(status=RefundStatus.PROCESSING, processing_started_at__lt=now - STALE_CLAIM)
    return refunds.filter((submittable & ~Q(provider=RefundProvider.MANUAL)) | stale)


def vouchers_due_to_expire(vouchers: QuerySet[Voucher], *, today: date) -> QuerySet[Voucher]:
    """Active vouchers whose expiry date has come (``vouchers`` as in ``refunds_due``)."""
    return vouchers.filter(status=VoucherStatus.ACTIVE, expires_at__lte=today)
