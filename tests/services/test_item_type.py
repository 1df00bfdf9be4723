"""The item the services hand out (``domain.item.Item``): typed fields read from any document the
web console may have written, and the stored document kept beside them for writes."""

from __future__ import annotations

from loom_tui.domain.item import Item
from loom_tui.services.workspaces.items import ItemInput

HOSTILE = "[bold red]x[/] \x1b]52;c;QUFB\x07 \u202eevil"


def test_an_item_with_missing_or_odd_fields_reads_without_error() -> None:
    bare = Item.from_doc({"id": "i-bare"})
    assert (bare.id, bare.item_type, bare.display_name, bare.folder_id, bare.sql_endpoint_for, bare.etag) == (
        "i-bare", "", "", None, None, None)
    odd = Item.from_doc({"id": 3, "displayName": HOSTILE, "itemType": None, "folderId": "", "state": "broken", "_etag": 9})
    assert odd.id == "3" and odd.display_name == HOSTILE and odd.item_type == "" and odd.etag == "9"
    assert odd.folder_id is None and odd.sql_endpoint_for is None  # a state that is not an object names no lakehouse
    twin = Item.from_doc({"id": "t", "state": {"sqlEndpointFor": "lh-1"}, "folderId": "f-1"})
    assert twin.sql_endpoint_for == "lh-1" and twin.folder_id == "f-1"


async def test_a_rename_of_a_console_written_item_keeps_what_loom_does_not_know(team) -> None:
    c = team.owner
    made = await c.items.create(team.id, ItemInput("notebook", "console nb"))
    raw = {**made.doc, "displayName": HOSTILE, "sensitivityLabel": {"id": "conf"}, "description": 42}
    await c.store.upsert("items", raw)
    seen = await c.items.get(team.id, made.id)
    assert seen.display_name == HOSTILE and seen.description == "42" and seen.doc["sensitivityLabel"] == {"id": "conf"}
    renamed = await c.items.rename(team.id, made.id, "plain now", etag=seen.etag)
    stored = await c.store.get("items", team.id, made.id)
    assert renamed.display_name == stored["displayName"] == "plain now" and renamed.etag == stored["_etag"]
    assert stored["sensitivityLabel"] == {"id": "conf"} and stored["description"] == 42  # kept as it was, not as text
