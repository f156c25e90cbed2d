"""The returns API's read documents built as plain dicts (the hot read paths).

``ReturnSummaryOutput`` and ``ReturnOutput`` stay the declared shapes (schema, and the
reference a test compares these documents with, byte for byte). Rows come from
``returns.selectors`` (``RETURN_COLUMNS``, ``LINE_COLUMNS``); dates and amounts are written
as the serializers write them (dates by the orders documents' helper, amounts by
``returns_platform.money.amount_text`` with the request's currency).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import tzinfo
from typing import Any

from django.utils import timezone

from orders.documents import datetime_text
from returns.statuses import allowed_targets
from returns_platform.money import amount_text

RETURN_COLUMNS = (
    "id",
    "rma",
    "order__number",
    "case_type",
    "status",
    "resolution",
    "method",
    "is_free_return",
    "keep_item",
    "return_cost",
    "refund_total",
    "currency",
    "email",
    "language",
    "channel__code",
    "assignee__email",
    "held_by__email",
    "warnings",
    "created_at",
    "updated_at",
)
DETAIL_COLUMNS = (
    *RETURN_COLUMNS,
    "verdicts",
    "refund_preview",
    "policy_snapshot",
    "status_changed_at",
    "feedback__id",
    "feedback__rating",
    "feedback__comment",
    "feedback__language",
    "feedback__created_at",
    "feedback__updated_at",
)
LINE_COLUMNS = (
    "id",
    "order_line_id",
    "sku",
    "name",
    "quantity",
    "unit_price",
    "reason__code",
    "comment",
    "received_quantity",
    "condition",
    "disposition",
    "accepted_amount",
    "accepted_reason",
    "exchange_sku",
    "exchange_name",
    "exchange_unit_price",
)
ATTACHMENT_COLUMNS = ("id", "line_id", "original_name", "content_type", "size", "created_at")


def line_document(line: Mapping[str, Any], currency: str) -> dict:
    return {
        "id": line["id"],
        "order_line": line["order_line_id"],
        "sku": line["sku"],
        "name": line["name"],
        "quantity": line["quantity"],
        "unit_price": amount_text(line["unit_price"], currency),
        "reason": line["reason__code"],
        "comment": line["comment"],
        "received_quantity": line["received_quantity"],
        "condition": line["condition"],
        "disposition": line["disposition"],
        "accepted_amount": amount_text(line["accepted_amount"], currency),
        "accepted_reason": line["accepted_reason"],
        "exchange_sku": line["exchange_sku"],
        "exchange_name": line["exchange_name"],
        "exchange_unit_price": amount_text(line["exchange_unit_price"], currency),
    }


def summary_document(
    row: Mapping[str, Any], lines: Iterable[Mapping[str, Any]], zone: tzinfo | None = None
) -> dict:
    """The ``ReturnSummaryOutput`` document of a request row and its line rows.

    ``zone``: the current time zone, when a page of documents has looked it up once.
    """
    currency = row["currency"]
    zone = zone or timezone.get_current_timezone()
    return {
        "rma": row["rma"],
        "order": row["order__number"],
        "case_type": row["case_type"],
        "status": row["status"],
        "resolution": row["resolution"],
        "method": row["method"],
        "is_free_return": row["is_free_return"],
        "keep_item": row["keep_item"],
        "return_cost": amount_text(row["return_cost"], currency),
        "refund_total": amount_text(row["refund_total"], currency),
        "currency": currency,
        "email": row["email"],
        "language": row["language"],
        "channel": row["channel__code"] or "",
        "assignee": row["assignee__email"] or "",
        "held_by": row["held_by__email"] or "",
        "warnings": row["warnings"],
        "lines": [line_document(line, currency) for line in lines],
        "allowed_transitions": allowed_targets(row["status"], row["case_type"], row["keep_item"]),
        "created_at": datetime_text(row["created_at"], zone),
        "updated_at": datetime_text(row["updated_at"], zone),
    }


def return_document(
    row: Mapping[str, Any],
    lines: Iterable[Mapping[str, Any]],
    attachments: Iterable[Mapping[str, Any]],
) -> dict:
    """The ``ReturnOutput`` document: the summary plus verdicts, previews and attachments."""
    zone = timezone.get_current_timezone()
    document = summary_document(row, lines, zone)
    document.update(
        {
            "verdicts": row["verdicts"],
            "refund_preview": row["refund_preview"],
            "policy_snapshot": row["policy_snapshot"],
            "attachments": [
                {
                    "id": item["id"],
                    "line": item["line_id"],
                    "original_name": item["original_name"],
                    "content_type": item["content_type"],
                    "size": item["size"],
                    "created_at": datetime_text(item["created_at"], zone),
                }
                for item in attachments
            ],
            "status_changed_at": datetime_text(row["status_changed_at"], zone),
            "feedback": _feedback(row, zone),
            "status_url": _status_url(row),
        }
    )
    return document


def _status_url(row: Mapping[str, Any]) -> str:
    from returns.labels import status_url_for
    from returns_platform.tenancy import require_current_tenant

    # The address is signed from the shop and the RMA only: no need for the whole request.
    return status_url_for(require_current_tenant().pk, row["rma"])


def _feedback(row: Mapping[str, Any], zone: tzinfo) -> dict | None:
    if row["feedback__id"] is None:
        return None
    return {
        "rating": row["feedback__rating"],
        "comment": row["feedback__comment"],
        "language": row["feedback__language"],
        "created_at": datetime_text(row["feedback__created_at"], zone),
        "updated_at": datetime_text(row["feedback__updated_at"], zone),
    }
