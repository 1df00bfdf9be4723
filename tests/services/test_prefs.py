"""User preferences (view mode, pins, sort) and search history (last 20 distinct, newest first)."""

from __future__ import annotations

import asyncio

import pytest

from loom_tui.domain.workspace import SortKey, WorkspaceView
from loom_tui.errors import NotFoundError, ReadOnlyError, ValidationError
from loom_tui.services.prefs import HISTORY_LIMIT, Prefs


async def _ids(ctx, n: int) -> list[str]:
    return [w.id for w in await ctx.workspaces.window(WorkspaceView(), 0, n)]


async def test_defaults(ctx):
    assert await ctx.prefs.get() == Prefs(view_mode="list", pinned=(), sort=SortKey.LAST_ACCESSED, descending=True)


async def test_pins_round_trip_across_sessions_of_the_same_user(ctx, open_as):
    a, b, c = await _ids(ctx, 3)
    await ctx.prefs.pin(a)
    await ctx.prefs.pin(b)
    await ctx.prefs.pin(a)  # pinning again moves nothing twice
    again = await open_as()  # a second terminal of the same user
    assert (await again.prefs.get()).pinned == (b, a)
    await again.prefs.toggle_pin(b)
    await again.prefs.toggle_pin(c)
    assert (await ctx.prefs.get()).pinned == (a, c)
    await ctx.prefs.unpin(a)
    assert (await ctx.prefs.get()).pinned == (c,)
    # another user's prefs are separate
    dana = await open_as("dana.steward")
    assert (await dana.prefs.get()).pinned == ()


async def test_concurrent_pins_from_two_terminals_both_survive(ctx, open_as):
    ids = await _ids(ctx, 6)
    other = await open_as()
    await ctx.prefs.set_view_mode("tile")  # the prefs document exists before the race
    await asyncio.gather(*(c.prefs.pin(i) for c, i in zip((ctx, other) * 3, ids)))
    assert set((await ctx.prefs.get()).pinned) == set(ids)


async def test_pin_refuses_unknown_or_invisible_workspaces(ctx, open_as):
    with pytest.raises(NotFoundError):
        await ctx.prefs.pin("no-such-workspace")
    mo = await open_as("mo.contractor")
    hidden = [w.id for w in await ctx.workspaces.window(WorkspaceView(), 0, 40) if "mo.contractor@contoso-demo.example" not in w.doc["memberUpns"]]
    with pytest.raises(NotFoundError):
        await mo.prefs.pin(hidden[0])
    assert (await mo.prefs.get()).pinned == ()


async def test_view_mode_and_sort(ctx):
    assert (await ctx.prefs.set_view_mode("tile")).view_mode == "tile"
    p = await ctx.prefs.set_sort(SortKey.ITEMS, False)
    assert (p.sort, p.descending, p.view_mode) == (SortKey.ITEMS, False, "tile")
    for bad in ("grid", "[bold]", ""):
        with pytest.raises(ValidationError):
            await ctx.prefs.set_view_mode(bad)
    with pytest.raises(ValidationError):
        await ctx.prefs.set_sort("nope", True)  # type: ignore[arg-type]
    assert (await ctx.prefs.get()).view_mode == "tile"


async def test_unknown_fields_are_kept(ctx):
    await ctx.scoped.user_upsert("user-prefs", {"id": "prefs", "theme": "nord", "dismissedHints": ["x"]})
    await ctx.prefs.set_view_mode("tile")
    doc = await ctx.scoped.user_get("user-prefs", "prefs")
    assert doc["theme"] == "nord" and doc["dismissedHints"] == ["x"] and doc["viewMode"] == "tile"


async def test_read_only_refuses_pref_changes_and_skips_history(ctx, open_as):
    ro = await open_as(read_only=True)
    (a,) = await _ids(ctx, 1)
    for coro in (ro.prefs.pin(a), ro.prefs.set_view_mode("tile"), ro.prefs.set_sort(SortKey.NAME, True)):
        with pytest.raises(ReadOnlyError):
            await coro
    assert await ro.prefs.record_search("ledger") is False
    assert await ctx.prefs.get() == Prefs() and await ctx.prefs.recent_searches() == []


async def test_search_history_keeps_last_20_distinct_newest_first(ctx):
    for i in range(25):
        assert await ctx.prefs.record_search(f"term {i}")
    recent = await ctx.prefs.recent_searches()
    assert recent == [f"term {i}" for i in range(24, 4, -1)]
    assert len(recent) == HISTORY_LIMIT
    # re-searching an old term (any case, extra spaces) moves it to the front without a duplicate
    await ctx.prefs.record_search("  TERM 10 ")
    recent = await ctx.prefs.recent_searches()
    assert recent[0] == "TERM 10" and len(recent) == 20 and sum(r.lower() == "term 10" for r in recent) == 1
    assert await ctx.prefs.recent_searches(prefix="term 2") == ["term 24", "term 23", "term 22", "term 21", "term 20"]
    # stored documents are pruned, not just hidden
    assert await ctx.scoped.user_count("search-history") == 20


async def test_search_history_scopes_and_bad_input(ctx):
    await ctx.prefs.record_search("orders", scope="items")
    await ctx.prefs.record_search("[bold]ledger[/] 数据 🚀")
    assert await ctx.prefs.recent_searches(scope="items") == ["orders"]
    assert await ctx.prefs.recent_searches() == ["[bold]ledger[/] 数据 🚀"]
    assert await ctx.prefs.record_search("   ") is False
    for bad in ("\x1b[31mred", "x" * 10_000):
        with pytest.raises(ValidationError):
            await ctx.prefs.record_search(bad)
    assert await ctx.scoped.user_count("search-history") == 2
