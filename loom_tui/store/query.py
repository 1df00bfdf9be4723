"""A small, adapter-neutral query language.

Services describe *what* they want (filters, an order, a page); each adapter turns it into its own
parameterized query (SQLite JSON expressions, Cosmos DB SQL).  Values are always passed as
parameters, never spliced into query text; field paths are validated against a strict pattern
because they become part of the query text on both adapters.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Union

from .errors import InvalidQuery

_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class Op(str, Enum):
    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    IN = "in"  # value: a non-empty list/tuple
    CONTAINS = "contains"  # case-sensitive substring
    STARTSWITH = "startswith"
    # case-insensitive string tests (Cosmos DB: CONTAINS(f, v, true), StringEquals(f, v, true),
    # RegexMatch(f, v, "i")): the web console's documents carry no lower-cased shadow fields, so
    # searches and name lookups match its own fields without regard to case
    ICONTAINS = "icontains"
    IEQUALS = "iequals"
    IREGEX = "iregex"  # value: a regular expression, searched (not anchored unless it says so)
    IS_NULL = "is_null"  # value: True = field missing or null; False = present and not null
    HAS = "has"  # the field is an array that contains the value


def check_field(path: str) -> str:
    if not isinstance(path, str) or not _FIELD.match(path):
        raise InvalidQuery(f"not a valid field path: {path!r}")
    return path


@dataclass(frozen=True)
class Filter:
    field: str
    op: Op
    value: Any = None

    def __post_init__(self) -> None:
        check_field(self.field)
        if self.op is Op.IN and (not isinstance(self.value, (list, tuple)) or not self.value):
            raise InvalidQuery("IN needs a non-empty list of values")
        if self.op is Op.IREGEX:
            try:
                _compiled(str(self.value))
            except re.error as exc:
                raise InvalidQuery(f"not a regular expression: {exc}") from None
        if self.op is not Op.IS_NULL and self.value is None:
            # SQL null never compares equal (SQLite) while Cosmos DB says null = null: refuse the
            # ambiguity instead of answering differently per adapter.
            raise InvalidQuery(f"{self.field} {self.op.name} None: use Op.IS_NULL to test for null")


@dataclass(frozen=True)
class AnyOf:
    """True when any of its filters is true (an OR group)."""

    filters: tuple["Filter | AnyOf | AllOf", ...]  # an OR may hold an OR or an AND (both adapters nest them)

    def __post_init__(self) -> None:
        if not self.filters:
            raise InvalidQuery("AnyOf needs at least one filter")


@dataclass(frozen=True)
class AllOf:
    """True when all of its filters are true (an AND group, to nest inside an :class:`AnyOf`)."""

    filters: tuple["Filter | AnyOf | AllOf", ...]

    def __post_init__(self) -> None:
        if not self.filters:
            raise InvalidQuery("AllOf needs at least one filter")


Cond = Union[Filter, AnyOf, AllOf]


@dataclass(frozen=True)
class Order:
    field: str
    descending: bool = False

    def __post_init__(self) -> None:
        check_field(self.field)


@dataclass(frozen=True)
class Query:
    where: tuple[Cond, ...] = ()
    order_by: tuple[Order, ...] = field(default_factory=tuple)

    def and_(self, *conds: Cond) -> "Query":
        return Query(self.where + tuple(conds), self.order_by)

    def ordered(self, *orders: Order) -> "Query":
        return Query(self.where, tuple(orders))


def eq(field_: str, value: Any) -> Filter:
    return Filter(field_, Op.EQ, value)


ALL = Query()


def matches(doc: dict, cond: Cond) -> bool:
    """Evaluate a condition in Python (used by tests as the oracle, and for in-memory checks)."""
    if isinstance(cond, AnyOf):
        return any(matches(doc, f) for f in cond.filters)
    if isinstance(cond, AllOf):
        return all(matches(doc, f) for f in cond.filters)
    value = get_path(doc, cond.field)
    op = cond.op
    if op is Op.IS_NULL:
        return (value is None) == bool(cond.value)
    if value is None:
        return False
    try:
        if op is Op.EQ:
            return value == cond.value
        if op is Op.NE:
            return value != cond.value
        if op is Op.LT:
            return value < cond.value
        if op is Op.LE:
            return value <= cond.value
        if op is Op.GT:
            return value > cond.value
        if op is Op.GE:
            return value >= cond.value
        if op is Op.IN:
            return value in cond.value
        if op is Op.CONTAINS:
            return isinstance(value, str) and str(cond.value) in value
        if op is Op.STARTSWITH:
            return isinstance(value, str) and value.startswith(str(cond.value))
        if op is Op.ICONTAINS:
            return isinstance(value, str) and str(cond.value).lower() in value.lower()
        if op is Op.IEQUALS:
            return isinstance(value, str) and str(cond.value).lower() == value.lower()
        if op is Op.IREGEX:
            return isinstance(value, str) and iregex(str(cond.value), value)
        if op is Op.HAS:
            return isinstance(value, list) and cond.value in value
    except TypeError:
        return False
    raise InvalidQuery(f"unknown operator {op!r}")


_MISSING = object()


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> "re.Pattern[str]":
    return re.compile(pattern, re.IGNORECASE)


def iregex(pattern: str, value: object) -> bool:
    """``RegexMatch(value, pattern, "i")``: a case-insensitive search; non-strings never match."""
    return isinstance(value, str) and _compiled(pattern).search(value) is not None


def get_path(doc: dict, path: str) -> Any:
    cur: Any = doc
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part, None)
        if cur is None:
            return None
    return cur
