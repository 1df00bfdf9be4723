"""The embedded store's aggregates (:meth:`DocumentStore.count_by`, :meth:`DocumentStore.count_per_day`)
answered in SQL, with the same answers as the port's streamed defaults.

The admin reports count across partitions.  The fields they read are stored twice over: in the
JSON document, and as a virtual generated column (``g_<field>``, computed from the document, never
written) with one index over those columns per :attr:`Container.covering` entry (the audit log's
``(tenantId, at, workspaceId, itemId)``).  A column index *covers* a query on SQLite 3.31+, where
an index over ``json_extract`` expressions does not before 3.41 (SQLite re-reads and parses every
matching document): measured on 200,000 events, a window grouped per workspace and item took
1.05 s over the expression index and 0.36 s over the generated columns.  So a report over a
million audit events walks one index range and never parses a document.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from typing import Any

from loom_tui.domain.clock import iso
from loom_tui.domain.containers import Container

from .port import spec
from .query import ALL, Filter, Op, Query, check_field


def field_expr(field: str) -> str:
    """A field's SQL in the store's query builder (:mod:`loom_tui.store.sqlite`): the document's
    ``json_extract``, or the row's ``id`` column; :func:`_on_columns` reads covered ones from their
    generated columns instead."""
    # field paths are validated by query.check_field (letters, digits, _, dots) before they get here
    if field == "id":  # the row's own column (always the document's id): served by its index
        return "id"
    return f"json_extract(doc, '$.{field}')"


def column(field: str) -> str:
    return "g_" + field.replace(".", "_")


def covering_schema(conn: sqlite3.Connection, c: Container, table: str) -> None:
    """Generated columns and their indexes for ``c.covering`` (idempotent; an older store gains them)."""
    have = {r[1] for r in conn.execute(f"PRAGMA table_xinfo({table})")}
    for fields in c.covering:
        for f in fields:
            if column(f) not in have:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column(f)} GENERATED ALWAYS AS (json_extract(doc, '$.{f}')) VIRTUAL")
                have.add(column(f))
        conn.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_cov_{'_'.join(map(column, fields))} ON {table} ({', '.join(map(column, fields))})")


def _on_columns(container: str, sql: str) -> str:
    """The SQL of the store's query builder, reading covered fields from their generated columns
    (the same values: each column IS ``json_extract(doc, '$.field')``)."""
    for fields in spec(container).covering:
        for f in fields:
            sql = sql.replace(f"json_type(doc, '$.{f}') IN ('text')", f"typeof({column(f)}) = 'text'")
            sql = sql.replace(f"json_extract(doc, '$.{f}')", column(f))
    return sql


class SqliteAggregates:
    """Mixed into :class:`loom_tui.store.sqlite.SqliteStore` (uses its ``_select`` and ``_run``)."""

    async def _grouped(self, container: str, op: str, sql: str, params: list[Any]) -> list[tuple]:
        sql = _on_columns(container, sql)
        rows = await self._run(lambda conn: conn.execute(sql, params).fetchall())  # type: ignore[attr-defined]
        self.charges.record(op, 0.0)  # type: ignore[attr-defined]
        return rows

    async def count_by(self, container: str, fields: str | tuple[str, ...], query: Query = ALL) -> dict[Any, int]:
        names = (fields,) if isinstance(fields, str) else tuple(fields)
        for f in names:
            check_field(f)
        cols = ", ".join(field_expr(f) for f in names)
        sql, params = self._select(container, None, query, what=f"{cols}, COUNT(*)")  # type: ignore[attr-defined]
        sql += " GROUP BY " + ", ".join(str(i + 1) for i in range(len(names)))
        rows = await self._grouped(container, "count_by", sql, params)
        if isinstance(fields, str):
            return {r[0]: r[1] for r in rows}
        return {tuple(r[:-1]): r[-1] for r in rows}

    async def count_per_day(self, container: str, field: str, since: datetime, days: int, query: Query = ALL) -> list[int]:
        """One ``COUNT`` per day, all in one call: each counts one range of a covering index
        without reading a row (50,000 events of a window: 11 ms counted, 76 ms grouped by a
        ``CASE`` on the day, which sorts every match)."""
        check_field(field)
        if days < 1:
            return []
        bounds = [iso(since + timedelta(days=d)) for d in range(days + 1)]
        stmts = []
        for d in range(days):
            q = query.and_(Filter(field, Op.GE, bounds[d]), Filter(field, Op.LT, bounds[d + 1]))
            sql, params = self._select(container, None, q, what="COUNT(*)")  # type: ignore[attr-defined]
            stmts.append((_on_columns(container, sql), params))
        out = await self._run(lambda conn: [conn.execute(sql, params).fetchone()[0] for sql, params in stmts])  # type: ignore[attr-defined]
        self.charges.record("count_per_day", 0.0)  # type: ignore[attr-defined]
        return out
