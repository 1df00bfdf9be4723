"""The one read-change-write loop (services/etag_edit.py): a write that loses to another writer is
re-applied on a fresh read, a gone document is the caller's ``missing``, and after the last attempt
the caller's words are raised — and every concurrent change through it lands (real store)."""

from __future__ import annotations

import asyncio

import pytest

from loom_tui.errors import ConflictError
from loom_tui.services.etag_edit import edit_with_etag
from loom_tui.store.errors import PreconditionFailed
from loom_tui.store.sqlite import SqliteStore


async def test_concurrent_increments_through_the_loop_all_land(tmp_path):
    store = SqliteStore(tmp_path)
    await store.open()
    try:
        await store.create("tenant-settings", {"id": "counter", "tenantId": "t", "n": 0})

        async def bump() -> dict:
            async def write(doc: dict) -> dict:
                await asyncio.sleep(0)  # let the others read the same ETag
                return await store.replace("tenant-settings", {**doc, "n": doc["n"] + 1}, if_match=doc["_etag"])

            return await edit_with_etag(lambda: store.get("tenant-settings", "t", "counter"), write,
                                        gave_up="gave up", attempts=50)

        await asyncio.gather(*(bump() for _ in range(12)))
        assert (await store.get("tenant-settings", "t", "counter"))["n"] == 12
    finally:
        await store.close()


async def test_gives_up_with_the_callers_words_and_a_gone_document_is_missing():
    reads = 0

    async def read() -> dict:
        nonlocal reads
        reads += 1
        return {"id": "x"}

    async def always_loses(doc: dict) -> None:
        raise PreconditionFailed("tenant-settings", "x")

    with pytest.raises(ConflictError, match="the thing kept changing"):
        await edit_with_etag(read, always_loses, gave_up="the thing kept changing", attempts=3)
    assert reads == 3

    async def gone() -> None:
        return None

    assert await edit_with_etag(gone, always_loses, missing=lambda: "gone", gave_up="-") == "gone"
