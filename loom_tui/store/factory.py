"""Wire the store adapter a profile asks for (decided once, at start-up)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from loom_tui import paths

from .port import DocumentStore

if TYPE_CHECKING:
    from loom_tui.config import Profile


def make_store(profile: "Profile", *, data_dir: str | None = None, credential=None, read_only: bool = False) -> DocumentStore:
    """``read_only``: the store creates nothing on open (no database, no containers, no file)
    and refuses every write."""
    if profile.store == "cosmos":
        from .cosmos import CosmosStore  # lazy: the Azure SDK loads only for Cosmos profiles

        store: DocumentStore = CosmosStore.from_profile(profile, credential=credential)
    else:
        from .sqlite import SqliteStore

        store = SqliteStore(paths.data_dir(data_dir or profile.data_dir))
    store.read_only = read_only
    return store
