"""Embedded default: the document store in one SQLite file.

Why it looks like this:

* one table per container, documents as JSON text, ``PRIMARY KEY (pk, id)`` so every
  partition-scoped read is an index range scan; each container's ``indexed`` fields get
  expression indexes ``(pk, json_extract(doc, '$.field'))`` so search/sort/filter inside a
  partition never scans the table; the index also holds the field's JSON type, so substring
  search (CONTAINS) with its type guard is answered from the index alone;
* WAL journal, a generous ``busy_timeout`` and ``BEGIN IMMEDIATE`` for every write, so two
  ``loom`` processes on one jump box can write at once: a writer waits for the other instead of
  failing with "database is locked", and the ETag check runs inside the write transaction, so no
  write is lost;
* every call runs on one dedicated thread that owns the connection, so the event loop never
  blocks on disk.
"""

from __future__ import annotations

import asyncio
import os
import json
import sqlite3
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from loom_tui.domain.containers import CONTAINERS, Scope

from .errors import Conflict, InvalidQuery, NotFound, PreconditionFailed, StoreCorrupt, StoreError, StoreFull, StoreLocked, StoreReadOnlyFs, StoreUnavailable
from .port import DocumentStore, Page, one_partition, partition_of, spec
from .sqlite_aggregate import SqliteAggregates, covering_schema
from .sqlite_names import field_expr as _expr, order_by as _order, table_of
from .sqlite_tokens import decode_key_token, decode_token, encode_key_token, encode_token
from .query import ALL, AllOf, AnyOf, Cond, Filter, Op, Query, iregex

T = TypeVar("T")
DB_FILE = "loom.db"
_BUSY_TIMEOUT_MS = 30_000


def _selective(query: Query) -> bool:
    """Does ``query`` pin a field to values (=, IN, case-insensitive =, array has)?"""
    return any(isinstance(c, Filter) and c.op in (Op.EQ, Op.IN, Op.IEQUALS, Op.HAS) for c in query.where)


def _new_etag() -> str:
    return '"' + uuid.uuid4().hex + '"'


def _where(conds: Iterable[Cond], params: list[Any]) -> str:
    parts = [_cond(c, params) for c in conds]
    return " AND ".join(parts) if parts else "1"


def _cond(cond: Cond, params: list[Any]) -> str:
    if isinstance(cond, AnyOf):
        return "(" + " OR ".join(_cond(f, params) for f in cond.filters) + ")"
    if isinstance(cond, AllOf):
        return "(" + " AND ".join(_cond(f, params) for f in cond.filters) + ")"
    assert isinstance(cond, Filter)
    e = _expr(cond.field)
    op = cond.op
    if op is Op.IS_NULL:
        return f"{e} IS NULL" if cond.value else f"{e} IS NOT NULL"
    if op is Op.IN:
        params.extend(_param(v) for v in cond.value)
        return f"{e} IN ({','.join('?' * len(cond.value))})"
    # Type guards: like Cosmos DB (and the Python oracle), a string function on a number, HAS on
    # a non-array and an ordering comparison across types match nothing; SQLite alone would
    # coerce (instr(123, '2') > 0, json_each over a scalar, 5 < 'a').
    t = f"json_type(doc, '$.{cond.field}')"
    if op is Op.CONTAINS:
        params.append(str(cond.value))
        return f"({t} = 'text' AND instr({e}, ?) > 0)"
    if op is Op.HAS:
        params.append(_param(cond.value))
        return f"({t} = 'array' AND EXISTS (SELECT 1 FROM json_each(doc, '$.{cond.field}') WHERE json_each.value = ?))"
    if op is Op.STARTSWITH:
        params.extend([str(cond.value), str(cond.value)])
        return f"({t} = 'text' AND substr({e}, 1, length(?)) = ?)"
    # Case-insensitive tests fold case like Python's str.lower() (Unicode-aware, as Cosmos DB's
    # ignore-case).  SQLite's own lower() folds ASCII only, but runs in C: it answers first, and the
    # Python function (a callback per row) runs only for values with a non-ASCII character.  That
    # is exact: a match after ASCII folding is a match after full folding, and for an all-ASCII
    # value both foldings are the same.
    if op in (Op.ICONTAINS, Op.IEQUALS):
        term = str(cond.value).lower()
        test = f"instr(lower({e}), ?) > 0" if op is Op.ICONTAINS else f"lower({e}) = ?"
        params.append(term)
        if not _needs_full_fold(term):
            return f"({t} = 'text' AND {test})"
        params.append(term)
        # a value with a character beyond ASCII has more bytes than characters
        full = f"instr(loom_lower({e}), ?) > 0" if op is Op.ICONTAINS else f"loom_lower({e}) = ?"
        return f"({t} = 'text' AND ({test} OR (length(CAST({e} AS BLOB)) > length({e}) AND {full})))"
    if op is Op.IREGEX:
        params.append(str(cond.value))
        return f"({t} = 'text' AND loom_iregex(?, {e}))"
    params.append(_param(cond.value))
    if op in (Op.LT, Op.LE, Op.GT, Op.GE):
        return f"({e} {op.value} ? AND {t} IN {_json_types(cond.value)})"
    return f"{e} {op.value} ?"


def _json_types(value: Any) -> str:
    """The SQLite json_type names a value of this Python type compares with."""
    if isinstance(value, bool):
        return "('true', 'false')"
    if isinstance(value, (int, float)):
        return "('integer', 'real')"
    return "('text')"


def _param(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        raise InvalidQuery("filters compare scalar values only")
    return value


# The only characters beyond ASCII whose lower case contains an ASCII letter: İ -> "i̇", K (Kelvin) -> "k".
_FOLDS_TO_ASCII = frozenset("ik")


def _needs_full_fold(term: str) -> bool:
    """Can a value beyond ASCII match ``term`` (lower-cased) only after Unicode folding?  Not when
    the term is plain ASCII without "i" or "k": then SQLite's ASCII lower() gives the same answer."""
    return not term.isascii() or bool(_FOLDS_TO_ASCII & set(term))


_STRING_TESTS = (Op.CONTAINS, Op.STARTSWITH, Op.ICONTAINS, Op.IEQUALS, Op.IREGEX)


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else None


def _iregex(pattern: Any, value: Any) -> int:
    return int(iregex(str(pattern), value))


def _substring_index(container: str, query: Query) -> str:
    """``INDEXED BY`` the index of a field searched by substring, if it has one.

    All a container's indexes start with ``pk``, so without statistics SQLite picks any of them
    for ``pk = ?`` and then parses every document of the partition; the searched field's index
    answers the CONTAINS and its type guard by itself, reading documents only for matches."""
    indexed = spec(container).indexed
    for cond in query.where:
        if isinstance(cond, Filter) and cond.op in _STRING_TESTS and cond.field in indexed:
            return f" INDEXED BY ix_{table_of(container)}_{cond.field.replace('.', '_')}_t"
    return ""


def _sort_index(container: str, query: Query, present: frozenset[str]) -> str:
    """``INDEXED BY`` the cross-partition index of the first sort field, if it has one.

    The workspace list is ordered across partitions under OR-ed access conditions; SQLite would
    answer them with several index searches and then sort every match by a value it must parse out
    of each document (10,000 workspaces: ~0.3 s a page).  Walking the sort field's index and
    testing each row stops after ``offset + limit`` matches (the first page: a few rows)."""
    first = query.order_by[0].field
    name = f"ix_{table_of(container)}_{first.replace('.', '_')}_x"
    return f" INDEXED BY {name}" if first in spec(container).cross_indexed and name in present else ""


DEEP_OFFSET = 1000  # a window at least this deep in an ordered list may be read from its far end


class SqliteStore(SqliteAggregates, DocumentStore):
    kind = "sqlite"

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = Path(path)
        if self.path.is_dir() or not self.path.suffix:
            self.path = self.path / DB_FILE
        self._conn: sqlite3.Connection | None = None
        self._indexes: frozenset[str] = frozenset()  # what INDEXED BY may name (a read-only open of an older file lacks some)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def describe(self) -> str:
        return f"local store {self.path}"

    # -- plumbing --------------------------------------------------------------------------
    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._pool is None or self._conn is None:
            raise StoreUnavailable("the local store is not open")
        conn = self._conn
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, fn, conn)
        except sqlite3.Error as exc:
            raise self._storage_error(exc) from exc
        except OSError as exc:
            raise self._storage_error(exc) from exc

    def _storage_error(self, exc: BaseException) -> StoreError:
        """SQLite's and the OS's failures as one clear sentence (never a traceback)."""
        text = str(exc).lower()
        where = self.path
        if "full" in text or getattr(exc, "errno", None) == 28:
            return StoreFull(f"the disk holding {where} is full; nothing of this change was kept — free some space and run it again (loom repair finishes anything half done)")
        if "locked" in text or "busy" in text:
            return StoreLocked(f"{where} is locked by another program (another loom?) for longer than {_BUSY_TIMEOUT_MS // 1000} s; try again")
        if "readonly" in text or "read-only" in text or getattr(exc, "errno", None) in (13, 30):
            return StoreReadOnlyFs(f"{where} cannot be written (read-only file system or permissions): {exc}")
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return StoreCorrupt(f"{where} is damaged or is not a loom store ({exc}); move it away to start a new one, or restore a backup")
        return StoreUnavailable(f"{where}: {exc}")

    def _connect(self) -> sqlite3.Connection:
        # tenant data: the folder and the database files are the user's alone (umask 077 covers
        # the -wal and -shm files SQLite creates next to the database)
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        old_umask = os.umask(0o077)
        try:
            conn = self._open_db()
        finally:
            os.umask(old_umask)
        return conn

    def _open_db(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        # query-time functions only (never in the schema, so the file stays readable by any sqlite3)
        conn.create_function("loom_lower", 1, _lower, deterministic=True)
        conn.create_function("loom_iregex", 2, _iregex, deterministic=True)
        return conn

    @staticmethod
    def _write(conn: sqlite3.Connection, fn: Callable[[], T]) -> T:
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn()
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    async def open(self) -> None:
        if self._conn is not None:
            return
        if self.read_only and not self.path.exists():
            raise StoreUnavailable(f"nothing to show: there is no local store at {self.path} yet, and read-only mode "
                                   "creates nothing; run without --read-only once to create the demo data")
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="loom-sqlite")
        loop = asyncio.get_running_loop()
        try:
            self._conn = await loop.run_in_executor(self._pool, self._connect)
        except (sqlite3.Error, OSError) as exc:
            self._pool.shutdown(wait=False)
            self._pool = None
            if isinstance(exc, (NotADirectoryError, FileExistsError)) or (self.path.parent.exists() and not self.path.parent.is_dir()):
                raise StoreUnavailable(f"the data folder {self.path.parent} is a file, not a folder: point --data-dir / LOOM_DATA_DIR elsewhere") from exc
            err = self._storage_error(exc)
            raise type(err)(f"cannot open the local store: {err}") from exc

        def schema(conn: sqlite3.Connection) -> None:
            def create() -> None:
                for c in CONTAINERS.values():
                    t = table_of(c.name)
                    conn.execute(
                        f"CREATE TABLE IF NOT EXISTS {t} (pk TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,"
                        " etag TEXT NOT NULL, ts INTEGER NOT NULL, PRIMARY KEY (pk, id))"
                    )
                    # a document found by id alone (which partition holds this workspace id?)
                    conn.execute(f"CREATE INDEX IF NOT EXISTS ix_{t}__id ON {t} (id)")
                    for f in c.indexed:
                        ix = f"ix_{t}_{f.replace('.', '_')}"
                        # (pk, value, json type): CONTAINS/STARTSWITH and the type guards read only
                        # the index (a substring search over 100,000 items: ~10 ms instead of ~500 ms
                        # parsing every document); replaces the older (pk, value) index
                        conn.execute(f"DROP INDEX IF EXISTS {ix}")
                        conn.execute(f"CREATE INDEX IF NOT EXISTS {ix}_t ON {t} (pk, {_expr(f)}, json_type(doc, '$.{f}'))")
                        if c.scope is Scope.ITEM or f in c.cross_indexed:  # read across partitions
                            conn.execute(f"CREATE INDEX IF NOT EXISTS {ix}_x ON {t} ({_expr(f)})")
                    covering_schema(conn, c, t)  # the admin reports' aggregates read only these

            self._write(conn, create)

        if not self.read_only:  # read-only writes nothing, not even the schema
            await self._run(schema)
        self._indexes = frozenset(r[0] for r in await self._run(
            lambda conn: conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()))

    async def close(self) -> None:
        if self._conn is None:
            return
        self._close_readers()  # the aggregates' read connections
        pool = self._pool
        await self._run(lambda c: c.close())
        self._conn = None
        self._pool = None
        if pool is not None:
            pool.shutdown(wait=True)

    @staticmethod
    def _load(row: tuple[str, str, int]) -> dict:
        doc = json.loads(row[0])
        doc["_etag"] = row[1]
        doc["_ts"] = row[2]
        return doc

    @staticmethod
    def _dump(doc: dict) -> str:
        body = {k: v for k, v in doc.items() if k not in ("_etag", "_ts", "_rid", "_self", "_attachments")}
        try:
            return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise InvalidQuery(f"document is not JSON: {exc}") from None

    # -- point operations ------------------------------------------------------------------
    async def get(self, container: str, pk: str, id: str) -> dict | None:
        t = table_of(container)

        def op(conn: sqlite3.Connection) -> dict | None:
            row = conn.execute(f"SELECT doc, etag, ts FROM {t} WHERE pk = ? AND id = ?", (pk, id)).fetchone()
            return self._load(row) if row else None

        result = await self._run(op)
        self.charges.record("get", 0.0)
        return result

    async def create(self, container: str, doc: dict) -> dict:
        self._writable(f"create in {container}")
        t = table_of(container)
        pk = partition_of(container, doc)
        body = self._dump(doc)

        def op(conn: sqlite3.Connection) -> dict:
            etag, ts = _new_etag(), int(time.time())

            def write() -> None:
                try:
                    conn.execute(f"INSERT INTO {t} (pk, id, doc, etag, ts) VALUES (?, ?, ?, ?, ?)", (pk, doc["id"], body, etag, ts))
                except sqlite3.IntegrityError:
                    raise Conflict(container, doc["id"]) from None

            self._write(conn, write)
            return self._load((body, etag, ts))

        result = await self._run(op)
        self.charges.record("create", 0.0)
        return result

    async def create_batch(self, container: str, docs: list[dict]) -> list[dict]:
        self._writable(f"create_batch in {container}")
        t = table_of(container)
        pk = one_partition(container, docs)
        bodies = [(d["id"], self._dump(d)) for d in docs]

        def op(conn: sqlite3.Connection) -> list[dict]:
            ts = int(time.time())
            stored: list[dict] = []

            def write() -> None:
                for id_, body in bodies:
                    etag = _new_etag()
                    try:
                        conn.execute(f"INSERT INTO {t} (pk, id, doc, etag, ts) VALUES (?, ?, ?, ?, ?)", (pk, id_, body, etag, ts))
                    except sqlite3.IntegrityError:
                        raise Conflict(container, id_) from None
                    stored.append(self._load((body, etag, ts)))

            self._write(conn, write)  # one transaction: a failure rolls every insert back
            return stored

        result = await self._run(op)
        self.charges.record("create_batch", 0.0)
        return result

    async def upsert(self, container: str, doc: dict) -> dict:
        self._writable(f"upsert in {container}")
        t = table_of(container)
        pk = partition_of(container, doc)
        body = self._dump(doc)

        def op(conn: sqlite3.Connection) -> dict:
            etag, ts = _new_etag(), int(time.time())
            self._write(
                conn,
                lambda: conn.execute(
                    f"INSERT INTO {t} (pk, id, doc, etag, ts) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (pk, id) DO UPDATE SET doc = excluded.doc, etag = excluded.etag, ts = excluded.ts",
                    (pk, doc["id"], body, etag, ts),
                ),
            )
            return self._load((body, etag, ts))

        result = await self._run(op)
        self.charges.record("upsert", 0.0)
        return result

    async def upsert_many(self, container: str, docs: Iterable[dict]) -> int:
        self._writable(f"upsert_many in {container}")
        t = table_of(container)
        rows = [(partition_of(container, d), d["id"], self._dump(d)) for d in docs]

        def op(conn: sqlite3.Connection) -> int:
            ts = int(time.time())
            sql = (
                f"INSERT INTO {t} (pk, id, doc, etag, ts) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (pk, id) DO UPDATE SET doc = excluded.doc, etag = excluded.etag, ts = excluded.ts"
            )
            # one transaction per 50,000 rows, in key order, with a larger page cache while it
            # runs: a million audit events with their nine indexes in random key order thrashed
            # SQLite's 2 MB default cache (seeding the usage bench took 472 s)
            rows.sort(key=lambda r: (r[0], r[1]))
            cache = conn.execute("PRAGMA cache_size").fetchone()[0]
            conn.execute(f"PRAGMA cache_size = {-262144 if len(rows) >= 10000 else cache}")
            try:
                for start in range(0, len(rows), 50000):
                    chunk = rows[start : start + 50000]
                    self._write(conn, lambda: conn.executemany(sql, [(p, i, b, _new_etag(), ts) for p, i, b in chunk]))
            finally:
                conn.execute(f"PRAGMA cache_size = {cache}")
            return len(rows)

        result = await self._run(op)
        self.charges.record("upsert_many", 0.0)
        return result

    async def replace(self, container: str, doc: dict, *, if_match: str | None = None) -> dict:
        self._writable(f"replace in {container}")
        t = table_of(container)
        pk = partition_of(container, doc)
        body = self._dump(doc)

        def op(conn: sqlite3.Connection) -> dict:
            etag, ts = _new_etag(), int(time.time())

            def write() -> None:
                row = conn.execute(f"SELECT etag FROM {t} WHERE pk = ? AND id = ?", (pk, doc["id"])).fetchone()
                if row is None:
                    raise NotFound(container, doc["id"])
                if if_match is not None and row[0] != if_match:
                    raise PreconditionFailed(container, doc["id"])
                conn.execute(f"UPDATE {t} SET doc = ?, etag = ?, ts = ? WHERE pk = ? AND id = ?", (body, etag, ts, pk, doc["id"]))

            self._write(conn, write)
            return self._load((body, etag, ts))

        result = await self._run(op)
        self.charges.record("replace", 0.0)
        return result

    async def delete(self, container: str, pk: str, id: str, *, if_match: str | None = None) -> None:
        self._writable(f"delete in {container}")
        t = table_of(container)

        def op(conn: sqlite3.Connection) -> None:
            def write() -> None:
                row = conn.execute(f"SELECT etag FROM {t} WHERE pk = ? AND id = ?", (pk, id)).fetchone()
                if row is None:
                    raise NotFound(container, id)
                if if_match is not None and row[0] != if_match:
                    raise PreconditionFailed(container, id)
                conn.execute(f"DELETE FROM {t} WHERE pk = ? AND id = ?", (pk, id))

            self._write(conn, write)

        await self._run(op)
        self.charges.record("delete", 0.0)

    # -- queries ---------------------------------------------------------------------------
    def _select(self, container: str, pk: str | None, query: Query, what: str = "doc, etag, ts") -> tuple[str, list[Any]]:
        t = table_of(container)
        params: list[Any] = []
        clauses = []
        hint = ""
        if pk is not None:
            clauses.append("pk = ?")
            params.append(pk)
            hint = _substring_index(container, query)
        elif what.startswith("doc") and query.order_by:
            hint = _sort_index(container, query, self._indexes)
        clauses.append(_where(query.where, params))
        return f"SELECT {what} FROM {t}{hint} WHERE {' AND '.join(clauses)}", params

    async def _page(self, container: str, pk: str | None, query: Query, max_items: int, continuation: str | None) -> Page:
        if max_items < 1:
            raise InvalidQuery("max_items must be at least 1")
        if pk is None and not query.order_by:
            return await self._keyset_page(container, query, max_items, continuation)
        offset = decode_token(continuation) if continuation else 0
        sql, params = self._select(container, pk, query)
        sql += _order(query) + " LIMIT ? OFFSET ?"
        params += [max_items + 1, offset]

        def op(conn: sqlite3.Connection) -> Page:
            rows = conn.execute(sql, params).fetchall()
            more = len(rows) > max_items
            items = [self._load(r) for r in rows[:max_items]]
            return Page(items, encode_token(offset + max_items) if more else None)

        return await self._run(op)

    async def _keyset_page(self, container: str, query: Query, max_items: int, continuation: str | None) -> Page:
        """An unordered cross-partition read (admin aggregates stream whole containers) pages by
        the primary key ``(pk, id)`` instead of OFFSET, so reading N documents costs O(N), not
        O(N²): 100,000 items no longer re-skip everything before each page."""
        after = decode_key_token(continuation) if continuation else None
        sql, params = self._select(container, None, query, what="doc, etag, ts, pk, id")
        if not _selective(query):
            # range-only filters (the Usage window on ``at``): SQLite would pick the range's index,
            # then sort every match by (pk, id) for EACH page — quadratic (1,000,000 audit events:
            # 267 s).  Walking the primary key reads each document once; an equality filter (a
            # binding's ``upn``) keeps its own index.
            sql = sql.replace(f" FROM {table_of(container)} ", f" FROM {table_of(container)} INDEXED BY sqlite_autoindex_{table_of(container)}_1 ", 1)
        if after is not None:
            sql += " AND (pk, id) > (?, ?)"
            params += list(after)
        sql += " ORDER BY pk, id LIMIT ?"
        params.append(max_items + 1)

        def op(conn: sqlite3.Connection) -> Page:
            rows = conn.execute(sql, params).fetchall()
            more = len(rows) > max_items
            rows = rows[:max_items]
            items = [self._load(r[:3]) for r in rows]
            return Page(items, encode_key_token(rows[-1][3], rows[-1][4]) if more else None)

        return await self._run(op)

    async def query(self, container: str, pk: str, query: Query = ALL, *, max_items: int = 100, continuation: str | None = None) -> Page:
        page = await self._page(container, pk, query, max_items, continuation)
        self.charges.record("query", 0.0)
        return page

    async def query_cross_partition(
        self, container: str, query: Query = ALL, *, max_items: int = 100, continuation: str | None = None
    ) -> Page:
        page = await self._page(container, None, query, max_items, continuation)
        self.charges.record("query_cross_partition", 0.0)
        return page

    async def window(self, container: str, pk: str, query: Query, offset: int, limit: int) -> list[dict]:
        return await self._window(container, pk, query, offset, limit)

    async def window_cross_partition(self, container: str, query: Query, offset: int, limit: int) -> list[dict]:
        return await self._window(container, None, query, offset, limit)

    async def _window(self, container: str, pk: str | None, query: Query, offset: int, limit: int) -> list[dict]:
        if offset < 0 or limit < 0:
            raise InvalidQuery("offset and limit must not be negative")
        sql, params = self._select(container, pk, query)
        count, count_params = self._select(container, pk, query, what="COUNT(*)")

        def read(conn: sqlite3.Connection) -> list[Any]:
            # deep in an ordered list, read from its far end in the exact reverse order (every key
            # and the id tie-break flipped): the end of 10,000 rows skips 50 rows, not 9,950
            total = conn.execute(count, count_params).fetchone()[0] if query.order_by and offset >= DEEP_OFFSET else 0
            end = min(total, offset + limit)
            if offset <= total // 2 or end <= offset:
                return conn.execute(sql + _order(query) + " LIMIT ? OFFSET ?", params + [limit, offset]).fetchall()
            return conn.execute(sql + _order(query, reverse=True) + " LIMIT ? OFFSET ?", params + [end - offset, total - end]).fetchall()[::-1]

        rows = await self._run(read)
        self.charges.record("window", 0.0)
        return [self._load(r) for r in rows]

    async def _count(self, container: str, pk: str | None, query: Query) -> int:
        sql, params = self._select(container, pk, query, what="COUNT(*)")
        return await self._run(lambda conn: conn.execute(sql, params).fetchone()[0])

    async def count(self, container: str, pk: str, query: Query = ALL) -> int:
        n = await self._count(container, pk, query)
        self.charges.record("count", 0.0)
        return n

    async def count_cross_partition(self, container: str, query: Query = ALL) -> int:
        n = await self._count(container, None, query)
        self.charges.record("count_cross_partition", 0.0)
        return n

    async def explain(self, container: str, pk: str | None, query: Query) -> list[str]:
        """SQLite's query plan for a query (tests use it to prove indexes are used)."""
        sql, params = self._select(container, pk, query)
        sql = "EXPLAIN QUERY PLAN " + sql + _order(query)
        rows = await self._run(lambda conn: conn.execute(sql, params).fetchall())
        return [r[-1] for r in rows]
