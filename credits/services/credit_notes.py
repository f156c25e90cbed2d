"""Credit notes: drafted, then booked once with a gapless number, then paid out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from credits.models import CreditNote, CreditNoteLine
from credits.services.common import (
    actor_key,
    actor_user_id,
    amount_string,
    require_positive_amount,
    require_storable,
)
from credits.services.refunds import refund_create, require_provider_ready
from credits.services.vouchers import voucher_issue
from credits.settings import credit_settings_get, four_eyes_required
from credits.statuses import CreditNoteStatus, PayoutMethod
from credits.workflow import credit_note_transition
from orders.models import Order, OrderLine
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.errors import ConflictError, DomainError
from returns_platform.numbering import counter_next
from returns_platform.tenancy import require_current_tenant
from tenants.models import Membership, Role


@dataclass
class Payout:
    method: str
    provider: str = ""
    payment_reference: str = ""
    gift_card_provider: str = ""
    gift_card_reference: str = ""
    iban: str = ""
    account_holder: str = ""


def document_name(credit_note: CreditNote) -> str:
    """Where the booked note's PDF is stored (relative to MEDIA_ROOT)."""
    return f"credit_notes/{credit_note.tenant_id}/{credit_note.number}.pdf"


def _payout_fields(payout: Payout) -> dict:
    """Validate a payout and return the credit note fields it sets."""
    fields = {
        "payout_method": payout.method,
        "refund_provider": "",
        "payment_reference": payout.payment_reference[:200],
        "gift_card_provider": "",
        "gift_card_reference": "",
        "bank_iban": "",
        "bank_account_holder": "",
    }
    if payout.method == PayoutMethod.ORIGINAL_PAYMENT:
        from credits.services.refunds import default_provider

        provider = payout.provider or default_provider()
        require_provider_ready(
            provider=provider,
            payment_reference=payout.payment_reference,
            field="payout.provider",
        )
        fields["refund_provider"] = provider
    elif payout.method == PayoutMethod.BANK_TRANSFER:
        try:
            iban = IBAN(payout.iban)
        except SchwiftyException as error:
            raise DomainError(
                code="invalid_iban",
                field="payout.iban",
                params={"iban": payout.iban, "problem": str(error).lower()},
            ) from error
        if not payout.account_holder.strip():
            raise DomainError(code="required.holder", field="payout.account_holder")
        fields["bank_iban"] = iban.compact
        fields["bank_account_holder"] = payout.account_holder.strip()
    elif payout.method == PayoutMethod.GIFT_CARD:
        if not (payout.gift_card_provider.strip() and payout.gift_card_reference.strip()):
            raise DomainError(code="required.gift_card", field="payout.gift_card")
        fields["gift_card_provider"] = payout.gift_card_provider.strip()
        fields["gift_card_reference"] = payout.gift_card_reference.strip()
    elif payout.method != PayoutMethod.VOUCHER:
        raise DomainError(code="invalid_payout", params={"method": payout.method})
    return fields


def _tax_part(total: Decimal, rate: Decimal, currency: str) -> Decimal:
    """The tax contained in a tax-inclusive amount."""
    from returns_platform.money import quantize

    if rate <= 0:
        return Decimal("0")
    return quantize(total * rate / (Decimal("100") + rate), currency)


def _build_lines(
    *,
    order: Order,
    amount: Decimal | None,
    tax_rate: Decimal,
    description: str,
    lines: Sequence[dict] | None,
) -> list[CreditNoteLine]:
    currency = order.currency
    if (amount is None) == (not lines):
        raise DomainError(code="amount_or_lines", field="amount")
    if amount is not None:
        require_positive_amount(amount, currency)
        return [
            CreditNoteLine(
                position=1,
                description=description or "Credit",
                quantity=1,
                unit_amount=amount,
                tax_rate=tax_rate,
                total=amount,
                tax_amount=_tax_part(amount, tax_rate, currency),
            )
        ]
    wanted = {line["order_line"] for line in lines if line.get("order_line")}
    order_lines = {line.pk: line for line in OrderLine.objects.filter(order=order, pk__in=wanted)}
    built = []
    for index, data in enumerate(lines):
        field = f"lines[{index}]"
        order_line = None
        if data.get("order_line"):
            order_line = order_lines.get(data["order_line"])
            if order_line is None:
                raise DomainError(
                    code="unknown_order_line",
                    field=f"{field}.order_line",
                    params={"line": data["order_line"], "number": order.number},
                )
        quantity = data.get("quantity") or 1
        if order_line is not None and quantity > order_line.quantity:
            raise DomainError(
                code="quantity_exceeds_order_line",
                field=f"{field}.quantity",
                params={"line": order_line.pk, "quantity": order_line.quantity},
            )
        unit = data.get("unit_amount")
        if unit is None and order_line is not None:
            unit = order_line.unit_price
        if unit is None:
            raise DomainError(code="required.unit_amount", field=f"{field}.unit_amount")
        require_positive_amount(unit, currency, field=f"{field}.unit_amount")
        rate = data.get("tax_rate")
        if rate is None:
            rate = order_line.tax_rate if order_line is not None else Decimal("0")
        text = data.get("description") or (order_line.name if order_line is not None else "")
        if not text:
            raise DomainError(code="required.description", field=f"{field}.description")
        total = unit * quantity
        built.append(
            CreditNoteLine(
                position=index + 1,
                order_line=order_line,
                description=text[:300],
                quantity=quantity,
                unit_amount=unit,
                tax_rate=rate,
                total=total,
                tax_amount=_tax_part(total, rate, currency),
            )
        )
    return built


@transaction.atomic
def credit_note_create(
    *,
    order: Order,
    reason: str,
    payout: Payout,
    actor: Actor,
    description: str = "",
    amount: Decimal | None = None,
    tax_rate: Decimal = Decimal("0"),
    lines: Sequence[dict] | None = None,
    return_rma: str = "",
) -> CreditNote:
    """A draft credit note for a fixed amount or for lines; it has no number yet."""
    built = _build_lines(
        order=order, amount=amount, tax_rate=tax_rate, description=description, lines=lines
    )
    return credit_note_store(
        order=order,
        reason=reason,
        payout=payout,
        actor=actor,
        description=description,
        lines=built,
        return_rma=return_rma,
    )


@transaction.atomic
def credit_note_store(
    *,
    order: Order,
    reason: str,
    payout: Payout,
    actor: Actor,
    lines: Sequence[CreditNoteLine],
    description: str = "",
    return_rma: str = "",
    voucher_bonus: Decimal | None = None,
) -> CreditNote:
    """Store a draft from lines built (and checked) by the caller; the total must be > 0.

    Callers: ``credit_note_create`` (lines from the API or a form) and the return
    resolution (lines from the inspection, which may include a negative return-cost line).
    """
    payout_fields = _payout_fields(payout)
    for index, line in enumerate(lines):
        require_storable(line.total, field=f"lines[{index}]")
    total = sum((line.total for line in lines), Decimal("0"))
    require_positive_amount(total, order.currency)
    credit_note = CreditNote.objects.create(
        order=order,
        return_rma=return_rma,
        reason=reason,
        description=description,
        currency=order.currency,
        total=total,
        tax_total=sum((line.tax_amount for line in lines), Decimal("0")),
        invoice_reference=order.invoice_number,
        voucher_bonus=voucher_bonus,
        created_by_id=actor_user_id(actor),
        created_by_actor=actor_key(actor),
        created_by_label=actor.label[:200],
        **payout_fields,
    )
    for line in lines:
        line.credit_note = credit_note
    CreditNoteLine.objects.bulk_create(lines)
    events.record(
        "credit_note.created",
        actor=actor,
        subject=credit_note,
        order_number=order.number,
        data={
            "reason": reason,
            "total": amount_string(total, credit_note.currency),
            "currency": credit_note.currency,
            "payout": payout.method,
            "return_rma": return_rma,
        },
    )
    return credit_note


def _locked(credit_note: CreditNote) -> CreditNote:
    return (
        CreditNote.objects.select_for_update(of=("self",))
        .select_related("order", "order__customer")
        .get(pk=credit_note.pk)
    )


@transaction.atomic
def credit_note_update(
    *,
    credit_note: CreditNote,
    actor: Actor,
    description: str | None = None,
    reason: str | None = None,
    payout: Payout | None = None,
) -> CreditNote:
    """Change a draft. A booked note is a tax document and is never changed."""
    credit_note = _locked(credit_note)
    if credit_note.is_booked:
        raise DomainError(
            code="credit_note_booked", status=409, params={"number": credit_note.number}
        )
    changes: dict = {}
    if description is not None:
        changes["description"] = description
    if reason is not None:
        changes["reason"] = reason
    if payout is not None:
        changes.update(_payout_fields(payout))
    for name, value in changes.items():
        setattr(credit_note, name, value)
    credit_note.save(update_fields=[*changes, "updated_at"])
    events.record(
        "credit_note.updated",
        actor=actor,
        subject=credit_note,
        order_number=credit_note.order.number,
        data={"fields": sorted(changes)},
    )
    return credit_note


@transaction.atomic
def credit_note_book(
    *, credit_note: CreditNote, actor: Actor, override_reason: str = ""
) -> CreditNote:
    """Book a draft: take the next number of the year, record it, pay it out.

    The number comes from the tenant's counter row for the year, locked until this
    transaction commits: numbers have no gaps and no duplicates. Anything that fails
    (the payout included) rolls the booking and the number back together.

    The booked notes of an order never credit more than the order's creditable total
    (its lines and delivery cost), unless a shop admin books over it with
    ``override_reason`` (recorded in the audit event). The order row is locked first, so
    two bookings for one order are judged one after the other.
    """
    order = Order.objects.select_for_update().get(pk=credit_note.order_id)
    credit_note = _locked(credit_note)
    if credit_note.is_booked:
        raise ConflictError(code="already_booked", params={"number": credit_note.number})
    settings = credit_settings_get()
    needs_second_person = four_eyes_required(
        settings, total=credit_note.total, currency=credit_note.currency
    )
    if needs_second_person and credit_note.created_by_actor == actor_key(actor):
        raise DomainError(code="four_eyes_required", status=403)
    over_cap = _over_creditable(order=order, credit_note=credit_note)
    if over_cap is not None:
        _require_admin_override(actor=actor, override_reason=override_reason, over_cap=over_cap)
    now = timezone.now()
    year = timezone.localdate(now).year
    sequence = counter_next(series=f"credit_note-{year}")
    number = f"CN-{year}-{sequence:05d}"
    credit_note_transition(
        credit_note=credit_note,
        to=CreditNoteStatus.BOOKED,
        number=number,
        booked_at=now,
        booked_by_id=actor_user_id(actor),
        booked_by_actor=actor_key(actor),
        booked_by_label=actor.label[:200],
    )
    order = credit_note.order
    payout_data = _pay_out(credit_note=credit_note, actor=actor, settings=settings)
    events.record(
        "credit_note.booked",
        actor=actor,
        subject=credit_note,
        order_number=order.number,
        data={
            "number": number,
            "total": amount_string(credit_note.total, credit_note.currency),
            "currency": credit_note.currency,
            "payout": credit_note.payout_method,
            "created_by": credit_note.created_by_label or credit_note.created_by_actor,
            "booked_by": actor.label or actor_key(actor),
            **payout_data,
            **({"over_order_total": {**over_cap, "reason": override_reason}} if over_cap else {}),
        },
        payload={
            "number": number,
            "amount": amount_string(credit_note.total, credit_note.currency),
            "currency": credit_note.currency,
            "email": order.email,
            "language": order.language,
            "order_number": order.number,
            "customer_name": (order.customer.name if order.customer_id else "")
            or order.shipping_name,
            "document_path": document_name(credit_note),
        },
    )
    from credits.tasks import render_credit_note_document

    tenant_id, credit_note_id = require_current_tenant().pk, credit_note.pk
    # robust: a broker outage is logged, not turned into a 500 for a committed booking; the
    # document is rendered on first download (API, back office, mail) when it is missing.
    transaction.on_commit(
        lambda: render_credit_note_document.delay(tenant_id, credit_note_id), robust=True
    )
    return credit_note


def _over_creditable(*, order: Order, credit_note: CreditNote) -> dict | None:
    """The figures when booking this note would credit more than the order's total."""
    booked = CreditNote.objects.filter(order_id=order.pk, status=CreditNoteStatus.BOOKED).aggregate(
        total=Sum("total")
    )["total"] or Decimal("0")
    if booked + credit_note.total <= order.total:
        return None
    return {
        "creditable": amount_string(order.total, order.currency),
        "booked": amount_string(booked, order.currency),
        "currency": order.currency,
    }


def _require_admin_override(*, actor: Actor, override_reason: str, over_cap: dict) -> None:
    if not override_reason.strip():
        raise ConflictError(code="credit_exceeds_order", **over_cap, params=over_cap)
    user_id = actor_user_id(actor)
    if user_id is None or not Membership.objects.filter(user_id=user_id, role=Role.ADMIN).exists():
        raise DomainError(code="override_not_allowed", status=403)


def _pay_out(*, credit_note: CreditNote, actor: Actor, settings) -> dict:
    method = credit_note.payout_method
    if method == PayoutMethod.VOUCHER:
        bonus = credit_note.voucher_bonus
        if bonus is None and settings.voucher_bonus_percent > 0:
            from returns_platform.money import quantize

            bonus = quantize(
                credit_note.total * settings.voucher_bonus_percent / 100, credit_note.currency
            )
        bonus = bonus or Decimal("0")
        today = timezone.localdate()
        voucher = voucher_issue(
            amount=credit_note.total,
            bonus=bonus,
            currency=credit_note.currency,
            actor=actor,
            description=f"Credit note {credit_note.number}",
            valid_from=today,
            expires_at=today + timedelta(days=settings.voucher_validity_days)
            if settings.voucher_validity_days
            else None,
            order=credit_note.order,
            reference=credit_note.number,
        )
        CreditNote.objects.filter(pk=credit_note.pk).update(voucher=voucher)
        credit_note.voucher = voucher
        return {"voucher": voucher.pk, "bonus": amount_string(bonus, credit_note.currency)}
    if method == PayoutMethod.ORIGINAL_PAYMENT:
        refund = refund_create(
            order=credit_note.order,
            amount=credit_note.total,
            actor=actor,
            provider=credit_note.refund_provider,
            payment_reference=credit_note.payment_reference,
            credit_note=credit_note,
        )
        return {"refund": refund.pk, "provider": refund.provider}
    if method == PayoutMethod.BANK_TRANSFER:
        return {"iban": credit_note.bank_iban, "account_holder": credit_note.bank_account_holder}
    return {
        "gift_card_provider": credit_note.gift_card_provider,
        "gift_card_reference": credit_note.gift_card_reference,
    }


def credit_note_document_store(*, credit_note: CreditNote) -> CreditNote:
    """Render the booked note's PDF and keep it (the note itself is not changed)."""
    from credits.documents import render_credit_note_pdf

    pdf = render_credit_note_pdf(credit_note)
    storage = credit_note.document.storage
    name = document_name(credit_note)
    if storage.exists(name):
        storage.delete(name)
    stored = storage.save(name, ContentFile(pdf))
    CreditNote.objects.filter(pk=credit_note.pk).update(document=stored)
    credit_note.document.name = stored
    return credit_note
