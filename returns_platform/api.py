"""Shared pieces of the REST API: errors, strict serializers, the tenant base view,
cursor pagination and ``Idempotency-Key`` handling."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, QueryDict
from django.utils.http import parse_etags
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from returns_platform.errors import DomainError
from returns_platform.models import IdempotencyRecord
from returns_platform.outages import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS, is_database_outage
from returns_platform.parsers import PayloadTooLarge
from returns_platform.tenancy import get_current_tenant

logger = logging.getLogger(__name__)

INVALID_FIELDS = "The request has invalid fields."
JSON = "application/json"
_PLAIN_ACCEPT = (None, "*/*", JSON)

_DRF_CODES = {
    exceptions.ParseError: "malformed_json",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def flatten_errors(detail: Any, path: str = "") -> list[dict]:
    """DRF's nested error detail as a flat list of ``{field, code, message}``."""
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            if key == "non_field_errors":
                child = path
            elif isinstance(key, int):
                child = f"{path}[{key}]"
            elif path:
                child = f"{path}.{key}"
            else:
                child = str(key)
            errors.extend(flatten_errors(value, child))
        return errors
    if isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            return [_error(path, item) for item in detail]
        errors = []
        for index, value in enumerate(detail):
            if value:  # DRF puts {} for list items that are valid
                errors.extend(flatten_errors(value, f"{path}[{index}]"))
        return errors
    return [_error(path, detail)]


def _error(path: str, detail: Any) -> dict:
    return {
        "field": path or None,
        "code": getattr(detail, "code", None) or "invalid",
        "message": str(detail),
    }


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if is_database_outage(exc):
        # The transaction is gone with the connection: nothing of this request was kept.
        logger.warning("Database unavailable in the API: %s", exc)
        return Response(
            DATABASE_UNAVAILABLE,
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        body = {"code": "validation_error", "message": INVALID_FIELDS, "errors": errors}
        if errors:
            body["field"] = errors[0]["field"]
            body["message"] = f"{errors[0]['field'] or 'request'}: {errors[0]['message']}"
            if all(error["code"] in _RULE_CODES for error in errors):
                response.status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    elif isinstance(exc, exceptions.AuthenticationFailed):
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "invalid_api_key"
        body = {"code": code, "message": str(exc.detail)}
    else:
        code = next(
            (c for cls, c in _DRF_CODES.items() if type(exc) is cls),
            exc.default_code if isinstance(exc, exceptions.APIException) else "error",
        )
        body = {"code": code, "message": str(getattr(exc, "detail", exc))}
    response.data = body
    return response


# Codes of validation errors that no schema can state: rules across fields or items (a
# period's length, a carrier listed twice). A refusal made only of such errors is a 422
# with the validation error body, so a 400 always means the request broke its schema.
# ``duplicate``: an item listed twice (unique by a key, which JSON Schema cannot say);
# ``too_early``: a time before 1970 (api_fields.AwareDateTimeField; no bound in the schema).
_RULE_CODES: set[str] = {"duplicate", "too_early"}


def rule_codes(*codes: str) -> None:
    """Declare validation error codes that are rules across fields (answered 422)."""
    _RULE_CODES.update(codes)


def bad_request(request: Any, exception: Exception | None = None) -> Any:
    """Django's 400 (a request it refuses before any view: a disallowed ``Host`` header, a
    malformed cookie or multipart body): JSON with a ``code`` under /api/, as every other
    API answer; Django's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import bad_request as page

    if request.path_info.startswith("/api/"):
        body = {"code": "bad_request", "message": "The request could not be read."}
        return JsonResponse(body, status=status.HTTP_400_BAD_REQUEST)
    return page(request, exception)


class StrictSerializer(serializers.Serializer):
    """An input serializer that refuses fields it does not know (typos fail loudly).

    The writable fields are listed once per bound serializer, not once per item: a bulk
    upsert validates the same nested serializer for thousands of orders and lines.
    """

    @property
    def _writable_fields(self) -> list:
        found = self.__dict__.get("_writable_field_list")
        if found is None:
            found = [field for field in self.fields.values() if not field.read_only]
            self.__dict__["_writable_field_list"] = found
            self.__dict__["_writable_names"] = frozenset(field.field_name for field in found)
        return found

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            self._writable_fields  # noqa: B018 - lists the writable names once
            unknown = sorted(data.keys() - self.__dict__["_writable_names"])
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [exceptions.ErrorDetail("Unknown field.", code="unknown_field")]
                        for name in unknown
                    }
                )
            if isinstance(data, QueryDict):
                # A query parameter given empty (``?status=``) is refused, not read as absent.
                blank = sorted(
                    field.field_name
                    for field in self._writable_fields
                    if data.get(field.field_name) == "" and not getattr(field, "allow_blank", False)
                )
                if blank:
                    raise serializers.ValidationError(
                        {name: [exceptions.ErrorDetail(BLANK, code="blank")] for name in blank}
                    )
            else:
                wrong = _wrong_json_types(self._writable_fields, data)
                if wrong:
                    raise serializers.ValidationError(wrong)
            data = self.normalize_input(data)
        return super().to_internal_value(data)

    def normalize_input(self, data: dict) -> dict:
        """The input as the fields should read it (e.g. a code in upper case); override."""
        return data


_PAGE_LIMIT = re.compile(r"[1-9][0-9]{0,2}")
_PAGE_CURSOR = re.compile(r"[A-Za-z0-9+/=_-]{1,500}")


def list_filters(serializer_class: type[serializers.Serializer], query_params: Any) -> dict:
    """The validated filters of a list request (``serializer_class`` validates them).

    A page request without filters (only ``limit`` and ``cursor``, in their plain form) is
    what a polling shop system sends; its values are taken as the serializer would take
    them, without building the serializer. Anything else goes through the serializer, with
    its errors.
    """
    if query_params.keys() <= {"limit", "cursor"}:
        limit = query_params.get("limit")
        cursor = query_params.get("cursor")
        largest = serializer_class._declared_fields["limit"].max_value
        if (limit is None or (_PAGE_LIMIT.fullmatch(limit) and int(limit) <= largest)) and (
            cursor is None or _PAGE_CURSOR.fullmatch(cursor)
        ):
            values: dict[str, Any] = {}
            if cursor is not None:
                values["cursor"] = cursor
            if limit is not None:
                values["limit"] = int(limit)
            return values
    filters = serializer_class(data=query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


BLANK = "This field may not be blank."
NOT_TEXT = "Write text as a JSON string."
NOT_BOOLEAN = "Write true or false (JSON booleans)."


def _wrong_json_types(fields: list, data: dict) -> dict:
    """Text fields given anything but a string and yes/no fields given anything but a
    boolean (DRF would read ``0`` as ``"0"`` and ``"yes"`` as ``true``); null is left to
    the field's ``allow_null``."""
    wrong = {}
    for field in fields:
        value = data.get(field.field_name)
        if value is None:
            continue
        if isinstance(field, serializers.CharField) and not isinstance(value, str):
            wrong[field.field_name] = [exceptions.ErrorDetail(NOT_TEXT, code="invalid")]
        elif isinstance(field, serializers.BooleanField) and not isinstance(value, bool):
            wrong[field.field_name] = [exceptions.ErrorDetail(NOT_BOOLEAN, code="invalid")]
    return wrong


def _refusal(field: str, code: str, message: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [exceptions.ErrorDetail(message, code=code)]})


QUERY_INTEGER = re.compile(r"-?[0-9]+")
POSITION = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1  # bigint


class CursorPagination(pagination.CursorPagination):
    """``?limit=`` (1-200) and ``?cursor=`` as the schema has them: a limit out of range,
    not a whole number or given empty, and an empty cursor, are 400 (not the default)."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "limit"
    ordering = "-id"

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not QUERY_INTEGER.fullmatch(raw) or not 1 <= int(raw) <= self.max_page_size:
            raise _refusal(
                self.page_size_query_param,
                "invalid",
                f"Give a whole number from 1 to {self.max_page_size}.",
            )
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The `next` or `previous` link's cursor.",
                "schema": {"type": "string", "minLength": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def decode_cursor(self, request: Any) -> Any:
        if request.query_params.get(self.cursor_query_param) == "":
            raise _refusal(self.cursor_query_param, "blank", "This field may not be blank.")
        cursor = super().decode_cursor(request)
        # The cursor is opaque, not signed: its position is an id (the pages are ordered
        # by id) or it is as invalid as a cursor that does not decode.
        if cursor is not None and cursor.position is not None:
            position = cursor.position
            if not POSITION.fullmatch(position) or int(position) > MAX_ID:
                raise exceptions.NotFound(self.invalid_cursor_message)
        return cursor


class Page:
    """A page fetched by ``TenantAPIView.paginate_rows``."""

    def __init__(self, paginator: CursorPagination, rows: list) -> None:
        self.paginator = paginator
        self.rows = rows

    def response(self, documents: list) -> Response:
        return self.paginator.get_paginated_response(documents)


def conditional(request: Any, version: Any, build: Callable[[], Any]) -> Response:
    """Answer a GET with an ETag derived from ``version``; 304 when the client has it.

    ``version`` holds whatever the document changes with (an ``updated_at`` and the few
    joined values that are not covered by it), so a match skips building the document.
    """
    digest = hashlib.blake2b(repr(version).encode(), digest_size=12).hexdigest()
    etag = f'W/"{digest}"'
    wanted = {
        tag.removeprefix("W/") for tag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
    }
    if f'"{digest}"' in wanted or "*" in wanted:
        response = Response(status=status.HTTP_304_NOT_MODIFIED)
    else:
        response = Response(build())
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


class TenantAPIView(APIView):
    """Base of every tenant API view: authentication has put a tenant in scope.

    Views read through the scoped managers only; overriding ``get_queryset`` (the hook
    where scoping is usually forgotten) is refused when the class is defined.
    """

    # The lists a view answers are cursor-paginated; a view whose list is whole (a history,
    # a thread) sets None, and its schema documents the plain array it answers with.
    pagination_class: type[CursorPagination] | None = CursorPagination

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(f"{cls.__name__} must not override get_queryset().")

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if get_current_tenant() is None:
            raise exceptions.NotAuthenticated()

    def perform_content_negotiation(self, request: Any, force: bool = False) -> tuple:
        """DRF's negotiation, without parsing the ``Accept`` header in the plain case.

        A view that renders only JSON, asked for anything (no ``Accept``, ``*/*``) or for
        ``application/json`` without a format override, answers ``application/json``: what
        DRF's negotiation gives for these, as shop systems send them on every request.
        """
        if (
            request.META.get("HTTP_ACCEPT") in _PLAIN_ACCEPT
            and self.format_kwarg is None
            and api_settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            renderers = self.get_renderers()
            if len(renderers) == 1 and renderers[0].media_type == JSON:
                return renderers[0], JSON
        return super().perform_content_negotiation(request, force)

    @property
    def actor(self):
        from returns_platform.audit import Actor

        return Actor.api_key(self.request.auth)

    def paginate_rows(self, queryset: Any) -> Page:
        """One page of ``queryset`` (rows or instances); answer with ``page.response(docs)``."""
        paginator = CursorPagination()
        return Page(paginator, paginator.paginate_queryset(queryset, self.request, view=self))

    def paginate(self, queryset: Any, serializer_class: type, **context: Any) -> Response:
        paginator = CursorPagination()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        data = serializer_class(page, many=True, context={"request": self.request, **context})
        return paginator.get_paginated_response(data.data)


def _request_hash(request: Any) -> str:
    canonical = json.dumps(request.data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(f"{request.method} {request.path}\n{canonical}".encode()).hexdigest()


def idempotent(view_method: Callable) -> Callable:
    """Honour ``Idempotency-Key`` on a POST: the first successful answer is replayed.

    The request's work and the stored answer commit together. A concurrent twin blocks
    on the unique key until the first commits, rolls back its own work and replays.
    """

    @functools.wraps(view_method)
    def wrapper(self: APIView, request: Any, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return view_method(self, request, *args, **kwargs)
        if len(key) > 255:
            raise exceptions.ValidationError(
                {
                    "Idempotency-Key": [
                        exceptions.ErrorDetail("At most 255 characters.", code="max_length")
                    ]
                }
            )
        request_hash = _request_hash(request)
        replay = _replay(key, request_hash)
        if replay is not None:
            return replay
        try:
            with transaction.atomic():
                response = view_method(self, request, *args, **kwargs)
                if response.status_code < 300:
                    IdempotencyRecord.objects.create(
                        key=key,
                        method=request.method,
                        path=request.path[:500],
                        request_hash=request_hash,
                        status_code=response.status_code,
                        response_body=json.loads(json.dumps(response.data, default=str)),
                    )
        except IntegrityError:
            replay = _replay(key, request_hash)
            if replay is None:
                raise
            return replay
        return response

    return wrapper


def _replay(key: str, request_hash: str) -> Response | None:
    record = IdempotencyRecord.objects.filter(key=key).first()
    if record is None:
        return None
    if record.request_hash != request_hash:
        raise DomainError(
            code="idempotency_key_reused", status=status.HTTP_422_UNPROCESSABLE_ENTITY
        )
    return Response(
        record.response_body, status=record.status_code, headers={"Idempotent-Replayed": "true"}
    )
