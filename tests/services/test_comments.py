"""Comments on items, and @mentions notifying workspace members."""

from __future__ import annotations

import pytest

from loom_tui.services.workspaces.comments import mentions_in
from loom_tui.services.directory import NoDirectory, StaticDirectory
from loom_tui.errors import NotFoundError, ReadOnlyError, ValidationError
from loom_tui.services.workspaces.items import ItemInput

from .conftest import LITERAL_OK, LOOK_ALIKE, audit_of, repr_id, upn


@pytest.fixture
async def item(team):
    return await team.owner.items.create(team.id, ItemInput("notebook", "orders etl"))


def test_mentions_parser():
    body = "ping @Dana.Steward@contoso-demo.example and @sam.analyst@contoso-demo.example, again @dana.steward@contoso-demo.example. mail x@y.com"
    assert mentions_in(body) == ["dana.steward@contoso-demo.example", "sam.analyst@contoso-demo.example"]
    assert mentions_in("no mentions, email a@b.com") == []


async def test_add_and_list_comments(team, item):
    first = await team.contributor.comments.add(team.id, item.id, "first")
    await team.owner.comments.add(team.id, item.id, "second")
    page = await team.viewer.comments.list(team.id, item.id)
    assert [c.body for c in page.items] == ["first", "second"]
    assert page.items[0].upn == team.contributor.session.upn and page.items[0].doc["tenantId"] == team.owner.session.tenant_id
    newest = await team.viewer.comments.list(team.id, item.id, newest_first=True)
    assert [c.body for c in newest.items] == ["second", "first"]
    events = [e for e in await audit_of(team.owner, team.id, item.id) if e["action"] == "item.comment"]
    assert len(events) == 2 and events[-1]["diff"]["comment"] == [None, first.comment.id]


async def test_mention_notifies_the_member(team, item):
    before = await team.admin.notifications.unread_count()
    res = await team.contributor.comments.add(team.id, item.id, f"@{upn('dana.steward')} can you check [bold]this[/]?")
    assert res.notified == [upn("dana.steward")] and res.unresolved == []
    assert await team.admin.notifications.unread_count() == before + 1
    [note] = [n for n in await team.admin.notifications.newest() if n.get("itemId") == item.id]
    assert note["title"] == "Sam Analyst mentioned you"
    assert "[bold]this[/]" in note["body"] and "orders etl" in note["body"]
    assert note["read"] is False and note["userId"] == team.admin.session.user_oid and note["tenantId"] == team.admin.session.tenant_id
    # nobody else got it
    assert not [n for n in await team.viewer.notifications.newest() if n.get("itemId") == item.id]


async def test_mentions_of_non_members_and_self_notify_nobody(team, item, open_as):
    kim = await open_as("kim.scientist")
    res = await team.owner.comments.add(
        team.id, item.id, f"@{upn('kim.scientist')} @nobody@contoso-demo.example @{upn('lee.engineer')}"
    )
    assert res.notified == [] and res.unresolved == [upn("kim.scientist"), "nobody@contoso-demo.example"]
    assert await kim.notifications.unread_count() == 0
    assert res.comment.mentions == (upn("kim.scientist"), "nobody@contoso-demo.example", upn("lee.engineer"))


async def test_member_without_directory_entry_is_reported_unresolved(team, item):
    from loom_tui.services.workspaces.comments import CommentService

    # a member bound before their object id was known, in a tenant with no directory wired
    ws = await team.owner.scoped.workspace(team.id)
    await team.owner.scoped.ws_upsert(ws, "workspace-permissions", {"id": f"{team.id}:{upn('kim.scientist')}", "upn": upn("kim.scientist"), "role": "viewer"})
    res = await CommentService(team.owner.scoped, team.owner.gate, NoDirectory()).add(team.id, item.id, f"hi @{upn('kim.scientist')}")
    assert res.unresolved == [upn("kim.scientist")]
    # with a directory that knows kim, the same mention is delivered
    from loom_tui.wiring import demo_directory

    res = await CommentService(team.owner.scoped, team.owner.gate, demo_directory()).add(team.id, item.id, f"hi @{upn('kim.scientist')}")
    assert res.notified == [upn("kim.scientist")]
    assert isinstance(demo_directory(), StaticDirectory)


@pytest.mark.parametrize("body", LITERAL_OK + LOOK_ALIKE + ["multi\nline"], ids=repr_id)
async def test_bodies_stored_literally(team, item, body):
    res = await team.owner.comments.add(team.id, item.id, body)
    assert (await team.owner.comments.list(team.id, item.id)).items[-1].body == body == res.comment.body


@pytest.mark.parametrize("body", ["", "   ", "\x1b[31mred", "bell\x07", "x" * 10_000], ids=repr_id)
async def test_bad_bodies_refused_and_nothing_written(team, item, body):
    audit_before = len(await audit_of(team.owner, team.id, item.id))
    with pytest.raises(ValidationError):
        await team.owner.comments.add(team.id, item.id, body)
    assert (await team.owner.comments.list(team.id, item.id)).items == []
    assert len(await audit_of(team.owner, team.id, item.id)) == audit_before


async def test_unknown_item_and_read_only(team, item, open_as):
    with pytest.raises(NotFoundError):
        await team.owner.comments.add(team.id, "no-such-item", "x")
    with pytest.raises(NotFoundError):
        await team.owner.comments.list(team.id, "no-such-item")
    ro = await open_as("lee.engineer", read_only=True)
    with pytest.raises(ReadOnlyError):
        await ro.comments.add(team.id, item.id, f"@{upn('dana.steward')}")
    assert (await team.owner.comments.list(team.id, item.id)).items == []
    assert await team.admin.notifications.unread_count() == 0


def test_a_console_comment_with_odd_fields_reads_literally() -> None:
    from loom_tui.domain.comment import Comment

    odd = Comment.from_doc({"id": "c1", "body": None, "mentions": "someone@x.example", "authorName": "[b]Eve[/b]\x1b"})
    assert odd.body == "" and odd.mentions == () and odd.author_name == "[b]Eve[/b]\x1b" and odd.upn == ""
    listed = Comment.from_doc({"id": 7, "body": 42, "mentions": ["A@x.example", None]})
    assert (listed.id, listed.body, listed.mentions) == ("7", "42", ("A@x.example", ""))
