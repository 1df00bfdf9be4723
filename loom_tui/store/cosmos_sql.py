"""Cosmos SQL text for the Cosmos DB adapter (:mod:`loom_tui.store.cosmos` describes the rules):
parameterized WHERE clauses, ORDER BY, keyset anchors, and continuation-token envelopes."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from .errors import InvalidQuery
from .port import spec
from .query import AllOf, AnyOf, Cond, Filter, Op, Query

_TOKEN_VERSION = 1


# -- SQL translation ---------------------------------------------------------------------------
def _path(field: str) -> str:
    """``a.b`` -> ``c["a"]["b"]`` (the path was validated as identifiers by query.check_field)."""
    return "c" + "".join(f'["{part}"]' for part in field.split("."))


class _Sql:
    """Collects ``@p<n>`` parameters while conditions are turned into Cosmos SQL."""

    def __init__(self) -> None:
        self.parameters: list[dict[str, Any]] = []

    def param(self, value: Any) -> str:
        name = f"@p{len(self.parameters)}"
        self.parameters.append({"name": name, "value": value})
        return name

    def scalar(self, value: Any) -> str:
        if isinstance(value, (dict, list, tuple)):
            raise InvalidQuery("filters compare scalar values only")
        return self.param(value)

    def cond(self, cond: Cond, inside: str = "AND") -> str:
        """``cond`` as SQL where it stands ``inside`` an AND or an OR: parentheses only where
        precedence needs them (an OR inside an AND).  Fewer parentheses are the same query, and
        the local protocol server's parser slows down exponentially with their nesting (a
        workspace list's access conditions took seconds per request)."""
        if isinstance(cond, AnyOf):
            return self._group("OR", [self.cond(f, "OR") for f in cond.filters], inside)
        if isinstance(cond, AllOf):
            return self._group("AND", [self.cond(f, "AND") for f in cond.filters], inside)
        assert isinstance(cond, Filter)
        p, op = _path(cond.field), cond.op
        if op is Op.IS_NULL:
            if cond.value:
                return self._group("OR", [f"NOT IS_DEFINED({p})", f"IS_NULL({p})"], inside)
            return self._group("AND", [f"IS_DEFINED({p})", f"NOT IS_NULL({p})"], inside)
        if op is Op.IN:
            return f"{p} IN ({', '.join(self.scalar(v) for v in cond.value)})"
        if op is Op.CONTAINS:
            return f"CONTAINS({p}, {self.param(str(cond.value))})"
        if op is Op.STARTSWITH:
            return f"STARTSWITH({p}, {self.param(str(cond.value))})"
        if op is Op.ICONTAINS:
            return f"CONTAINS({p}, {self.param(str(cond.value))}, true)"
        if op is Op.IEQUALS:
            return f"StringEquals({p}, {self.param(str(cond.value))}, true)"
        if op is Op.IREGEX:
            return f"RegexMatch({p}, {self.param(str(cond.value))}, 'i')"
        if op is Op.HAS:
            return f"ARRAY_CONTAINS({p}, {self.scalar(cond.value)})"
        if op is Op.NE:
            # Cosmos DB says null != "x" is true; SQLite (and the port) say a null field matches no
            # comparison at all.
            return self._group("AND", [f"IS_DEFINED({p})", f"NOT IS_NULL({p})", f"{p} != {self.scalar(cond.value)}"], inside)
        return f"{p} {op.value} {self.scalar(cond.value)}"

    @staticmethod
    def _group(joiner: str, parts: list[str], inside: str) -> str:
        text = f" {joiner} ".join(parts)
        # AND binds tighter than OR: only an OR group inside an AND needs parentheses
        return f"({text})" if joiner == "OR" and inside == "AND" and len(parts) > 1 else text

    def where(self, container: str, pk: str | None, query: Query) -> str:
        parts = []
        if pk is not None:
            parts.append(f"{_path(spec(container).partition_key)} = {self.param(pk)}")
        parts.extend(self.cond(c) for c in query.where)
        return (" WHERE " + " AND ".join(parts)) if parts else ""


def _order(query: Query) -> str:
    if not query.order_by:
        return ""
    return " ORDER BY " + ", ".join(f"{_path(o.field)} {'DESC' if o.descending else 'ASC'}" for o in query.order_by)


def select_sql(container: str, pk: str | None, query: Query, *, top: int | None = None,
               after: tuple | None = None) -> tuple[str, list[dict]]:
    """The Cosmos SQL and parameters for ``query`` (exposed for tests and the bench).  ``after``
    (the values of every ORDER BY field of one row, the last being ``id``) adds the keyset
    condition "rows after that one in this order"."""
    sql = _Sql()
    head = "SELECT *" if top is None else f"SELECT TOP {sql.param(top)} *"
    where = sql.where(container, pk, query)
    if after is not None:
        cond = _keyset(sql, query, after)
        where = (where + " AND " + cond) if where else " WHERE " + cond
    text = head + " FROM c" + where + _order(query)
    return text, sql.parameters


def _keyset(sql: _Sql, query: Query, after: tuple) -> str:
    """(f1, ..., fn) after (v1, ..., vn) in the query's order, as OR-ed prefixes:
    f1 > v1 OR (f1 = v1 AND f2 > v2) OR ...  (">" is "<" for a descending field)."""
    terms = []
    for k, order in enumerate(query.order_by):
        same = [f"{_path(o.field)} = {sql.param(v)}" for o, v in zip(query.order_by[:k], after[:k])]
        step = f"{_path(order.field)} {'<' if order.descending else '>'} {sql.param(after[k])}"
        terms.append("(" + " AND ".join([*same, step]) + ")")
    return "(" + " OR ".join(terms) + ")"


ANCHORS = 256  # remembered page ends (per store): sequential scrolling continues from them


def _anchor_of(query: Query, row: dict) -> tuple | None:
    """The ORDER BY values of ``row`` when keyset paging can continue after it: a total order
    (the last field is ``id``) and plain values in every field."""
    if not query.order_by or query.order_by[-1].field != "id":
        return None
    values = []
    for o in query.order_by:
        v: Any = row
        for part in o.field.split("."):
            v = v.get(part) if isinstance(v, dict) else None
        if isinstance(v, bool) or not isinstance(v, (str, int, float)):
            return None
        values.append(v)
    return tuple(values)


def count_sql(container: str, pk: str | None, query: Query) -> tuple[str, list[dict]]:
    sql = _Sql()
    return "SELECT VALUE COUNT(1) FROM c" + sql.where(container, pk, query), sql.parameters


# -- continuation tokens -------------------------------------------------------------------------
def _fingerprint(container: str, pk: str | None, sql: str, params: list[dict]) -> str:
    raw = json.dumps([container, pk, sql, params], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def wrap_token(sdk_token: str, fingerprint: str) -> str:
    body = json.dumps({"v": _TOKEN_VERSION, "q": fingerprint, "c": sdk_token}, separators=(",", ":"))
    return base64.urlsafe_b64encode(body.encode()).decode()


def unwrap_token(token: str, fingerprint: str) -> str:
    try:
        body = json.loads(base64.urlsafe_b64decode(token.encode()))
        ok = isinstance(body, dict) and body.get("v") == _TOKEN_VERSION and isinstance(body.get("c"), str)
    except Exception:
        ok = False
    if not ok:
        raise InvalidQuery("not a continuation token of this store")
    if body["q"] != fingerprint:
        raise InvalidQuery("this continuation token belongs to another query")
    return body["c"]
