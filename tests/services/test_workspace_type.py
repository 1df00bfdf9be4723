"""The workspace the services hand out (``domain.workspace.Workspace``): typed fields read from any
document the web console may have written, and the stored document kept beside them for writes."""

from __future__ import annotations

from loom_tui.domain.workspace import Workspace
from loom_tui.services.workspaces.service import WorkspaceInput

HOSTILE = "[bold red]x[/] \x1b]52;c;QUFB\x07 \u202eevil"


def test_a_console_document_with_missing_fields_reads_as_empty_not_as_an_error() -> None:
    ws = Workspace.from_doc({"id": "w-bare"})
    assert (ws.id, ws.name, ws.description, ws.domain, ws.capacity) == ("w-bare", "", "", "", "")
    assert ws.state == "Active" and ws.item_count is None and ws.etag is None and not ws.pinned


def test_odd_typed_fields_are_read_literally() -> None:
    doc = {"id": 7, "name": HOSTILE, "description": None, "capacity": 64, "state": "", "itemCount": "12",
           "createdAt": 0, "_etag": 5, "memberUpns": None}
    ws = Workspace.from_doc(doc)
    assert ws.id == "7" and ws.name == HOSTILE and ws.capacity == "64" and ws.created_at == "0" and ws.etag == "5"
    assert ws.description == "" and ws.state == "Active"
    assert ws.item_count is None  # text is not a count
    assert Workspace.from_doc({"id": "w", "itemCount": True}).item_count is None  # nor is a boolean
    assert ws.doc is doc  # the document itself, for writes


def test_equality_and_repr_leave_the_document_out() -> None:
    a = Workspace.from_doc({"id": "w", "name": "n", "consoleOnly": 1})
    b = Workspace.from_doc({"id": "w", "name": "n", "consoleOnly": 2})
    assert a == b and "consoleOnly" not in repr(a)


async def test_an_edit_of_a_console_written_workspace_keeps_what_loom_does_not_know(ctx) -> None:
    made = await ctx.workspaces.create(WorkspaceInput(name="Console edited", description="d"))
    raw = dict((await ctx.scoped.workspace(made.id)).doc)
    # the web console stored fields loom does not know, and values of types loom does not expect
    raw.update(name=HOSTILE, itemCount="many", consoleTheme={"accent": "teal"}, tags=["a", "b"])
    await ctx.store.upsert("workspaces", raw)
    seen = await ctx.workspaces.get(made.id)
    assert seen.name == HOSTILE and seen.item_count is None and seen.doc["consoleTheme"] == {"accent": "teal"}
    edited = await ctx.workspaces.update(made.id, {"description": "edited in loom"}, etag=seen.etag, base=seen)
    assert edited.description == "edited in loom" and edited.name == HOSTILE  # an unchanged name is kept as stored
    stored = (await ctx.scoped.workspace(made.id)).doc
    assert stored["consoleTheme"] == {"accent": "teal"} and stored["tags"] == ["a", "b"] and stored["itemCount"] == "many"
    assert stored["_etag"] == edited.etag != seen.etag
    found = await ctx.workspaces.find(made.id)
    assert found == edited and found.doc["description"] == "edited in loom"
