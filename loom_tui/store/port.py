"""The document store port: what every adapter (SQLite, Cosmos DB) must do, with the same meaning.

Semantics follow Azure Cosmos DB so that the embedded default behaves like production:

* a document lives in a *container*, inside the *partition* named by its partition-key field;
  ``id`` is unique within a partition;
* every stored document carries ``id``, its partition key, ``_etag`` (opaque, changes on every
  write) and ``_ts`` (epoch seconds of the last write);
* ``create`` fails with :class:`Conflict` when the id exists; ``replace`` with an ``if_match``
  ETag fails with :class:`PreconditionFailed` when the document changed meanwhile;
* queries run inside one partition, page by page with opaque continuation tokens; the only
  cross-partition reads are the explicit ``*_cross_partition`` methods, meant for admin aggregates.
"""

from __future__ import annotations

import abc
import asyncio
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, AsyncIterator, Iterable

from loom_tui.domain.clock import iso
from loom_tui.domain.containers import CONTAINERS, Container

from .errors import InvalidQuery
from .query import ALL, Filter, Op, Query, check_field, get_path

BAD_ID_CHARS = frozenset("/\\?#")


@dataclass
class Page:
    items: list[dict]
    continuation: str | None = None


@dataclass
class RequestCharges:
    """Request units (RU) recorded per call; the embedded store records 0-RU calls."""

    total_ru: float = 0.0
    calls: int = 0
    by_operation: "Counter[str]" = field(default_factory=Counter)  # RU per operation (floats)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, operation: str, ru: float) -> None:
        with self._lock:
            self.total_ru += ru
            self.calls += 1
            self.by_operation[operation] += ru  # type: ignore[assignment]  # Counter holds floats too

    def mark(self) -> tuple[float, int]:
        with self._lock:
            return (self.total_ru, self.calls)

    def since(self, mark: tuple[float, int]) -> tuple[float, int]:
        """RU and calls since ``mark`` (from :meth:`mark`)."""
        with self._lock:
            return (self.total_ru - mark[0], self.calls - mark[1])


class DocumentStore(abc.ABC):
    """The port.  All methods are coroutines; adapters never block the event loop."""

    kind: str = "abstract"
    # queries an aggregate may have in flight at once (count_per_day's one COUNT per day)
    aggregate_concurrency: int = 8

    def __init__(self) -> None:
        self.charges = RequestCharges()
        # opened read-only: open() creates nothing and every write is refused (ReadOnlyStore)
        self.read_only = False
        # containers that do not exist and were not created (read-only): read as empty
        self.missing: list[str] = []

    def _writable(self, what: str) -> None:
        if self.read_only:
            from .errors import ReadOnlyStore

            raise ReadOnlyStore(what)

    # -- lifecycle -------------------------------------------------------------------------
    @abc.abstractmethod
    async def open(self) -> None:
        """Create the database and every container if missing (idempotent)."""

    @abc.abstractmethod
    async def close(self) -> None: ...

    async def __aenter__(self) -> "DocumentStore":
        await self.open()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    def describe(self) -> str:
        """One line for the header / doctor: where the data lives."""
        return self.kind

    # -- point operations ------------------------------------------------------------------
    @abc.abstractmethod
    async def get(self, container: str, pk: str, id: str) -> dict | None:
        """The document, or None when there is none."""

    @abc.abstractmethod
    async def create(self, container: str, doc: dict) -> dict:
        """Insert; :class:`Conflict` if the id exists in that partition.  Returns the stored doc."""

    @abc.abstractmethod
    async def upsert(self, container: str, doc: dict) -> dict: ...

    @abc.abstractmethod
    async def replace(self, container: str, doc: dict, *, if_match: str | None = None) -> dict:
        """Overwrite an existing document; :class:`NotFound` if missing,
        :class:`PreconditionFailed` if ``if_match`` is given and differs from the stored ETag."""

    @abc.abstractmethod
    async def delete(self, container: str, pk: str, id: str, *, if_match: str | None = None) -> None:
        """:class:`NotFound` if missing; :class:`PreconditionFailed` on an ETag mismatch."""

    @abc.abstractmethod
    async def create_batch(self, container: str, docs: list[dict]) -> list[dict]:
        """Insert several documents of ONE partition, all or none (SQLite: one transaction; Cosmos
        DB: a transactional batch).  :class:`Conflict` (nothing written) if any id exists; a
        InvalidQuery before anything is written if the documents name different partitions."""

    async def upsert_many(self, container: str, docs: Iterable[dict]) -> int:
        """Bulk write (seeding, imports).  Adapters override with something faster."""
        n = 0
        for doc in docs:
            await self.upsert(container, doc)
            n += 1
        return n

    # -- queries ---------------------------------------------------------------------------
    @abc.abstractmethod
    async def query(
        self,
        container: str,
        pk: str,
        query: Query = ALL,
        *,
        max_items: int = 100,
        continuation: str | None = None,
    ) -> Page:
        """One page of a parameterized query inside partition ``pk``."""

    @abc.abstractmethod
    async def window(self, container: str, pk: str, query: Query, offset: int, limit: int) -> list[dict]:
        """Rows ``offset .. offset+limit`` of an ordered in-partition query (for virtual tables)."""

    @abc.abstractmethod
    async def count(self, container: str, pk: str, query: Query = ALL) -> int: ...

    @abc.abstractmethod
    async def query_cross_partition(
        self,
        container: str,
        query: Query = ALL,
        *,
        max_items: int = 100,
        continuation: str | None = None,
    ) -> Page:
        """Explicit cross-partition query.  Only admin aggregates may call this."""

    @abc.abstractmethod
    async def count_cross_partition(self, container: str, query: Query = ALL) -> int: ...

    @abc.abstractmethod
    async def window_cross_partition(self, container: str, query: Query, offset: int, limit: int) -> list[dict]:
        """:meth:`window` across every partition (the workspace list: workspaces are filed under
        their owners' object ids, and one list shows the owners' and the shared ones)."""

    # -- aggregates (cross-partition, admin reports) ------------------------------------------
    async def count_by(self, container: str, fields: str | tuple[str, ...], query: Query = ALL) -> dict[Any, int]:
        """Documents matching ``query`` (across partitions) counted per value of ``fields``: one
        field name gives ``{value: n}``, a tuple gives ``{(v1, v2, ...): n}``; a missing field
        counts under ``None``.

        This default streams the matching documents and counts them here (Cosmos DB: the Python
        SDK has no cross-partition ``GROUP BY``); SQLite overrides it with one ``GROUP BY``."""
        names = (fields,) if isinstance(fields, str) else tuple(fields)
        for f in names:
            check_field(f)
        counts: dict[Any, int] = {}
        async for doc in self.iterate_cross_partition(container, query, page_size=5000):
            key = get_path(doc, names[0]) if isinstance(fields, str) else tuple(get_path(doc, f) for f in names)
            counts[key] = counts.get(key, 0) + 1
        return counts

    async def count_per_day(self, container: str, field: str, since: datetime, days: int, query: Query = ALL) -> list[int]:
        """Documents matching ``query`` (across partitions) whose ISO timestamp ``field`` falls in
        each of ``days`` consecutive days from ``since``: ``[since + d, since + d + 1 day)`` as
        string ranges (the ISO text of the bounds, as the window filters compare them).

        This default runs one ``COUNT`` per day, at most :attr:`aggregate_concurrency` at once
        (Cosmos DB serves each from the range index); SQLite overrides it with one query."""
        check_field(field)
        bounds = [iso(since + timedelta(days=d)) for d in range(days + 1)]
        gate = asyncio.Semaphore(max(1, self.aggregate_concurrency))

        async def one(d: int) -> int:
            async with gate:
                return await self.count_cross_partition(
                    container, query.and_(Filter(field, Op.GE, bounds[d]), Filter(field, Op.LT, bounds[d + 1])))

        return list(await asyncio.gather(*(one(d) for d in range(days))))

    async def iterate(self, container: str, pk: str, query: Query = ALL, *, page_size: int = 500) -> AsyncIterator[dict]:
        token: str | None = None
        while True:
            page = await self.query(container, pk, query, max_items=page_size, continuation=token)
            for item in page.items:
                yield item
            token = page.continuation
            if not token:
                return

    async def iterate_cross_partition(
        self, container: str, query: Query = ALL, *, page_size: int = 500
    ) -> AsyncIterator[dict]:
        token: str | None = None
        while True:
            page = await self.query_cross_partition(container, query, max_items=page_size, continuation=token)
            for item in page.items:
                yield item
            token = page.continuation
            if not token:
                return


def spec(container: str) -> Container:
    try:
        return CONTAINERS[container]
    except KeyError:
        raise InvalidQuery(f"unknown container {container!r}") from None


def partition_of(container: str, doc: dict) -> str:
    """The partition-key value of ``doc``; refuses documents without one or without an id."""
    c = spec(container)
    if not isinstance(doc.get("id"), str) or not doc["id"]:
        raise InvalidQuery(f"{container}: a document needs a non-empty string id")
    if BAD_ID_CHARS.intersection(doc["id"]):
        # Cosmos DB refuses these (they would break the resource URL); refuse them everywhere so
        # that data written to the embedded store can move to Cosmos DB.
        raise InvalidQuery(f"{container}: an id cannot contain / \\ ? or #")
    pk = doc.get(c.partition_key)
    if not isinstance(pk, str) or not pk:
        raise InvalidQuery(f"{container}: a document needs its partition key {c.partition_key!r}")
    return pk


def one_partition(container: str, docs: list[dict]) -> str:
    """The one partition-key value every document of a batch shares (refused before any write
    when they differ, when one lacks it, or when there is nothing to write)."""
    if not docs:
        raise InvalidQuery(f"{container}: a batch needs at least one document")
    keys = {partition_of(container, d) for d in docs}
    if len(keys) > 1:
        raise InvalidQuery(f"{container}: a batch writes one partition, not {len(keys)}")
    return keys.pop()
