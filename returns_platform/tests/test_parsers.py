"""The JSON depth check visits only containers and answers as the walk over every value did."""

from __future__ import annotations

import itertools
from typing import Any

from returns_platform.parsers import json_depth_exceeds
from testing.orders import order_payload


def _every_value_walk(document: Any, limit: int) -> bool:
    """The check as it was: every value on the stack."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


def _nested(depth: int, kind: str) -> Any:
    document: Any = "leaf"
    for level in range(depth):
        document = {"k": document, "n": level} if kind[level % len(kind)] == "d" else [1, document]
    return document


DOCUMENTS = [
    None,
    3,
    "text",
    {},
    [],
    [[], {}],
    {"a": [1, 2, {"b": []}], "c": {"d": {"e": "f"}}},
    {"orders": [order_payload("1", lines=2), order_payload("2", lines=1)]},
    *(_nested(depth, kind) for depth in range(1, 8) for kind in ("d", "l", "dl", "ld")),
]


def test_the_same_answer_as_walking_every_value():
    for document, limit in itertools.product(DOCUMENTS, range(0, 8)):
        assert json_depth_exceeds(document, limit) == _every_value_walk(document, limit), (
            document,
            limit,
        )


def test_a_bulk_body_within_the_limit():
    from django.conf import settings

    body = {"orders": [order_payload(str(k), lines=3) for k in range(500)]}
    body["orders"][0]["lines"][0]["variants"] = [{"sku": "x", "name": "x", "unit_price": "1"}]
    limit = settings.API_MAX_JSON_DEPTH
    assert not json_depth_exceeds(body, limit)
    # body > orders > order > lines > line > variants > variant: 7 levels, 9 more fit.
    body["orders"][0]["lines"][0]["variants"][0]["sku"] = _nested(limit - 7, "dl")
    assert not json_depth_exceeds(body, limit)
    body["orders"][0]["lines"][0]["variants"][0]["sku"] = _nested(limit - 6, "dl")
    assert json_depth_exceeds(body, limit)
