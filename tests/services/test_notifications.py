"""Notifications: the newest 50, unread count, mark one / all read; each user sees only theirs."""

from __future__ import annotations

import pytest

from loom_tui.errors import NotFoundError, ReadOnlyError

from .conftest import USERS


async def test_seeded_notifications_newest_first_and_unread_count(ctx):
    notes = await ctx.notifications.newest()
    assert len(notes) == 12
    assert [n["createdAt"] for n in notes] == sorted((n["createdAt"] for n in notes), reverse=True)
    assert await ctx.notifications.unread_count() == sum(1 for n in notes if not n["read"]) == 5


async def test_mark_one_then_all_read(ctx):
    unread = [n for n in await ctx.notifications.newest() if not n["read"]]
    marked = await ctx.notifications.mark_read(unread[0]["id"])
    assert marked["read"] is True and marked["readAt"]
    assert await ctx.notifications.unread_count() == 4
    assert (await ctx.notifications.mark_read(unread[0]["id"]))["read"] is True  # idempotent
    assert await ctx.notifications.unread_count() == 4
    assert await ctx.notifications.mark_all_read() == 4
    assert await ctx.notifications.unread_count() == 0
    assert await ctx.notifications.mark_all_read() == 0


async def test_newest_is_capped_at_50(ctx):
    for i in range(60):
        await ctx.scoped.notify(ctx.session.user_oid, {"id": f"n{i:03d}", "title": "t", "body": "b", "severity": "info",
                                                       "link": None, "read": False, "createdAt": f"2099-01-01T00:00:{i % 60:02d}.{i:03d}Z"})
    notes = await ctx.notifications.newest()
    assert len(notes) == 50 and notes[0]["id"] == "n059"
    assert await ctx.notifications.unread_count() == 65
    assert await ctx.notifications.mark_all_read() == 65  # more than one page of unread


async def test_users_see_and_mark_only_their_own(ctx, open_as):
    dana = await open_as("dana.steward")
    assert await dana.notifications.newest() == [] and await dana.notifications.unread_count() == 0
    mine = (await ctx.notifications.newest())[0]
    with pytest.raises(NotFoundError):
        await dana.notifications.mark_read(mine["id"])
    await ctx.scoped.notify(USERS["dana.steward"][0], {"id": "for-dana", "title": "hi", "body": "", "read": False, "createdAt": "2099-01-01T00:00:00.000Z"})
    assert await dana.notifications.unread_count() == 1
    assert await ctx.notifications.unread_count() == 5


async def test_read_only_refuses_marking(ctx, open_as):
    ro = await open_as(read_only=True)
    note = [n for n in await ro.notifications.newest() if not n["read"]][0]
    for coro in (ro.notifications.mark_read(note["id"]), ro.notifications.mark_all_read()):
        with pytest.raises(ReadOnlyError):
            await coro
    assert await ctx.notifications.unread_count() == 5
