"""Validating large, valid request bodies without DRF's per-field dispatch.

A bulk upsert validates 500 orders of 3 lines: about 25,000 fields, and DRF spends more
on dispatching each one (``get_value``, ``validate_empty_values``, ``run_validation``,
``run_validators``, error collection) than on the conversions themselves. ``validator``
builds, once per serializer, a plain function that walks the same declared fields and
calls the same field instances' ``to_internal_value``, validators and defaults, and the
serializers' own ``validate`` methods (so every rule, such as an amount's precision, is
the serializer's), and gives the same validated data.

It only ever answers for input that is valid: at the first value it does not accept
(a missing required field, an unknown field, a null, a wrong type, a failing validator,
anything unusual) it gives up and returns ``None``, and the caller validates with the
serializer as before, which produces the errors (same codes, fields and messages,
because they come from the serializer itself). A serializer using a feature this module
does not mirror (``validate_<field>`` methods, serializer-level validators, other
``run_validation`` or ``to_internal_value`` overrides, dotted sources, validators
needing context) gets no fast path at all: ``validator`` returns ``None`` for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import fields, serializers
from rest_framework.fields import empty

Validate = Callable[[Any], Any]


class _GiveUp(Exception):
    """The fast path does not answer for this input: the serializer must."""


class Unsupported(Exception):
    """The serializer uses something the fast path does not mirror."""


def validator(serializer: serializers.Serializer) -> Callable[[Any], Any | None]:
    """A function giving ``serializer``'s validated data for valid input, else ``None``.

    ``serializer`` is a bound instance (its nested fields bound); it must not change
    afterwards. Returns a function that always gives ``None`` when the serializer uses
    something not mirrored here.
    """
    try:
        run = _serializer(serializer)
    except Unsupported:
        return lambda data: None

    def validate(data: Any) -> Any | None:
        try:
            return run(data)
        except Exception:  # noqa: BLE001 - any doubt: the serializer decides, and explains
            return None

    return validate


def _field(field: fields.Field) -> Validate:
    if isinstance(field, serializers.ListSerializer):
        run = _list(field)
    elif isinstance(field, serializers.Serializer):
        run = _serializer(field)
    elif isinstance(field, serializers.BaseSerializer):
        raise Unsupported(f"{type(field).__name__}")
    else:
        run = _leaf(field)
    allow_null = field.allow_null

    def validate(value: Any) -> Any:
        if value is None:
            if allow_null:
                return None
            raise _GiveUp
        return run(value)

    return validate


def _leaf(field: fields.Field) -> Validate:
    kind = type(field)
    if kind.run_validation not in (fields.Field.run_validation, fields.CharField.run_validation):
        raise Unsupported(f"{kind.__name__}.run_validation")
    # DecimalField's only differs for a field allowing null (a blank string is null).
    if kind.validate_empty_values is not fields.Field.validate_empty_values and not (
        kind.validate_empty_values is fields.DecimalField.validate_empty_values
        and not field.allow_null
    ):
        raise Unsupported(f"{kind.__name__}.validate_empty_values")
    validators = list(field.validators)
    if any(getattr(check, "requires_context", False) for check in validators):
        raise Unsupported(f"{kind.__name__}: a validator needs context")
    to_internal_value = field.to_internal_value
    if isinstance(field, fields.CharField):
        allow_blank, trim = field.allow_blank, field.trim_whitespace

        def char(value: Any) -> Any:
            if type(value) is not str:
                raise _GiveUp  # StrictSerializer refuses text that is not a JSON string
            # CharField.run_validation: blank (or only spaces) is "" or an error, unchecked.
            if value == "" or (trim and str(value).strip() == ""):
                if allow_blank:
                    return ""
                raise _GiveUp
            value = to_internal_value(value)
            for check in validators:
                check(value)
            return value

        return char

    boolean = isinstance(field, fields.BooleanField)

    def leaf(value: Any) -> Any:
        if boolean and type(value) is not bool:
            raise _GiveUp  # StrictSerializer refuses yes/no that is not a JSON boolean
        value = to_internal_value(value)
        for check in validators:
            check(value)
        return value

    return leaf


def _list(field: serializers.ListSerializer) -> Validate:
    kind = type(field)
    for name in ("run_validation", "to_internal_value", "validate", "run_child_validation"):
        if getattr(kind, name) is not getattr(serializers.ListSerializer, name):
            raise Unsupported(f"{kind.__name__}.{name}")
    if field.validators:
        raise Unsupported(f"{kind.__name__}: list validators")
    child = _field(field.child)
    allow_empty, max_length, min_length = field.allow_empty, field.max_length, field.min_length

    def validate(value: Any) -> list:
        if type(value) is not list:
            raise _GiveUp
        size = len(value)
        if (
            (not allow_empty and size == 0)
            or (max_length is not None and size > max_length)
            or (min_length is not None and size < min_length)
        ):
            raise _GiveUp
        return [child(item) for item in value]

    return validate


def _serializer(serializer: serializers.Serializer) -> Validate:
    from returns_platform.api import StrictSerializer

    kind = type(serializer)
    if not isinstance(serializer, StrictSerializer):
        raise Unsupported(f"{kind.__name__} is not a StrictSerializer")
    for name in ("run_validation", "to_internal_value", "run_validators", "get_value"):
        if getattr(kind, name) is not getattr(StrictSerializer, name):
            raise Unsupported(f"{kind.__name__}.{name}")
    if serializer.validators:
        raise Unsupported(f"{kind.__name__}: serializer validators")
    plan = []
    for field in serializer._writable_fields:
        name = field.field_name
        if getattr(serializer, f"validate_{name}", None) is not None:
            raise Unsupported(f"{kind.__name__}.validate_{name}")
        if field.source_attrs != [name]:
            raise Unsupported(f"{kind.__name__}.{name}: source {field.source}")
        plan.append((name, _field(field), field.required, field.default is not empty, field))
    names = frozenset(name for name, *_ in plan)
    normalize = serializer.normalize_input
    validate_attrs = serializer.validate

    def validate(data: Any) -> dict:
        if type(data) is not dict or not names.issuperset(data):
            raise _GiveUp
        data = normalize(data)
        values: dict = {}
        for name, run, required, has_default, field in plan:
            value = data.get(name, empty)
            if value is empty:
                if required:
                    raise _GiveUp
                if has_default:
                    values[name] = field.get_default()
                continue
            values[name] = run(value)
        values = validate_attrs(values)
        if values is None:
            raise _GiveUp
        return values

    return validate
