"""``json_column`` reads a JSON column's text to the value Python's ``json`` reads."""

import json
import math

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from returns_platform.db import json_column

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()  # beyond 64 bits too
    | st.floats(allow_nan=False)  # infinities are written as Infinity, which json reads
    | st.text()
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
# What PostgreSQL's jsonb stores: finite numbers, text without NUL or lone surrogates.
STORABLE_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))
STORABLE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | STORABLE_TEXT,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(STORABLE_TEXT.filter(lambda key: len(key) <= 8), children, max_size=4)
    ),
    max_leaves=20,
)


def same(a, b) -> bool:
    """Equal, and of the same types all the way down (1 is not 1.0, -0.0 is not 0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        both_nan = math.isnan(a) and math.isnan(b)
        return both_nan or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


@settings(max_examples=400)
@given(VALUES, st.booleans())
def test_any_json_text_reads_as_json_reads_it(value, ascii_only):
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert same(json_column(text), json.loads(text))


@pytest.mark.parametrize(
    "text",
    [
        "18446744073709551616",  # orjson would read these as floats
        "-9223372036854775809",
        '{"total": 123456789012345678901234567890}',
        "[1e400, -1e400]",  # beyond a float: infinities, as json reads them
        "NaN",
        '"\\ud800"',  # a lone surrogate
        '{"a": 1, "a": 2}',
        "0.30000000000000004",
        "-0.0",
    ],
)
def test_texts_orjson_reads_otherwise_or_refuses(text):
    assert same(json_column(text), json.loads(text))


def test_values_that_are_not_text_pass_through_and_bytes_are_read():
    decoded = {"a": [1, 2]}
    assert json_column(decoded) is decoded
    assert json_column(None) is None
    assert json_column(b'{"a": [1, 2]}') == decoded


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(STORABLE)
def test_the_databases_own_json_text_reads_as_json_reads_it(value):
    """The text the database gives back for a stored value (PostgreSQL's jsonb writes
    numbers and spacing its own way: 1e+20 comes back as 21 digits)."""
    text = json.dumps(value)
    cast = "%s::jsonb::text" if connection.vendor == "postgresql" else "json(%s)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cast}", [text])
        stored = cursor.fetchone()[0]
    assert same(json_column(stored), json.loads(stored))
