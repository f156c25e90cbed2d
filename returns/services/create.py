"""Creating a request: validate the lines, judge by the shop's rules, number, store, announce."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from orders.models import Order, OrderLine
from returns import rules
from returns.attachments import CheckedUpload, attachments_check
from returns.exchange import replacement_choose
from returns.keep_item import keep_item_applies
from returns.models import Attachment, ReturnLine, ReturnReason, ReturnRequest
from returns.predicates import case_needs_parcel, case_needs_photo, order_accepts_returns
from returns.preview import returns_every_unit
from returns.selectors import recent_request_count, return_policy_get, returned_quantities
from returns.services.common import attachment_store, request_preview, return_is_free
from returns.statuses import (
    Resolution,
    ReturnStatus,
)
from returns.warnings import warning
from returns.workflow import (
    return_event_data,
    return_move,
)
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.money import quantize
from returns_platform.numbering import counter_next

METHOD_NOT_OFFERED = "Return method {method!r} is not offered for {country}."
RESOLUTION_NOT_OFFERED = "{resolution!r} is not offered by this shop."

REPEAT_WINDOW_DAYS = 90


def staff_warnings(
    *,
    case_type: str,
    resolution: str,
    is_free_return: bool,
    window: rules.Verdict,
    subtotal: Decimal,
    currency: str,
    policy: dict,
    earlier_requests: int,
    email: str,
) -> list[dict]:
    """The warnings staff see on a request (pure; the counts come from the caller)."""
    warnings = []
    if resolution == Resolution.EXCHANGE and is_free_return:
        warnings.append(warning("free_exchange"))
    if window.outcome == rules.REVIEW:
        no_date = window.message == "no_delivery_date"
        warnings.append(warning("no_delivery_date" if no_date else "outside_window"))
    threshold = Decimal(policy["high_value_threshold"])
    if subtotal > threshold:
        warnings.append(
            warning("high_value", value=subtotal, currency=currency, threshold=threshold)
        )
    repeat_threshold = int(policy["repeat_returner_threshold"])
    if repeat_threshold and earlier_requests + 1 >= repeat_threshold:
        warnings.append(warning("repeat_returner", count=earlier_requests + 1, email=email))
    return warnings


def _line_id(value: Any) -> Any:
    return value.pk if isinstance(value, OrderLine) else value


def _validate_lines(
    *, order: Order, lines: Sequence[dict], order_lines: dict[int, OrderLine]
) -> tuple[list[rules.RequestedLine], list[ReturnReason]]:
    if not lines:
        raise DomainError(code="no_lines", field="lines")
    codes = {str(line.get("reason_code") or "") for line in lines}
    reasons = {r.code: r for r in ReturnReason.objects.filter(active=True, code__in=codes)}
    requested, chosen, seen = [], [], set()
    for index, line in enumerate(lines):
        line_id = _line_id(line["order_line"])
        order_line = order_lines.get(line_id) if isinstance(line_id, int) else None
        if order_line is None:
            raise DomainError(
                code="line_not_in_order",
                field=f"lines[{index}].order_line",
                line=index,
                params={"index": index, "line": line_id, "number": order.number},
            )
        if line_id in seen:
            raise DomainError(
                code="duplicate_line",
                field=f"lines[{index}].order_line",
                line=index,
                params={"index": index, "line": line_id},
            )
        seen.add(line_id)
        reason = reasons.get(line.get("reason_code"))
        if reason is None:
            raise DomainError(
                code="unknown_reason",
                field=f"lines[{index}].reason",
                line=index,
                params={"index": index, "reason": line.get("reason_code")},
            )
        requested.append(rules.RequestedLine(order_line, int(line["quantity"])))
        chosen.append(reason)
    return requested, chosen


def _raise_for_verdicts(
    verdicts: Sequence[rules.Verdict],
    *,
    requested: Sequence[rules.RequestedLine],
    already: dict,
    method: str,
    resolution: str,
    country: str,
) -> None:
    """The first problem as a domain error with a stable code (order of the checks below)."""
    for verdict in verdicts:
        if verdict.rule == rules.RULE_QUANTITY and verdict.outcome == rules.BLOCKED:
            line = requested[verdict.line]
            raise DomainError(
                code="quantity_exceeds_remaining",
                field=f"lines[{verdict.line}].quantity",
                line=verdict.line,
                params={
                    "index": verdict.line,
                    "quantity": line.quantity,
                    "left": rules.quantity_left(line.order_line, already),
                },
            )
    for verdict in verdicts:
        if verdict.outcome != rules.BLOCKED:
            continue
        if verdict.rule == rules.RULE_WINDOW:  # only a business customer's return
            raise DomainError(
                code="business_no_withdrawal",
                params={"reason": verdict.reason},
                field="case_type",
                reason=verdict.reason,
                rule=verdict.rule,
            )
        if verdict.rule == rules.RULE_METHOD:
            raise DomainError(
                code="method_not_offered",
                field="method",
                params={"method": method, "country": country},
            )
        if verdict.rule == rules.RULE_RESOLUTION:
            raise DomainError(
                code="resolution_not_offered", field="resolution", params={"resolution": resolution}
            )
    for verdict in verdicts:
        if verdict.outcome != rules.BLOCKED:
            continue
        if verdict.line is not None:
            raise DomainError(
                code="line_blocked",
                field=f"lines[{verdict.line}]",
                line=verdict.line,
                reason=verdict.reason,
                rule=verdict.rule,
                params={"index": verdict.line, "reason": verdict.reason},
            )
        raise DomainError(
            code="country_blocked",
            field="order",
            reason=verdict.reason,
            rule=verdict.rule,
            params={"reason": verdict.reason},
        )


def _require_photos(uploads: Sequence[CheckedUpload], *, line_count: int) -> None:
    """Every line shows the problem: a photo of its own, or one for the whole request."""
    photos = [upload for upload in uploads if upload.content_type.startswith("image/")]
    if any(photo.line_index is None for photo in photos):
        return
    shown = {photo.line_index for photo in photos}
    for index in range(line_count):
        if index not in shown:
            raise DomainError(code="photo_required", field="attachments", params={"index": index})


def _store_attachments(
    *, return_request: ReturnRequest, uploads: Sequence[CheckedUpload], lines: list[ReturnLine]
) -> list[Attachment]:
    return [
        attachment_store(
            return_request=return_request,
            upload=upload,
            line=lines[upload.line_index] if upload.line_index is not None else None,
        )
        for upload in uploads
    ]


@transaction.atomic
def return_request_create(
    *,
    order: Order,
    case_type: str,
    resolution: str,
    method: str,
    lines: Sequence[dict],
    actor: Actor,
    language: str | None = None,
    attachments: list[dict] | None = None,
    today: date | None = None,
    keep_item: bool | None = None,
) -> ReturnRequest:
    """Judge, number, store and announce a new request; auto-approve when the shop allows.

    ``keep_item`` is the customer's answer to the keep-the-item offer (``returns.keep_item``):
    ``True`` takes it (422 ``keep_item_not_offered`` when the request does not qualify),
    ``False`` declines it (a normal return), ``None`` (not asked) takes it when offered.

    ``lines``: ``[{"order_line": id or OrderLine, "quantity", "reason_code", "comment"}]``.
    All lines of the order are locked (pk order) before the already-returned quantities
    are read, so two requests for the last unit are serialised and the second is refused.
    """
    if not order_accepts_returns(order):
        raise DomainError(code="order_cancelled", field="order", params={"number": order.number})
    policy_object = return_policy_get()
    policy = policy_object.snapshot()
    parcel = case_needs_parcel(case_type)
    if not parcel:  # nothing travels: the domain records the method, the caller picks none
        method = rules.no_parcel_method(policy, order.shipping_country)
    elif not method:
        raise DomainError(code="method_required", field="method")
    order_lines = {
        line.pk: line
        for line in OrderLine.objects.select_for_update().filter(order=order).order_by("pk")
    }
    requested, reasons = _validate_lines(order=order, lines=lines, order_lines=order_lines)
    replacements = [
        replacement_choose(
            order_line=line.order_line,
            exchange_sku=str(data.get("exchange_sku") or ""),
            resolution=resolution,
            index=index,
        )
        for index, (line, data) in enumerate(zip(requested, lines, strict=True))
    ]
    uploads = attachments_check(attachments)
    for upload in uploads:
        if upload.line_index is not None and not 0 <= upload.line_index < len(requested):
            raise DomainError(
                code="invalid_attachment.line",
                field="attachments",
                params={"name": upload.name, "index": upload.line_index},
            )
    if case_needs_photo(case_type):
        _require_photos(uploads, line_count=len(requested))
    already = returned_quantities(order_line_ids=order_lines)
    country = order.shipping_country
    verdicts = rules.evaluate(
        order=order,
        lines=requested,
        case_type=case_type,
        policy=policy,
        already_returned=already,
        country=country,
        method=method,
        resolution=resolution,
        today=today or timezone.localdate(),
    )
    _raise_for_verdicts(
        verdicts,
        requested=requested,
        already=already,
        method=method,
        resolution=resolution,
        country=country,
    )

    is_free = return_is_free(case_type=case_type, resolution=resolution, policy=policy)
    cost = rules.method_cost(policy, method, country) if parcel else None
    return_cost = quantize(cost or Decimal("0"), order.currency)
    full_withdrawal = returns_every_unit(
        ordered={pk: line.quantity for pk, line in order_lines.items()},
        already_returned=already,
        requested={line.order_line.pk: line.quantity for line in requested},
    )
    preview = request_preview(
        order=order,
        lines=[(line.order_line, line.quantity) for line in requested],
        case_type=case_type,
        resolution=resolution,
        return_cost=return_cost,
        is_free_return=is_free,
        policy=policy,
        full_withdrawal=full_withdrawal,
    )
    offered = keep_item_applies(
        policy=policy,
        currency=order.currency,
        total=Decimal(preview["total"]) + Decimal(preview["return_cost"]),
        order_lines=[line.order_line for line in requested],
        case_type=case_type,
        resolution=resolution,
    )
    if keep_item and not offered:
        raise DomainError(code="keep_item_not_offered", field="keep_item")
    keep_item = offered if keep_item is None else keep_item
    if keep_item:  # nothing is shipped, so nothing is charged for shipping
        return_cost = Decimal("0")
        preview = request_preview(
            order=order,
            lines=[(line.order_line, line.quantity) for line in requested],
            case_type=case_type,
            resolution=resolution,
            return_cost=return_cost,
            is_free_return=is_free,
            policy=policy,
            full_withdrawal=full_withdrawal,
        )
    email = order.email
    warnings = staff_warnings(
        case_type=case_type,
        resolution=resolution,
        is_free_return=is_free,
        window=verdicts[0],
        subtotal=Decimal(preview["subtotal"]),
        currency=order.currency,
        policy=policy,
        earlier_requests=recent_request_count(email=email, days=REPEAT_WINDOW_DAYS),
        email=email,
    )

    channel = order.channel
    return_request = ReturnRequest.objects.create(
        rma=f"R-{counter_next(series='rma'):06d}",
        order=order,
        case_type=case_type,
        resolution=resolution,
        method=method,
        is_free_return=is_free,
        return_cost=return_cost,
        refund_total=Decimal(preview["total"]),
        refund_preview=preview,
        currency=order.currency,
        assignee=channel.consultant if channel is not None else None,
        channel=channel,
        language=language or order.language,
        email=email,
        warnings=warnings,
        verdicts=[verdict.as_dict() for verdict in verdicts],
        policy_snapshot=policy,
        status_changed_at=timezone.now(),
        keep_item=keep_item,
    )
    return_lines = ReturnLine.objects.bulk_create(
        [
            ReturnLine(
                request=return_request,
                order_line=line.order_line,
                quantity=line.quantity,
                reason=reason,
                comment=str(data.get("comment") or ""),
                sku=line.order_line.sku,
                name=line.order_line.name,
                unit_price=line.order_line.unit_price,
                tax_rate=line.order_line.tax_rate,
                exchange_sku=replacement.sku if replacement else "",
                exchange_name=replacement.name if replacement else "",
                exchange_unit_price=replacement.unit_price if replacement else None,
            )
            for line, reason, data, replacement in zip(
                requested, reasons, lines, replacements, strict=True
            )
        ]
    )
    stored = _store_attachments(return_request=return_request, uploads=uploads, lines=return_lines)
    auto_approved = policy["auto_approve"] and not warnings and rules.overall(verdicts) == rules.OK
    events.record(
        "return.requested",
        actor=actor,
        subject=return_request,
        order_number=order.number,
        data={
            "case_type": case_type,
            "resolution": resolution,
            "method": method,
            "lines": [
                {"order_line": line.order_line.pk, "quantity": line.quantity, "reason": r.code}
                for line, r in zip(requested, reasons, strict=True)
            ],
            "refund_total": preview["total"],
            "currency": order.currency,
            "warnings": [warning["code"] for warning in warnings],
            "outcome": rules.overall(verdicts),
            "attachments": len(stored),
            "assignee": return_request.assignee.email if return_request.assignee else "",
        },
        payload={
            **return_event_data(return_request, to=ReturnStatus.REQUESTED, previous=""),
            # Approved in this same transaction: the customer's mail is the approval's.
            "auto_approved": bool(auto_approved),
        },
    )
    if auto_approved:
        return_move(
            return_request=return_request,
            to=ReturnStatus.APPROVED,
            actor=Actor.system("auto_approve"),
            reason="All rules passed.",
        )
    from returns.labels import label_queue  # labels render PDFs; loaded only when needed

    label_queue(return_request=return_request)  # whatever the channel: portal, API, staff
    return return_request
