"""The API's renderer writes exactly the bytes DRF's JSONRenderer writes, for any document."""

from __future__ import annotations

import datetime
import struct
import uuid
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer

from returns_platform.renderers import FastJSONRenderer

_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(["\u2028", "\u2029", "\x00", "\x1f", '"', "\\", "/", "<", "é", "😀"]),
        st.sampled_from(["e", "-", ":", "0", ".", ",", "["]),
    ),
    max_size=20,
)
_FLOATS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e-7, -1e-5, 0.00001, 1e-4, 1e16, 1e-320, 0.1, -0.0, 123.456]),
    st.integers(min_value=0, max_value=2**64 - 1)
    .map(lambda bits: struct.unpack("d", struct.pack("Q", bits))[0])
    .filter(lambda value: value == value and abs(value) != float("inf")),
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),  # beyond 64 bits too
    _FLOATS,
    _TEXT,
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.datetimes(timezones=st.one_of(st.none(), st.timezones())),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.uuids(),
    st.builds(lambda: gettext_lazy("Order")),
)
_KEYS = st.one_of(_TEXT, st.integers(min_value=-5, max_value=5))
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(_KEYS, children, max_size=4),
        st.lists(children, max_size=3).map(tuple),
        st.frozensets(st.integers(), max_size=3),
    ),
    max_leaves=25,
)


def _both(document, media_type="application/json", context=None):
    answers = []
    for renderer in (JSONRenderer(), FastJSONRenderer()):
        try:
            answers.append(renderer.render(document, media_type, context or {}))
        except Exception as error:  # noqa: BLE001 - the same failure on both sides is the answer
            answers.append(type(error))
    return answers


@settings(max_examples=600, deadline=None)
@given(_DOCUMENTS)
def test_the_same_bytes_as_drf_for_any_document(document):
    drf, fast = _both(document)
    assert fast == drf


@pytest.mark.parametrize(
    "document",
    [
        {"amount": Decimal("12.50"), "at": datetime.datetime(2026, 11, 30, 7, 5, 1, 123456)},
        {"small": 1e-7, "also": [0.00001, -2.5e-9], "name": "x"},
        {"text": "line\u2028break\u2029end", "id": uuid.UUID(int=7)},
        {1: "integer key", "big": 2**70},
        [],
        "plain",
        0.00001,
    ],
)
def test_the_awkward_cases_match(document):
    drf, fast = _both(document)
    assert fast == drf


def test_an_indented_answer_is_drfs():
    document = {"a": [1, 2], "b": {"c": "d"}}
    drf, fast = _both(document, "application/json; indent=2", {"indent": 2})
    assert fast == drf
    assert b"\n  " in fast


def test_nothing_renders_as_empty_bytes():
    assert FastJSONRenderer().render(None) == b""


def test_the_api_uses_it():
    from rest_framework.settings import api_settings

    (renderer,) = api_settings.DEFAULT_RENDERER_CLASSES
    assert renderer is FastJSONRenderer
