"""Read documents kept per process, keyed by the row versions they were built from.

A shop system that polls a list asks for the same page again and again, and mostly
nothing on it has changed. A page statement can tell cheaply whether anything has: every
row PostgreSQL returns carries the version it was read in (``xmin``, the transaction
that wrote it, and ``ctid``, where it lies). Any write to the row, whoever makes it (the
ORM, ``QuerySet.update``, raw SQL, a migration), makes a new version with a new ``xmin``
or, within the writing transaction, a new ``ctid``; a version that was replaced never
comes back. So a document built from rows whose versions are all unchanged is the same
document, byte for byte, as one built again from them.

The key holds the versions of every row a document is built from (for an order: the
order, its channel, its customer and each of its lines, in order), the time zone its
dates are written in and the kind of document. The documents are the dicts the view
would build, shared between requests: nobody changes them (the renderer only reads).

The cache holds at most ``API_DOCUMENT_CACHE_SIZE`` documents (0 turns it off); the
oldest entry goes first. Entries are never wrong, only unused: no invalidation is needed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone


class DocumentCache:
    def __init__(self) -> None:
        self._entries: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return settings.API_DOCUMENT_CACHE_SIZE > 0

    def get(self, key: Hashable) -> Any:
        return self._entries.get(key)

    def put(self, key: Hashable, document: Any) -> None:
        size = settings.API_DOCUMENT_CACHE_SIZE
        if size <= 0:
            return
        with self._lock:
            entries = self._entries
            entries.pop(key, None)
            entries[key] = document
            while len(entries) > size:
                del entries[next(iter(entries))]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


documents = DocumentCache()


def row_version(alias: str) -> str:
    """SQL for the version of the row ``alias`` names (``NULL`` for a row a LEFT JOIN
    did not find)."""
    return f"{alias}.xmin::text || {alias}.ctid::text"


class CachedPage:
    """A page's documents kept in ``documents`` (``PagedRows``' ``cached``).

    ``versions_sql`` is the page statement's twin whose rows are the row's ``id``, the
    versions of the rows it is joined with, then its lines' versions as one text (each
    line's in the lines' order, ``,`` between them). The page statement gives the same
    versions as ``version_columns`` of each row, and each line's as its ``version``.
    """

    def __init__(self, kind: str, versions_sql: str, version_columns: tuple[str, ...]) -> None:
        self.kind, self.versions_sql, self.version_columns = kind, versions_sql, version_columns
        self.name = f"{kind}_page_versions"

    def rows(self, versions: list[tuple], count: int) -> list[dict] | None:
        zone, kind, get = timezone.get_current_timezone(), self.kind, documents.get
        rows = []
        for version in versions[:count]:
            document = get((kind, zone, *version))
            if document is None:
                return None
            rows.append({"id": version[0], "document": document})
        rows.extend({"id": version[0]} for version in versions[count:])
        return rows

    def documents(
        self,
        rows: Sequence[dict],
        zone: Any,
        lines_of: Callable[[Sequence[dict]], dict[int, list[dict]]],
        build: Callable[[dict, list[dict], Any], Any],
    ) -> list:
        """The documents of a page's ``rows``: those the rows hold (``rows`` above), or
        built from the rows and their lines (``lines_of``) by ``build``, then kept."""
        if rows and "document" in rows[0]:
            return [row["document"] for row in rows]
        lines = lines_of(rows)
        built = [build(row, lines[row["id"]], zone) for row in rows]
        self.keep(rows, lines, built, zone)
        return built

    def keep(
        self, rows: Sequence[dict], lines: dict[int, list[dict]], built: list, zone: Any
    ) -> None:
        """Keep the documents ``built`` from ``rows`` and their ``lines`` under their
        versions (rows read by the page statement; others have no versions)."""
        if not rows or "version" not in rows[0] or not documents.enabled:
            return
        kind, columns = self.kind, self.version_columns
        for row, document in zip(rows, built, strict=True):
            versions = ",".join(line["version"] for line in lines[row["id"]])
            documents.put((kind, zone, row["id"], *(row[c] for c in columns), versions), document)
