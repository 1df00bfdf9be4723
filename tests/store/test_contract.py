"""The document-store contract: every adapter (``store`` fixture: sqlite, cosmos) must pass it.

Expected results come from :func:`loom_tui.store.query.matches` (the Python oracle) or are
spelled out, never from the adapter under test.
"""

from __future__ import annotations

import time

import pytest

from loom_tui.store.errors import Conflict, InvalidQuery, NotFound, PreconditionFailed
from loom_tui.store.query import ALL, AllOf, AnyOf, Filter, Op, Order, Query, eq, matches

WS = "workspaces"  # partition key tenantId
ITEMS = "items"  # partition key workspaceId
HIDDEN = ("_rid", "_self", "_attachments")


def ids(docs) -> list[str]:
    return [d["id"] for d in docs]


def assert_clean(doc: dict) -> None:
    assert isinstance(doc["_etag"], str) and doc["_etag"]
    assert isinstance(doc["_ts"], int) and abs(doc["_ts"] - time.time()) < 600
    for f in HIDDEN:
        assert f not in doc


async def drain(store, container, pk, query, page_size) -> tuple[list[dict], list[int]]:
    """All pages of a query; returns the docs and the page sizes."""
    out, sizes, token = [], [], None
    for _ in range(1000):
        page = await store.query(container, pk, query, max_items=page_size, continuation=token)
        out.extend(page.items)
        sizes.append(len(page.items))
        token = page.continuation
        if not token:
            return out, sizes
    raise AssertionError("paging never ended")


# -- point operations --------------------------------------------------------------------------
async def test_create_then_get_round_trips(store):
    doc = {"id": "w1", "tenantId": "t1", "name": "Sales", "nested": {"a": [1, 2, {"b": None}]}, "n": 1.5, "ok": True}
    created = await store.create(WS, doc)
    assert_clean(created)
    got = await store.get(WS, "t1", "w1")
    assert got is not None
    assert_clean(got)
    assert {k: v for k, v in got.items() if k not in ("_etag", "_ts")} == doc
    assert got["_etag"] == created["_etag"]


async def test_get_missing_is_none(store):
    assert await store.get(WS, "t1", "nope") is None
    await store.create(WS, {"id": "w1", "tenantId": "t1"})
    assert await store.get(WS, "t2", "w1") is None  # right id, wrong partition


async def test_create_conflicts_in_same_partition_only(store):
    await store.create(WS, {"id": "w1", "tenantId": "t1", "v": 1})
    with pytest.raises(Conflict):
        await store.create(WS, {"id": "w1", "tenantId": "t1", "v": 2})
    await store.create(WS, {"id": "w1", "tenantId": "t2", "v": 3})  # same id, other partition: fine
    assert (await store.get(WS, "t1", "w1"))["v"] == 1
    assert (await store.get(WS, "t2", "w1"))["v"] == 3


async def test_create_batch_writes_one_partition_all_or_nothing(store):
    made = await store.create_batch("items", [{"id": "i1", "workspaceId": "w1", "n": 1}, {"id": "i2", "workspaceId": "w1", "n": 2}])
    assert [d["id"] for d in made] == ["i1", "i2"] and all(d.get("_etag") for d in made)
    assert (await store.get("items", "w1", "i2"))["n"] == 2
    # the last one conflicts: nothing of the batch stays (Cosmos DB: a transactional batch)
    with pytest.raises(Conflict):
        await store.create_batch("items", [{"id": "i3", "workspaceId": "w1"}, {"id": "i1", "workspaceId": "w1"}])
    assert await store.get("items", "w1", "i3") is None
    assert (await store.get("items", "w1", "i1"))["n"] == 1
    # different partitions, or nothing at all, are refused before anything is written
    with pytest.raises(InvalidQuery):
        await store.create_batch("items", [{"id": "i4", "workspaceId": "w1"}, {"id": "i5", "workspaceId": "w2"}])
    with pytest.raises(InvalidQuery):
        await store.create_batch("items", [])
    assert await store.get("items", "w1", "i4") is None


async def test_upsert_inserts_then_overwrites(store):
    first = await store.upsert(WS, {"id": "w1", "tenantId": "t1", "v": 1, "gone": True})
    second = await store.upsert(WS, {"id": "w1", "tenantId": "t1", "v": 2})
    assert first["_etag"] != second["_etag"]
    got = await store.get(WS, "t1", "w1")
    assert got["v"] == 2 and "gone" not in got


async def test_replace_honours_etag(store):
    created = await store.create(WS, {"id": "w1", "tenantId": "t1", "v": 1})
    replaced = await store.replace(WS, {**created, "v": 2}, if_match=created["_etag"])
    assert replaced["v"] == 2 and replaced["_etag"] != created["_etag"]
    with pytest.raises(PreconditionFailed):
        await store.replace(WS, {**created, "v": 3}, if_match=created["_etag"])  # stale
    assert (await store.get(WS, "t1", "w1"))["v"] == 2
    unconditional = await store.replace(WS, {"id": "w1", "tenantId": "t1", "v": 4})
    assert unconditional["v"] == 4
    with pytest.raises(NotFound):
        await store.replace(WS, {"id": "missing", "tenantId": "t1"})
    with pytest.raises(NotFound):
        await store.replace(WS, {"id": "w1", "tenantId": "t2"}, if_match=unconditional["_etag"])


async def test_delete_honours_etag_and_reports_missing(store):
    with pytest.raises(NotFound):
        await store.delete(WS, "t1", "missing")
    created = await store.create(WS, {"id": "w1", "tenantId": "t1"})
    updated = await store.upsert(WS, {"id": "w1", "tenantId": "t1", "v": 2})
    with pytest.raises(PreconditionFailed):
        await store.delete(WS, "t1", "w1", if_match=created["_etag"])
    assert await store.get(WS, "t1", "w1") is not None
    await store.delete(WS, "t1", "w1", if_match=updated["_etag"])
    assert await store.get(WS, "t1", "w1") is None
    with pytest.raises(NotFound):
        await store.delete(WS, "t1", "w1")


async def test_etag_changes_on_every_write(store):
    etags = [(await store.create(WS, {"id": "w1", "tenantId": "t1", "v": 0}))["_etag"]]
    for v in range(1, 4):
        etags.append((await store.upsert(WS, {"id": "w1", "tenantId": "t1", "v": v}))["_etag"])
    doc = await store.get(WS, "t1", "w1")
    etags.append((await store.replace(WS, {**doc, "v": 9}, if_match=doc["_etag"]))["_etag"])
    assert len(set(etags)) == len(etags)
    assert (await store.get(WS, "t1", "w1"))["_etag"] == etags[-1]


async def test_system_fields_in_input_are_ignored(store):
    doc = await store.create(WS, {"id": "w1", "tenantId": "t1", "_etag": "forged", "_ts": 1, "_rid": "x"})
    assert doc["_etag"] != "forged" and doc["_ts"] != 1
    assert_clean(doc)
    page = await store.query(WS, "t1")
    assert_clean(page.items[0])


async def test_delete_in_one_partition_leaves_the_other(store):
    await store.create(WS, {"id": "same", "tenantId": "t1"})
    await store.create(WS, {"id": "same", "tenantId": "t2"})
    await store.delete(WS, "t1", "same")
    assert await store.get(WS, "t1", "same") is None
    assert await store.get(WS, "t2", "same") is not None


# -- queries -----------------------------------------------------------------------------------
DOCS = [
    {"id": "a", "workspaceId": "ws1", "name": "alpha", "n": 1, "tags": ["x", "y"], "meta": {"kind": "lake", "size": 10}, "opt": None},
    {"id": "b", "workspaceId": "ws1", "name": "beta", "n": 2, "tags": ["y"], "meta": {"kind": "warehouse", "size": 20}, "opt": "set"},
    {"id": "c", "workspaceId": "ws1", "name": "gamma [draft]", "n": 3, "tags": [], "meta": {"kind": "lake", "size": 30}},
    {"id": "d", "workspaceId": "ws1", "name": "Delta", "n": 4, "tags": ["z"], "meta": {"kind": "notebook", "size": 40}, "opt": "other"},
    {"id": "e", "workspaceId": "ws1", "name": "alphabet", "n": 5, "meta": {"kind": "lake", "size": 50}},
    # same ids in another partition: a query in ws1 must never see them
    {"id": "a", "workspaceId": "ws2", "name": "alpha", "n": 1, "tags": ["x"], "meta": {"kind": "lake", "size": 10}},
    {"id": "z", "workspaceId": "ws2", "name": "zeta", "n": 99, "tags": ["x"], "meta": {"kind": "lake", "size": 99}},
]

FILTERS = [
    Filter("name", Op.EQ, "alpha"),
    Filter("name", Op.NE, "alpha"),
    Filter("n", Op.LT, 3),
    Filter("n", Op.LE, 3),
    Filter("n", Op.GT, 3),
    Filter("n", Op.GE, 3),
    Filter("n", Op.IN, [2, 4, 42]),
    Filter("name", Op.IN, ("beta", "Delta")),
    Filter("name", Op.CONTAINS, "pha"),
    Filter("name", Op.CONTAINS, "[draft]"),
    Filter("name", Op.CONTAINS, "ALPHA"),  # case-sensitive
    # case-insensitive string tests (searches on the web console's own fields)
    Filter("name", Op.ICONTAINS, "ALPHA"),
    Filter("name", Op.ICONTAINS, "elt"),
    Filter("name", Op.ICONTAINS, "[DRAFT]"),
    Filter("name", Op.IEQUALS, "delta"),
    Filter("name", Op.IEQUALS, "ALPHA"),
    Filter("name", Op.IEQUALS, "alph"),
    Filter("name", Op.IREGEX, "^(alpha|delta)$"),
    Filter("name", Op.IREGEX, "^\\s*g\\w+ \\["),
    Filter("n", Op.ICONTAINS, "1"),
    Filter("n", Op.IEQUALS, "1"),
    Filter("n", Op.IREGEX, "1"),
    Filter("missing", Op.ICONTAINS, "a"),
    Filter("name", Op.STARTSWITH, "alpha"),
    Filter("name", Op.STARTSWITH, "gamma ["),
    Filter("opt", Op.IS_NULL, True),
    Filter("opt", Op.IS_NULL, False),
    Filter("tags", Op.HAS, "y"),
    Filter("tags", Op.HAS, "nope"),
    Filter("meta.kind", Op.EQ, "lake"),
    Filter("meta.size", Op.GE, 30),
    Filter("meta.missing", Op.IS_NULL, True),
    Filter("opt", Op.NE, "set"),
    # type mismatches match nothing (Cosmos DB semantics; the oracle agrees)
    Filter("n", Op.CONTAINS, "1"),
    Filter("n", Op.STARTSWITH, "1"),
    Filter("name", Op.HAS, "alpha"),
    Filter("name", Op.LT, 3),
    Filter("n", Op.LT, "zzz"),
]


@pytest.fixture
async def loaded(store):
    await store.upsert_many(ITEMS, DOCS)
    return store


def expected(conds, pk="ws1") -> set[str]:
    return {d["id"] for d in DOCS if d["workspaceId"] == pk and all(matches(d, c) for c in conds)}


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: f"{f.field}-{f.op.name}-{f.value}")
async def test_every_operator(loaded, flt):
    page = await loaded.query(ITEMS, "ws1", Query((flt,)))
    assert {d["id"] for d in page.items} == expected([flt])
    assert all(d["workspaceId"] == "ws1" for d in page.items)
    assert await loaded.count(ITEMS, "ws1", Query((flt,))) == len(expected([flt]))


async def test_operator_expectations_are_what_we_think(loaded):
    """Pin a few oracle answers so a broken oracle cannot make the suite pass vacuously."""
    assert expected([Filter("name", Op.CONTAINS, "pha")]) == {"a", "e"}
    assert expected([Filter("opt", Op.IS_NULL, True)]) == {"a", "c", "e"}
    assert expected([Filter("opt", Op.NE, "set")]) == {"d"}
    assert expected([Filter("tags", Op.HAS, "y")]) == {"a", "b"}
    assert expected([Filter("name", Op.ICONTAINS, "ALPHA")]) == {"a", "e"}
    assert expected([Filter("name", Op.IEQUALS, "delta")]) == {"d"}
    assert expected([Filter("name", Op.IREGEX, "^(alpha|delta)$")]) == {"a", "d"}
    assert expected([Filter("name", Op.IREGEX, "^\\s*g\\w+ \\[")]) == {"c"}


async def test_case_insensitive_tests_fold_beyond_ascii(store):
    docs = [{"id": "u1", "workspaceId": "ws1", "name": "Überblick Straße"}, {"id": "u2", "workspaceId": "ws1", "name": "ÉTÉ Daten"},
            {"id": "u3", "workspaceId": "ws1", "name": "plain"}, {"id": "u4", "workspaceId": "ws1", "name": "\u212aelvin scale"}]
    await store.upsert_many(ITEMS, docs)
    for flt, want in ((Filter("name", Op.ICONTAINS, "überb"), ["u1"]), (Filter("name", Op.ICONTAINS, "été"), ["u2"]),
                      (Filter("name", Op.IEQUALS, "überblick straße"), ["u1"]), (Filter("name", Op.IEQUALS, "PLAIN"), ["u3"]),
                      # the Kelvin sign folds to an ASCII "k"
                      (Filter("name", Op.ICONTAINS, "KELVIN"), ["u4"]), (Filter("name", Op.ICONTAINS, "scale"), ["u4"])):
        assert ids((await store.query(ITEMS, "ws1", Query((flt,)))).items) == want == [d["id"] for d in docs if matches(d, flt)]


# -- documents that lack the sort field ----------------------------------------------------------
# Cosmos DB (since 2021, default indexing policy) returns every document of an ORDER BY query,
# also those where the sort field is undefined: they sort lowest (undefined, then null, before
# any value), so first ascending and last descending.  The embedded store sorts a missing field and
# null as SQL NULL, lowest too: the same places.  Pinned here for both adapters, because the web
# console's documents lack many fields loom sorts on (lastAccessedAt, itemCount, ...).
SPARSE = [
    {"id": "m1", "workspaceId": "ws1", "at": "2026-01-03"},
    {"id": "m2", "workspaceId": "ws1"},
    {"id": "m3", "workspaceId": "ws1", "at": "2026-01-01"},
    {"id": "m4", "workspaceId": "ws1", "at": None},
    {"id": "m5", "workspaceId": "ws1"},
    {"id": "m6", "workspaceId": "ws1", "at": "2026-01-02"},
    {"id": "m7", "workspaceId": "ws1"},
]
VALUED = {"m1": 3, "m3": 1, "m6": 2}  # ids of documents that have a value, by rank
LACKING = {"m2", "m4", "m5", "m7"}


def _valued_in_order(descending: bool) -> list[str]:
    return sorted(VALUED, key=VALUED.get, reverse=descending)


@pytest.mark.parametrize("descending", [False, True])
async def test_ordering_keeps_documents_without_the_sort_field(store, descending):
    await store.upsert_many(ITEMS, SPARSE)
    q = ALL.ordered(Order("at", descending))
    got = ids((await store.query(ITEMS, "ws1", q)).items)
    assert len(got) == len(SPARSE) and set(got) == {d["id"] for d in SPARSE}
    if descending:  # values first, highest first; the documents lacking the field last
        assert got[:3] == _valued_in_order(True) and set(got[3:]) == LACKING
    else:  # the documents lacking the field first; then the values, lowest first
        assert set(got[:4]) == LACKING and got[4:] == _valued_in_order(False)
    assert await store.count(ITEMS, "ws1", Query(order_by=q.order_by)) == len(SPARSE)
    window = ids(await store.window(ITEMS, "ws1", q, 2, 4))
    assert window == got[2:6]


@pytest.mark.parametrize("page_size", [1, 2, 3])
@pytest.mark.parametrize("descending", [False, True])
async def test_paging_through_documents_without_the_sort_field(store, page_size, descending):
    await store.upsert_many(ITEMS, SPARSE)
    docs, _sizes = await drain(store, ITEMS, "ws1", ALL.ordered(Order("at", descending)), page_size)
    assert sorted(ids(docs)) == sorted(d["id"] for d in SPARSE)  # no gaps, no duplicates
    tail = [i for i in ids(docs) if i in VALUED]
    assert tail == _valued_in_order(descending)


async def test_cross_partition_ordering_keeps_documents_without_the_sort_field(store):
    await store.upsert_many(ITEMS, SPARSE + [{**d, "workspaceId": "ws2"} for d in SPARSE])
    got = (await store.query_cross_partition(ITEMS, ALL.ordered(Order("at", True)), max_items=100)).items
    assert len(got) == 2 * len(SPARSE)
    assert [d.get("at") for d in got[:6]] == ["2026-01-03"] * 2 + ["2026-01-02"] * 2 + ["2026-01-01"] * 2


async def test_any_of_and_conjunction(loaded):
    q = Query((AnyOf((eq("name", "beta"), Filter("n", Op.GE, 4))), Filter("meta.kind", Op.NE, "notebook")))
    page = await loaded.query(ITEMS, "ws1", q)
    assert {d["id"] for d in page.items} == {"b", "e"} == expected(q.where)


@pytest.mark.parametrize("descending", [False, True])
async def test_ordering(loaded, descending):
    q = ALL.ordered(Order("n", descending))
    page = await loaded.query(ITEMS, "ws1", q)
    want = ["a", "b", "c", "d", "e"]
    assert ids(page.items) == (want[::-1] if descending else want)
    nested = await loaded.query(ITEMS, "ws1", Query((eq("meta.kind", "lake"),), (Order("meta.size", descending),)))
    assert ids(nested.items) == (["e", "c", "a"] if descending else ["a", "c", "e"])
    by_name = await loaded.query(ITEMS, "ws1", ALL.ordered(Order("name", descending)))
    names = [d["name"] for d in by_name.items]
    assert names == sorted(names, reverse=descending)  # binary (case-sensitive) string order


async def test_cross_partition_query_and_count(loaded):
    page = await loaded.query_cross_partition(ITEMS, Query((eq("name", "alpha"),)))
    assert sorted((d["workspaceId"], d["id"]) for d in page.items) == [("ws1", "a"), ("ws2", "a")]
    assert await loaded.count_cross_partition(ITEMS) == len(DOCS)
    assert await loaded.count_cross_partition(ITEMS, Query((Filter("tags", Op.HAS, "x"),))) == 3
    ordered = await loaded.query_cross_partition(ITEMS, ALL.ordered(Order("n", True)), max_items=3)
    assert [d["n"] for d in ordered.items] == [99, 5, 4]
    assert ordered.continuation


@pytest.mark.parametrize("page_size", [1, 2, 3, 100])
async def test_unordered_cross_partition_paging_returns_every_document_once(loaded, page_size):
    seen = [(d["workspaceId"], d["id"]) async for d in loaded.iterate_cross_partition(ITEMS, page_size=page_size)]
    assert len(seen) == len(DOCS) and len(set(seen)) == len(DOCS)
    filtered = [d["id"] async for d in loaded.iterate_cross_partition(ITEMS, Query((eq("name", "alpha"),)), page_size=page_size)]
    assert sorted(filtered) == ["a", "a"]


async def test_count(loaded):
    assert await loaded.count(ITEMS, "ws1") == 5
    assert await loaded.count(ITEMS, "ws2") == 2
    assert await loaded.count(ITEMS, "nobody") == 0
    assert await loaded.count(ITEMS, "ws1", Query((Filter("n", Op.GT, 1), Filter("n", Op.LT, 5)))) == 3


# -- paging ------------------------------------------------------------------------------------
def _many(pk: str, n: int) -> list[dict]:
    # "rank" has ties (i // 3) so pages cut through equal sort keys
    return [{"id": f"d{i:03d}", "workspaceId": pk, "seq": i, "rank": i // 3, "even": i % 2 == 0} for i in range(n)]


@pytest.mark.parametrize("page_size", [1, 7, 25, 100])
async def test_paging_has_no_gaps_or_duplicates(store, page_size):
    await store.upsert_many(ITEMS, _many("ws1", 25) + _many("ws2", 4))
    for q in (ALL, ALL.ordered(Order("seq", True)), ALL.ordered(Order("rank")), Query((eq("even", True),))):
        docs, sizes = await drain(store, ITEMS, "ws1", q, page_size)
        want = [d for d in _many("ws1", 25) if all(matches(d, c) for c in q.where)]
        assert sorted(ids(docs)) == sorted(ids(want)), q
        assert len(ids(docs)) == len(set(ids(docs)))
        assert all(s == page_size for s in sizes[:-1]), sizes  # every page but the last is full
        if q.order_by:
            key = q.order_by[0]
            values = [d[key.field] for d in docs]
            assert values == sorted(values, reverse=key.descending)


async def test_cross_partition_paging(store):
    await store.upsert_many(ITEMS, _many("ws1", 9) + _many("ws2", 8) + _many("ws3", 3))
    seen, token = [], None
    while True:
        page = await store.query_cross_partition(ITEMS, Query((Filter("seq", Op.GE, 1),)), max_items=4, continuation=token)
        seen.extend((d["workspaceId"], d["id"]) for d in page.items)
        token = page.continuation
        if not token:
            break
    assert len(seen) == len(set(seen)) == 8 + 7 + 2


async def test_window(store):
    await store.upsert_many(ITEMS, _many("ws1", 30) + _many("ws2", 30))
    q = ALL.ordered(Order("seq", True))
    full = [f"d{i:03d}" for i in range(29, -1, -1)]
    assert ids(await store.window(ITEMS, "ws1", q, 0, 10)) == full[0:10]
    assert ids(await store.window(ITEMS, "ws1", q, 12, 5)) == full[12:17]
    assert ids(await store.window(ITEMS, "ws1", q, 27, 10)) == full[27:]
    assert await store.window(ITEMS, "ws1", q, 40, 10) == []
    assert await store.window(ITEMS, "ws1", q, 3, 0) == []
    filtered = await store.window(ITEMS, "ws1", Query((eq("even", True),), (Order("seq"),)), 2, 3)
    assert ids(filtered) == ["d004", "d006", "d008"]
    assert all(d["workspaceId"] == "ws1" for d in await store.window(ITEMS, "ws1", q, 0, 100))
    with pytest.raises(InvalidQuery):
        await store.window(ITEMS, "ws1", q, -1, 5)


async def test_window_across_partitions(store):
    """The workspace list: one ordered window over every partition (workspaces are filed under
    their owners), with a filter that reaches several partitions; a write forgets page ends."""
    docs = _many("ws1", 30) + [{**d, "id": "e" + d["id"], "seq": d["seq"] + 0.5} for d in _many("ws2", 30)]
    await store.upsert_many(ITEMS, docs)
    q = Query((AnyOf((eq("workspaceId", "ws1"), AllOf((eq("workspaceId", "ws2"), eq("even", True))))),), (Order("seq", True),))
    want = [d["id"] for d in sorted((d for d in docs if matches(d, q.where[0])), key=lambda d: -d["seq"])]
    assert len(want) == 45
    got = []
    for offset in range(0, 50, 10):
        got += ids(await store.window_cross_partition(ITEMS, q, offset, 10))
    assert got == want
    assert await store.window_cross_partition(ITEMS, q, 45, 10) == []
    await store.upsert(ITEMS, {"id": "zz", "workspaceId": "ws2", "seq": 1000, "even": True})
    assert ids(await store.window_cross_partition(ITEMS, q, 0, 2)) == ["zz", want[0]]
    assert ids(await store.window_cross_partition(ITEMS, q, 10, 2)) == want[9:11]
    with pytest.raises(InvalidQuery):
        await store.window_cross_partition(ITEMS, q, -1, 5)


async def test_all_of_nests_inside_any_of(loaded):
    q = Query((AnyOf((AllOf((eq("name", "alpha"), Filter("n", Op.GE, 3))), eq("name", "beta"))),))
    page = await loaded.query(ITEMS, "ws1", q)
    assert {d["id"] for d in page.items} == expected(q.where)
    assert await loaded.count_cross_partition(ITEMS, q) == sum(1 for d in DOCS if matches(d, q.where[0]))


async def test_upsert_many(store):
    n = await store.upsert_many(ITEMS, _many("ws1", 120))
    assert n == 120
    assert await store.count(ITEMS, "ws1") == 120
    again = await store.upsert_many(ITEMS, [{**d, "seq": -1} for d in _many("ws1", 10)])
    assert again == 10
    assert await store.count(ITEMS, "ws1", Query((eq("seq", -1),))) == 10
    assert await store.count(ITEMS, "ws1") == 120


# -- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "doc",
    [
        {"workspaceId": "ws1"},
        {"id": "", "workspaceId": "ws1"},
        {"id": 7, "workspaceId": "ws1"},
        {"id": "x"},
        {"id": "x", "workspaceId": ""},
        {"id": "x", "workspaceId": 5},
        {"id": "a/b", "workspaceId": "ws1"},
        {"id": "a#b", "workspaceId": "ws1"},
        {"id": "x", "workspaceId": "ws1", "bad": float("nan")},
        {"id": "x", "workspaceId": "ws1", "bad": object()},
    ],
    ids=["no-id", "empty-id", "int-id", "no-pk", "empty-pk", "int-pk", "slash-id", "hash-id", "nan", "object"],
)
async def test_bad_documents_are_refused(store, doc):
    for write in (store.create, store.upsert, store.replace):
        with pytest.raises(InvalidQuery):
            await write(ITEMS, doc)
    with pytest.raises(InvalidQuery):
        await store.upsert_many(ITEMS, [{"id": "fine", "workspaceId": "ws1"}, doc])
    assert await store.count(ITEMS, "ws1") == 0  # nothing of the batch was written


async def test_bad_queries_are_refused(store):
    await store.upsert_many(ITEMS, _many("ws1", 5))
    with pytest.raises(InvalidQuery):
        await store.query(ITEMS, "ws1", continuation="not a token")
    with pytest.raises(InvalidQuery):
        await store.query(ITEMS, "ws1", continuation="eyJvIjogLTF9")  # base64 JSON, but not ours
    with pytest.raises(InvalidQuery):
        await store.query_cross_partition(ITEMS, continuation="%%%")
    with pytest.raises(InvalidQuery):
        await store.query(ITEMS, "ws1", max_items=0)
    with pytest.raises(InvalidQuery):
        await store.get("no-such-container", "p", "x")
    with pytest.raises(InvalidQuery):
        await store.query(ITEMS, "ws1", Query((eq("tags", ["x"]),)))
    with pytest.raises(InvalidQuery):
        Filter("a; DROP TABLE x", Op.EQ, 1)
    with pytest.raises(InvalidQuery):
        Filter("n", Op.IN, [])
    with pytest.raises(InvalidQuery):
        Filter("n", Op.EQ, None)  # a null never compares; IS_NULL says what is meant


# -- strings are data, never syntax ------------------------------------------------------------
NASTY = [
    "[bold red]not markup[/]",
    "\x1b[31mred\x1b[0m and \x07 bell",
    "line\nbreak\ttab \\n literal backslash-n",
    "quote \" and ' and `",
    "日本語 ✓ 🚀 é (NFC) e\u0301 (NFD)",
    "@p0 ' OR 1=1 --",
    "\\u0041 not an escape",
    "nul \x00 inside",
    "} {\"json\": true}",
]


async def test_strange_strings_round_trip_literally(store):
    docs = [{"id": f"s{i}", "workspaceId": "ws1", "text": s, "list": [s]} for i, s in enumerate(NASTY)]
    await store.upsert_many(ITEMS, docs)
    for i, s in enumerate(NASTY):
        got = await store.get(ITEMS, "ws1", f"s{i}")
        assert got["text"] == s and got["list"] == [s]
        if "\x00" in s:
            continue  # stored and read back intact, but SQLite's string functions stop at NUL
        by_eq = await store.query(ITEMS, "ws1", Query((eq("text", s),)))
        assert ids(by_eq.items) == [f"s{i}"]
        assert ids((await store.query(ITEMS, "ws1", Query((Filter("list", Op.HAS, s),)))).items) == [f"s{i}"]
        assert ids((await store.query(ITEMS, "ws1", Query((Filter("text", Op.STARTSWITH, s[:3]),)))).items) == [
            d["id"] for d in docs if d["text"].startswith(s[:3])
        ]
    weird_id = "id [with] brackets \x1b[0m ü"
    await store.create(ITEMS, {"id": weird_id, "workspaceId": "ws [1]", "v": 1})
    assert (await store.get(ITEMS, "ws [1]", weird_id))["v"] == 1
    contains = await store.query(ITEMS, "ws1", Query((Filter("text", Op.CONTAINS, "[/]"),)))
    assert ids(contains.items) == ["s0"]


# -- bookkeeping ---------------------------------------------------------------------------------
async def test_request_charges_are_recorded_per_call(store):
    mark = store.charges.mark()
    await store.create(WS, {"id": "w1", "tenantId": "t1"})
    await store.get(WS, "t1", "w1")
    await store.query(WS, "t1")
    await store.count(WS, "t1")
    ru, calls = store.charges.since(mark)
    assert calls == 4
    assert set(store.charges.by_operation) >= {"create", "get", "query", "count"}
    if store.kind == "cosmos":
        assert ru > 0  # every Cosmos response carries x-ms-request-charge
    else:
        assert ru == 0


async def test_describe_names_where_the_data_lives(store):
    text = store.describe()
    assert text and ("Cosmos DB 127.0.0.1" in text if store.kind == "cosmos" else "loom.db" in text)
