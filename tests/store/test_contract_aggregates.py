"""The aggregates of the store port (count_by, count_per_day): every adapter gives the same
numbers as counting the documents in Python (so SQLite's SQL and Cosmos DB's per-day COUNT
queries give identical numbers on the same data), with the same edge rules: a missing field
counts under None, a timestamp that is not a string is in no day, each day is a half-open range."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from loom_tui.domain.clock import iso
from loom_tui.store.errors import InvalidQuery
from loom_tui.store.query import ALL, AnyOf, Filter, Op, Query, eq, matches

SINCE = datetime(2026, 3, 1, tzinfo=timezone.utc)
DAYS = 5


def _events() -> list[dict]:
    rng = random.Random(3)
    out = []
    for n in range(120):
        at = SINCE + timedelta(seconds=rng.randrange(-86400, (DAYS + 1) * 86400))
        doc = {"id": f"e{n}", "itemId": f"i{rng.randrange(9)}", "workspaceId": f"w{rng.randrange(3)}", "at": iso(at)}
        if n % 7:
            doc["tenantId"] = "t1" if n % 3 else "t2"  # every 7th untagged (the web console's)
        if n % 11 == 0:
            del doc["workspaceId"]  # a tenant-level event
        out.append(doc)
    # the edges: exactly at a day's start (in), a millisecond before the window (out), a number (in no day)
    out += [{"id": "edge1", "itemId": "i1", "workspaceId": "w1", "tenantId": "t1", "at": iso(SINCE + timedelta(days=2))},
            {"id": "edge2", "itemId": "i1", "workspaceId": "w1", "tenantId": "t1", "at": iso(SINCE - timedelta(milliseconds=1))},
            {"id": "edge3", "itemId": "i2", "workspaceId": "w1", "tenantId": "t1", "at": 12345},
            # a workspace id that is a number, an empty one (the embedded store counts a grouping in
            # ranges of its first field: a number sorts before every string, yet must be counted once)
            {"id": "edge4", "itemId": "i3", "workspaceId": 7, "tenantId": "t1", "at": iso(SINCE + timedelta(hours=5))},
            {"id": "edge5", "itemId": "i4", "workspaceId": "", "tenantId": "t1", "at": iso(SINCE + timedelta(hours=6))}]
    return out


EVENTS = _events()
ITEM_DOCS = [{"id": f"i{n}", "workspaceId": f"w{n % 4}", "tenantId": "t1" if n % 5 else "t2",
              **({"itemType": ["notebook", "lakehouse", "pipeline"][n % 3]} if n % 6 else {})} for n in range(40)]


def _key(doc: dict, fields) -> object:
    return doc.get(fields) if isinstance(fields, str) else tuple(doc.get(f) for f in fields)


def oracle_by(docs: list[dict], fields, query: Query) -> dict:
    return dict(Counter(_key(d, fields) for d in docs if all(matches(d, c) for c in query.where)))


def oracle_days(docs: list[dict], query: Query) -> list[int]:
    bounds = [iso(SINCE + timedelta(days=d)) for d in range(DAYS + 1)]
    out = [0] * DAYS
    for d in docs:
        at = d.get("at")
        if isinstance(at, str) and all(matches(d, c) for c in query.where):
            for k in range(DAYS):
                if bounds[k] <= at < bounds[k + 1]:
                    out[k] += 1
    return out


@pytest.fixture
async def seeded(store):
    await store.upsert_many("audit-log", EVENTS)
    await store.upsert_many("items", ITEM_DOCS)
    return store


QUERIES = [
    ALL,
    Query((eq("tenantId", "t1"),)),
    Query((Filter("tenantId", Op.IS_NULL, True),)),
    Query((AnyOf((eq("tenantId", "t1"), Filter("tenantId", Op.IS_NULL, True))), Filter("workspaceId", Op.IS_NULL, False))),
]


@pytest.mark.parametrize("qi", range(len(QUERIES)))
async def test_count_by_is_counting_the_documents(seeded, qi):
    q = QUERIES[qi]
    for fields in ("itemId", "workspaceId", ("workspaceId", "itemId")):
        assert await seeded.count_by("audit-log", fields, q) == oracle_by(EVENTS, fields, q), fields
    window = q.and_(Filter("at", Op.GE, iso(SINCE)), Filter("at", Op.LT, iso(SINCE + timedelta(days=DAYS))))
    assert await seeded.count_by("audit-log", ("workspaceId", "itemId"), window) == oracle_by(EVENTS, ("workspaceId", "itemId"), window)
    for fields in ("itemType", ("itemType", "workspaceId")):
        assert await seeded.count_by("items", fields, q) == oracle_by(ITEM_DOCS, fields, q), fields


async def test_one_sided_ranges_compare_strings_only(seeded):
    # edge3's number is below every string (SQLite's order) yet in no range of strings: an upper
    # bound alone must not count it, nor a lower one
    for q in (Query((Filter("at", Op.LT, iso(SINCE)),)), Query((Filter("at", Op.LE, iso(SINCE)),)),
              Query((Filter("at", Op.GE, iso(SINCE)),)), Query((Filter("at", Op.GT, ""), eq("tenantId", "t1")))):
        got = await seeded.count_by("audit-log", ("workspaceId", "itemId"), q)
        assert got == oracle_by(EVENTS, ("workspaceId", "itemId"), q) and got, q


@pytest.mark.parametrize("qi", range(len(QUERIES)))
async def test_count_per_day_is_counting_the_documents(seeded, qi):
    q = QUERIES[qi]
    got = await seeded.count_per_day("audit-log", "at", SINCE, DAYS, q)
    assert got == oracle_days(EVENTS, q)
    assert len(got) == DAYS and sum(got) > 0


async def test_the_day_edges(seeded):
    # edge1 opens day 2; edge2 (a millisecond before the window) and edge3 (a number) are in no day
    only = Query((Filter("id", Op.IN, ["edge1", "edge2", "edge3"]),))
    assert await seeded.count_per_day("audit-log", "at", SINCE, DAYS, only) == [0, 0, 1, 0, 0]


async def test_bad_fields_are_refused(seeded):
    with pytest.raises(InvalidQuery):
        await seeded.count_by("audit-log", "at') --")
    with pytest.raises(InvalidQuery):
        await seeded.count_per_day("audit-log", "at') --", SINCE, DAYS)
