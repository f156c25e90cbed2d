"""Summary rows derived per request: repeat returners, feedback and reasons' comments.

Written by ``analytics.aggregation.analytics_days_refresh`` for the requests made on the
days it rewrites (their lines and their answers, one query each), so
the analytics page reads these figures from a few rows of the period instead of joining
requests, lines, orders and answers.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F

from analytics.models import FeedbackEntry, ReasonComment, ReturnerDay, Scope
from returns.models import Feedback, ReturnLine


def product_scopes(products: list[tuple[str, str]]) -> Iterator[tuple[str, str, str]]:
    """(scope, category, sku) of the rows of a request whose lines hold ``products``
    ((category, SKU) pairs): one per distinct value, so each filter counts it once."""
    yield Scope.ALL, "", ""
    for category in sorted({category for category, _ in products}):
        yield Scope.CATEGORY, category, ""
    for sku in sorted({sku for _, sku in products}):
        yield Scope.SKU, "", sku
    for category, sku in sorted(set(products)):
        yield Scope.PAIR, category, sku


def request_rows(requests: list[dict]) -> dict[type, list]:
    """The rows of ``requests`` (dicts with id, day, created_at, email, channel_code,
    country and case_type): the requests of the days being rewritten that count."""
    if not requests:
        return {ReturnerDay: [], FeedbackEntry: [], ReasonComment: []}
    by_id = {row["id"]: row for row in requests}
    products: dict[int, list[tuple[str, str]]] = {pk: [] for pk in by_id}
    units: dict[int, int] = dict.fromkeys(by_id, 0)
    comments = []
    lines = ReturnLine.objects.filter(request_id__in=list(by_id)).values(
        "id",
        "request_id",
        "quantity",
        "comment",
        "reason__code",
        "sku",  # the return line's own: what was returned
        category=F("order_line__category"),
    )
    for line in lines.order_by():
        request = by_id[line["request_id"]]
        products[request["id"]].append((line["category"], line["sku"]))
        units[request["id"]] += line["quantity"] or 0
        if line["comment"] and line["reason__code"] is not None:
            comments.append(
                ReasonComment(
                    **_dimensions(request),
                    category=line["category"],
                    sku=line["sku"],
                    reason=line["reason__code"],
                    line_id=line["id"],
                    requested_at=request["created_at"],
                )
            )
    returners: dict[tuple, list[int]] = {}
    for request in requests:
        for scope in product_scopes(products[request["id"]]):
            key = (*_dimensions(request).values(), *scope, request["email"])
            figures = returners.setdefault(key, [0, 0])
            figures[0] += 1
            figures[1] += units[request["id"]]
    answers = Feedback.objects.filter(request_id__in=list(by_id)).values(
        "id", "request_id", "rating", "comment", "updated_at"
    )
    entries = []
    for answer in answers.order_by():
        request = by_id[answer["request_id"]]
        for scope, category, sku in product_scopes(products[request["id"]]):
            entries.append(
                FeedbackEntry(
                    **_dimensions(request),
                    scope=scope,
                    category=category,
                    sku=sku,
                    feedback_id=answer["id"],
                    rating=answer["rating"],
                    has_comment=answer["comment"] != "",
                    updated_at=answer["updated_at"],
                )
            )
    return {
        ReturnerDay: [
            ReturnerDay(
                day=day,
                channel=channel,
                country=country,
                case_type=case_type,
                scope=scope,
                category=category,
                sku=sku,
                email=email,
                returns=returns,
                units=units_returned,
            )
            for (
                day,
                channel,
                country,
                case_type,
                scope,
                category,
                sku,
                email,
            ), (returns, units_returned) in returners.items()
        ],
        FeedbackEntry: entries,
        ReasonComment: comments,
    }


def _dimensions(request: dict) -> dict:
    return {
        "day": request["day"],
        "channel": request["channel_code"],
        "country": request["country"],
        "case_type": request["case_type"],
    }
