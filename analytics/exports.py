"""CSV for spreadsheet programs: UTF-8 with a byte-order mark, decimals as the reader's
language writes them.

With a decimal comma the fields are separated by semicolons (what spreadsheet programs
set to such a language expect); with a decimal point, by commas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

BOM = "\ufeff"
DECIMAL_POINT = "."
DECIMAL_COMMA = ","
SEPARATORS = (DECIMAL_POINT, DECIMAL_COMMA)
# The languages that write 0,25 rather than 0.25.
COMMA_LANGUAGES = frozenset({"nl", "de", "pl", "sv"})


def default_separator(language: str) -> str:
    return DECIMAL_COMMA if language in COMMA_LANGUAGES else DECIMAL_POINT


def cell(value, decimal_separator: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.replace(".", decimal_separator) if decimal_separator != "." else text
    return str(value)


def csv_text(
    header: Sequence[str], rows: Iterable[Sequence], *, decimal_separator: str = DECIMAL_POINT
) -> str:
    buffer = io.StringIO()
    delimiter = ";" if decimal_separator == DECIMAL_COMMA else ","
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value, decimal_separator) for value in row])
    return BOM + buffer.getvalue()
