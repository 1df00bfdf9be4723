"""How the embedded store names things in SQL: a container's table (:func:`table_of`), a
field's expression (:func:`field_expr`) and a query's order (:func:`order_by`).  The query builder (:mod:`.sqlite`) and the aggregates
(:mod:`.sqlite_aggregate`, which reads covered fields from generated columns instead) both use
them, so they live below both."""

from __future__ import annotations

from .port import spec
from .query import Query


def table_of(container: str) -> str:
    spec(container)  # validates the name against the fixed container list
    return "c_" + container.replace("-", "_")


def field_expr(field: str) -> str:
    """A field's SQL: the document's ``json_extract``, or the row's ``id`` column."""
    # field paths are validated by query.check_field (letters, digits, _, dots) before they get here
    if field == "id":  # the row's own column (always the document's id): served by its index
        return "id"
    return f"json_extract(doc, '$.{field}')"


def order_by(query: Query, *, reverse: bool = False) -> str:
    """ORDER BY for a query.  An ordered query gets ``id`` as the tie-breaker so pages are stable;
    ``reverse``: the exact reverse of that order (every key and the tie-break flipped; SQLite puts
    NULLs first ascending and last descending, so they reverse too).  An unordered one gets none:
    ``ORDER BY id`` would make SQLite walk the (pk, id) primary key instead of the index that
    matches the filter (a full partition scan for an exact-name lookup); without it the plan, and
    so the order between pages, is fixed for the same data, as in Cosmos."""
    if not query.order_by:
        return ""
    asc, desc = ("DESC", "ASC") if reverse else ("ASC", "DESC")
    parts = [f"{field_expr(o.field)} {desc if o.descending else asc}" for o in query.order_by]
    parts.append(f"id {asc}")
    return " ORDER BY " + ", ".join(parts)
