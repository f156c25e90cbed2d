"""The API's JSON parser: bounded in size and depth, so no body can cost a 500.

A body larger than ``API_MAX_BODY_BYTES`` is refused with 413 ``payload_too_large``
before it is read whole; JSON nested deeper than ``API_MAX_JSON_DEPTH`` (the deepest
document the API accepts is an order with its lines, four levels) is refused with 400
``too_deep`` instead of exhausting the parser's recursion.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from rest_framework import exceptions, parsers, status


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"
    default_detail = "The request body is too large."


class TooDeep(exceptions.ParseError):
    default_code = "too_deep"
    default_detail = "The JSON document is nested too deeply."


def json_depth_exceeds(document: Any, limit: int) -> bool:
    """True when containers nest deeper than ``limit`` (iterative: no recursion to exhaust)."""
    if not isinstance(document, dict | list):
        return False
    if limit < 1:
        return True
    # Only containers go on the stack (a bulk upsert holds tens of thousands of scalars).
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        for child in value.values() if isinstance(value, dict) else value:
            if isinstance(child, dict | list):
                if depth >= limit:
                    return True
                stack.append((child, depth + 1))
    return False


def body_too_large(content_length: str | None) -> bool:
    try:
        return int(content_length or 0) > settings.API_MAX_BODY_BYTES
    except ValueError:
        return False


class BoundedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            document = json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except RecursionError as error:
            raise TooDeep() from error
        except ValueError as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from error
        if json_depth_exceeds(document, settings.API_MAX_JSON_DEPTH):
            raise TooDeep()
        return document


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")
