"""Vouchers: issue, redeem, reverse, void and expire, always through the ledger.

The balance of a voucher changes in exactly one place, ``_append_entry``, which writes the
ledger line and the new balance in the same transaction while the voucher row is locked.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from credits.codes import format_code, generate_code
from credits.models import Voucher, VoucherEntry
from credits.selectors import vouchers_due_to_expire
from credits.services.common import (
    actor_key,
    amount_string,
    require_currency,
    require_positive_amount,
    require_precision,
)
from credits.settings import credit_settings_get
from credits.statuses import VoucherEntryKind, VoucherStatus
from credits.workflow import voucher_transition
from orders.models import Order
from returns_platform import events
from returns_platform.audit import SYSTEM, Actor
from returns_platform.errors import ConflictError, DomainError, NotFoundError
from returns_platform.models import ActorKind


def _locked(voucher: Voucher) -> Voucher:
    return (
        Voucher.objects.select_for_update(of=("self",)).select_related("order").get(pk=voucher.pk)
    )


def _append_entry(
    *,
    voucher: Voucher,
    kind: str,
    amount: Decimal,
    actor: Actor,
    reference: str = "",
    idempotency_key: str = "",
    reverses: VoucherEntry | None = None,
) -> VoucherEntry:
    """The only writer of ``Voucher.balance``: one ledger line and the new balance."""
    balance = voucher.balance + amount
    if balance < 0:
        raise AssertionError("A voucher balance can never become negative.")
    entry = VoucherEntry.objects.create(
        voucher=voucher,
        kind=kind,
        amount=amount,
        balance_after=balance,
        reference=reference[:200],
        idempotency_key=idempotency_key,
        actor=f"{actor_key(actor)} {actor.label}"[:250],
        reverses=reverses,
    )
    Voucher.objects.filter(pk=voucher.pk).update(balance=balance)
    voucher.balance = balance
    return entry


def _order_number(voucher: Voucher) -> str:
    return voucher.order.number if voucher.order_id else ""


def _require_within_api_limit(value: Decimal, currency: str) -> None:
    """The shop's cap on what one API-issued voucher is worth (a leaked key's reach)."""
    limit = credit_settings_get().api_voucher_limit
    if limit is not None and value > limit:
        raise ConflictError(
            code="voucher_limit_exceeded",
            field="amount",
            limit=amount_string(limit, currency),
            currency=currency,
            params={"limit": amount_string(limit, currency), "currency": currency},
        )


@transaction.atomic
def voucher_issue(
    *,
    amount: Decimal,
    currency: str,
    actor: Actor,
    description: str = "",
    valid_from: date | None = None,
    expires_at: date | None = None,
    bonus: Decimal = Decimal("0"),
    order: Order | None = None,
    email: str = "",
    language: str = "",
    reference: str = "",
) -> Voucher:
    """Issue a voucher worth ``amount`` + ``bonus`` with a new unguessable code."""
    require_currency(currency)
    require_positive_amount(amount, currency)
    require_precision(bonus, currency, field="bonus")
    if bonus < 0:
        raise DomainError(code="invalid_amount.bonus", field="bonus")
    if order is not None and order.currency != currency:
        raise DomainError(
            code="currency_mismatch",
            field="currency",
            params={"subject": "order", "expected": order.currency, "given": currency},
        )
    if actor.kind == ActorKind.API_KEY:
        _require_within_api_limit(amount + bonus, currency)
    valid_from = valid_from or timezone.localdate()
    if expires_at is not None and expires_at <= valid_from:
        raise DomainError(code="invalid_validity", field="expires_at")
    if order is not None:
        email = email or order.email
        language = language or order.language
    voucher = None
    for _ in range(5):  # 95 random bits: a collision is not expected, but is survivable
        try:
            with transaction.atomic():
                voucher = Voucher.objects.create(
                    code=generate_code(),
                    currency=currency,
                    amount=amount,
                    bonus=bonus,
                    balance=Decimal("0"),
                    description=description,
                    valid_from=valid_from,
                    expires_at=expires_at,
                    order=order,
                    email=email,
                    language=language,
                )
            break
        except IntegrityError:
            continue
    if voucher is None:
        raise RuntimeError("Could not draw a unique voucher code.")
    entry = _append_entry(
        voucher=voucher,
        kind=VoucherEntryKind.ISSUE,
        amount=amount + bonus,
        actor=actor,
        reference=reference,
    )
    total = amount_string(voucher.balance, currency)
    events.record(
        "voucher.issued",
        actor=actor,
        subject=voucher,
        order_number=_order_number(voucher),
        data={
            "amount": amount_string(amount, currency),
            "bonus": amount_string(bonus, currency),
            "currency": currency,
            "entry": entry.pk,
            "expires_at": expires_at,
        },
        payload={
            "code": format_code(voucher.code),
            "amount": total,
            "currency": currency,
            "valid_from": voucher.valid_from.isoformat(),
            "expires_at": expires_at.isoformat() if expires_at else None,
            "email": email,
            "language": language,
            "order_number": _order_number(voucher),
        },
    )
    return voucher


def _require_usable(voucher: Voucher, *, today: date) -> None:
    if voucher.status == VoucherStatus.VOID:
        raise DomainError(code="voucher_void")
    if voucher.status == VoucherStatus.EXPIRED or (
        voucher.expires_at is not None and today >= voucher.expires_at
    ):
        raise DomainError(code="voucher_expired", params={"date": voucher.expires_at})
    if today < voucher.valid_from:
        raise DomainError(code="voucher_not_yet_valid", params={"date": voucher.valid_from})


@transaction.atomic
def voucher_redeem(
    *,
    voucher: Voucher,
    amount: Decimal,
    actor: Actor,
    currency: str | None = None,
    reference: str = "",
    idempotency_key: str = "",
) -> tuple[Voucher, VoucherEntry]:
    """Take ``amount`` off the voucher; a retried call with the same key is applied once."""
    voucher = _locked(voucher)
    if idempotency_key:
        earlier = voucher.entries.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            if earlier.kind != VoucherEntryKind.REDEEM or -earlier.amount != amount:
                raise DomainError(code="idempotency_key_reused.voucher")
            return voucher, earlier
    if currency is not None and currency != voucher.currency:
        raise DomainError(
            code="currency_mismatch",
            field="currency",
            params={"subject": "voucher", "expected": voucher.currency, "given": currency},
        )
    require_positive_amount(amount, voucher.currency)
    _require_usable(voucher, today=timezone.localdate())
    if amount > voucher.balance:
        raise DomainError(
            code="insufficient_balance",
            field="amount",
            balance=amount_string(voucher.balance, voucher.currency),
            params={
                "balance": amount_string(voucher.balance, voucher.currency),
                "currency": voucher.currency,
            },
        )
    entry = _append_entry(
        voucher=voucher,
        kind=VoucherEntryKind.REDEEM,
        amount=-amount,
        actor=actor,
        reference=reference,
        idempotency_key=idempotency_key,
    )
    events.record(
        "voucher.redeemed",
        actor=actor,
        subject=voucher,
        order_number=_order_number(voucher),
        data={
            "amount": amount_string(amount, voucher.currency),
            "currency": voucher.currency,
            "balance": amount_string(voucher.balance, voucher.currency),
            "reference": reference,
            "entry": entry.pk,
        },
    )
    return voucher, entry


@transaction.atomic
def voucher_reverse(
    *, voucher: Voucher, entry_id: int, actor: Actor, reference: str = ""
) -> tuple[Voucher, VoucherEntry]:
    """Give a redemption back to the voucher (once)."""
    voucher = _locked(voucher)
    redemption = voucher.entries.filter(pk=entry_id, kind=VoucherEntryKind.REDEEM).first()
    if redemption is None:
        raise NotFoundError(code="unknown_entry", params={"entry_id": entry_id})
    if redemption.reversals.exists():
        raise ConflictError(code="already_reversed")
    if voucher.status != VoucherStatus.ACTIVE:
        raise ConflictError(code="voucher_not_active", params={"status": voucher.status})
    entry = _append_entry(
        voucher=voucher,
        kind=VoucherEntryKind.REVERSE,
        amount=-redemption.amount,
        actor=actor,
        reference=reference or redemption.reference,
        reverses=redemption,
    )
    events.record(
        "voucher.redemption_reversed",
        actor=actor,
        subject=voucher,
        order_number=_order_number(voucher),
        data={
            "amount": amount_string(entry.amount, voucher.currency),
            "reverses": redemption.pk,
            "entry": entry.pk,
            "balance": amount_string(voucher.balance, voucher.currency),
        },
    )
    return voucher, entry


def _close(*, voucher: Voucher, to: str, kind: str, actor: Actor, reference: str) -> Voucher:
    entry = None
    if voucher.balance > 0:
        entry = _append_entry(
            voucher=voucher, kind=kind, amount=-voucher.balance, actor=actor, reference=reference
        )
    voucher_transition(voucher=voucher, to=to)
    events.record(
        f"voucher.{to}",
        actor=actor,
        subject=voucher,
        order_number=_order_number(voucher),
        data={
            "written_off": amount_string(
                -entry.amount if entry else Decimal("0"), voucher.currency
            ),
            "currency": voucher.currency,
            "entry": entry.pk if entry else None,
            "reference": reference,
        },
    )
    return voucher


@transaction.atomic
def voucher_void(*, voucher: Voucher, actor: Actor, reason: str = "") -> Voucher:
    """Void a voucher: its balance goes to zero through an ``adjust`` entry."""
    voucher = _locked(voucher)
    if voucher.status != VoucherStatus.ACTIVE:
        raise ConflictError(code="voucher_not_active", params={"status": voucher.status})
    return _close(
        voucher=voucher,
        to=VoucherStatus.VOID,
        kind=VoucherEntryKind.ADJUST,
        actor=actor,
        reference=reason,
    )


@transaction.atomic
def voucher_expire(*, voucher: Voucher, actor: Actor = SYSTEM) -> bool:
    """Expire a past-due voucher; False when it is no longer due (someone got there first)."""
    voucher = _locked(voucher)
    today = timezone.localdate()
    if voucher.status != VoucherStatus.ACTIVE or not (
        voucher.expires_at is not None and voucher.expires_at <= today
    ):
        return False
    _close(
        voucher=voucher,
        to=VoucherStatus.EXPIRED,
        kind=VoucherEntryKind.EXPIRE,
        actor=actor,
        reference=f"expired on {voucher.expires_at.isoformat()}",
    )
    return True


def vouchers_expire_due(*, actor: Actor = SYSTEM) -> int:
    """Expire every past-due active voucher of the current tenant, one transaction each."""
    due = vouchers_due_to_expire(Voucher.objects.all(), today=timezone.localdate()).values_list(
        "pk", flat=True
    )
    return sum(voucher_expire(voucher=Voucher(pk=pk), actor=actor) for pk in list(due))
