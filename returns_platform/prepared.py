"""Statements PostgreSQL plans once per connection (``PREPARE``), for the hot reads.

Planning a join of eight tables costs PostgreSQL more than running it (about 1.5 ms
against 0.1 ms for a return's document), and the API reads the same few statements over
and over on long-lived connections (``DATABASE_CONN_MAX_AGE``). A ``PreparedStatement``
is prepared on a connection the first time it runs there, in the same round trip as its
first ``EXECUTE``; PostgreSQL then reuses the plan (or a generic plan once it has seen
that this is as good). Prepared statements live as long as the session, whatever
happens to the transactions around them, and a changed table makes PostgreSQL plan them
again by itself.

``EXECUTE`` carries the tenant scope like any other data statement (``returns_platform.db``
prefixes it), and row-level security applies to the prepared statement as to the plain
one. On SQLite the plain statement runs. Not for a connection pooler in transaction mode,
which would hand the session's prepared statements to other clients' transactions.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import orjson
from django.db import connection

_PLACEHOLDER = re.compile(r"%s")


class PreparedStatement:
    """``sql`` (``%s`` placeholders) with the PostgreSQL types of its parameters."""

    def __init__(self, name: str, sql: str, types: Sequence[str]) -> None:
        count = len(_PLACEHOLDER.findall(sql))
        if count != len(types) or "%%" in sql:
            raise ValueError(f"{name}: {count} placeholders for {len(types)} types")
        self.sql = sql
        digest = hashlib.blake2b(sql.encode(), digest_size=5).hexdigest()
        self.name = f"{name}_{digest}"
        numbers = iter(range(1, count + 1))
        body = _PLACEHOLDER.sub(lambda _: f"${next(numbers)}", sql)
        self.execute_sql = f"EXECUTE {self.name} ({', '.join(['%s'] * count)})"
        self.prepare_sql = f"PREPARE {self.name} ({', '.join(types)}) AS {body};\n"

    def execute(self, cursor: Any, params: Sequence) -> None:
        """Run on ``cursor`` (of the default connection); read the rows from the cursor."""
        if connection.vendor != "postgresql":
            cursor.execute(self.sql, params)
            return
        raw = connection.connection
        state = connection.__dict__.get("_prepared_statements")
        if state is None or state[0] is not raw:  # a new connection: nothing prepared yet
            state = connection.__dict__["_prepared_statements"] = (raw, set(), set())
        _, prepared, doubtful = state
        if self.name in doubtful:
            # An earlier run failed with the statement perhaps prepared: drop it if it is.
            cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [self.name])
            if cursor.fetchone():
                cursor.execute(f"DEALLOCATE {self.name}")
            doubtful.discard(self.name)
        if self.name in prepared:
            try:
                cursor.execute(self.execute_sql, params)
                return
            except Exception as error:
                # A migration changed a column the plan returns ("cached plan must not
                # change result type"): plan it again, now if no transaction is broken.
                if getattr(getattr(error, "__cause__", None), "pgcode", None) != "0A000":
                    raise
                prepared.discard(self.name)
                doubtful.add(self.name)
                if connection.in_atomic_block:
                    raise
                cursor.execute(f"DEALLOCATE {self.name}")
                doubtful.discard(self.name)
        try:
            cursor.execute(self.prepare_sql + self.execute_sql, params)
        except Exception:
            doubtful.add(self.name)
            raise
        prepared.add(self.name)


_POSITION = re.compile(r"-?[0-9]{1,18}")


class PagedRows:
    """A page of rows by ``id`` for DRF's cursor pagination, through prepared statements.

    Stands in for the queryset ``fallback()`` builds (a ``values()`` queryset of the same
    rows, built only when needed) where the paginator uses it: ``order_by`` on ``id``,
    ``filter`` on ``id__lt`` or ``id__gt``, and a slice. ``sql`` holds ``{bound}`` (an ``id``
    condition or nothing) and ``{order}`` (``DESC``/``ASC``), and takes the tenant (at
    every placeholder before ``{bound}``), the bound if any, then the ``LIMIT`` and
    ``OFFSET``; its rows become dicts of ``columns``,
    changed in place by ``convert``. A position that is not a plain number, and any other
    use, goes to the queryset.
    """

    def __init__(
        self,
        name: str,
        sql: str,
        columns: Sequence[str],
        fallback: Callable[[], Any],
        tenant_id: int,
        convert: Any = None,
        cached: CachedPage | None = None,
    ) -> None:
        self.name, self.sql, self.columns = name, sql, tuple(columns)
        self.fallback, self.tenant_id, self.convert = fallback, tenant_id, convert
        self.cached = cached
        self.order = "DESC"
        self.bound: tuple[str, int] | None = None

    def _copy(self, **changes: Any) -> PagedRows:
        copy = PagedRows(
            self.name,
            self.sql,
            self.columns,
            self.fallback,
            self.tenant_id,
            self.convert,
            self.cached,
        )
        copy.order, copy.bound = self.order, self.bound
        copy.__dict__.update(changes)
        return copy

    def order_by(self, *fields: str) -> Any:
        if fields == ("-id",):
            return self._copy(order="DESC")
        if fields == ("id",):
            return self._copy(order="ASC")
        return self.fallback().order_by(*fields)

    def filter(self, **kwargs: Any) -> Any:
        ((lookup, value),) = kwargs.items()
        if lookup in ("id__lt", "id__gt") and _POSITION.fullmatch(str(value)):
            return self._copy(bound=("<" if lookup == "id__lt" else ">", int(value)))
        ordering = "-id" if self.order == "DESC" else "id"
        return self.fallback().order_by(ordering).filter(**kwargs)

    def __getitem__(self, item: slice) -> list[dict]:
        offset, stop = item.start or 0, item.stop
        if self.cached is not None:
            versions = self._fetch(self.cached.name, self.cached.versions_sql, offset, stop)
            # DRF's cursor pagination reads one row past the page, for its position only.
            rows = self.cached.rows(versions, stop - offset - 1)
            if rows is not None:
                return rows
        rows = self._fetch(self.name, self.sql, offset, stop)
        columns, convert = self.columns, self.convert
        result = [dict(zip(columns, row, strict=True)) for row in rows]
        if convert is not None:
            for row in result:
                convert(row)
        return result

    def _fetch(self, name: str, sql: str, offset: int, stop: int) -> list[tuple]:
        """The rows of the page statement ``sql`` for this order, bound and slice."""
        bound = f" AND id {self.bound[0]} %s" if self.bound else ""
        key = (sql, bound, self.order)
        found = _PAGES.get(key)
        if found is None:
            tenants = sql[: sql.index("{bound}")].count("%s")
            types = ("bigint",) * (tenants + bool(bound) + 2)
            name = f"{name}_{self.order.lower()}"
            if self.bound:
                name += "_lt" if self.bound[0] == "<" else "_gt"
            statement = PreparedStatement(name, sql.format(bound=bound, order=self.order), types)
            found = _PAGES[key] = (statement, tenants)
        statement, tenants = found
        bound_value = (self.bound[1],) if self.bound else ()
        params = [*[self.tenant_id] * tenants, *bound_value, stop - offset, offset]
        with connection.cursor() as cursor:
            statement.execute(cursor, params)
            return cursor.fetchall()


class CachedPage(Protocol):
    """Documents of a page kept between requests (``returns_platform/doccache.py``).

    ``versions_sql`` is a page statement of the same shape as ``PagedRows.sql`` whose
    rows are the versions of what each document is built from (the row's ``id`` first);
    ``rows`` answers with the page's rows when the documents of the first ``count`` are
    known (each of those rows holds its ``document``, the others only their ``id``), or
    ``None``, and ``PagedRows`` then reads the page statement itself.
    """

    name: str
    versions_sql: str

    def rows(self, versions: list[tuple], count: int) -> list[dict] | None: ...


_PAGES: dict[tuple[str, str, str], tuple[PreparedStatement, int]] = {}


def lines_read_with_page(
    rows: Sequence[dict], columns: Sequence[str], convert: Callable[[dict], None] | None = None
) -> dict[int, list[dict]]:
    """The lines a page statement read with its rows, by row ``id``.

    Each row's ``lines`` column (taken out of the row) is a JSON array of arrays of
    ``columns``, or NULL for a row without lines; each line becomes a dict of ``columns``
    that ``convert`` (if any) changes in place. The statement writes amounts (and JSON
    columns) as text inside the array, so that no value passes through orjson's floats;
    amounts stay that text (``amount_text`` writes them from it).
    """
    grouped: dict[int, list[dict]] = {}
    for row in rows:
        text = row.pop("lines")
        if text is None:
            grouped[row["id"]] = []
            continue
        lines = grouped[row["id"]] = [
            dict(zip(columns, values, strict=True)) for values in orjson.loads(text)
        ]
        if convert is not None:
            for line in lines:
                convert(line)
    return grouped
