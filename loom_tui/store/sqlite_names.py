"""How the embedded store names things in SQL: a container's table (:func:`table_of`) and a
field's expression (:func:`field_expr`).  The query builder (:mod:`.sqlite`) and the aggregates
(:mod:`.sqlite_aggregate`, which reads covered fields from generated columns instead) both use
them, so they live below both."""

from __future__ import annotations

from .port import spec


def table_of(container: str) -> str:
    spec(container)  # validates the name against the fixed container list
    return "c_" + container.replace("-", "_")


def field_expr(field: str) -> str:
    """A field's SQL: the document's ``json_extract``, or the row's ``id`` column."""
    # field paths are validated by query.check_field (letters, digits, _, dots) before they get here
    if field == "id":  # the row's own column (always the document's id): served by its index
        return "id"
    return f"json_extract(doc, '$.{field}')"
