"""Wire the store adapter a profile asks for (decided once, at start-up)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from loom_tui import paths

from .port import DocumentStore

if TYPE_CHECKING:
    from loom_tui.config import Profile


def make_store(profile: "Profile", *, data_dir: str | None = None, credential=None) -> DocumentStore:
    if profile.store == "cosmos":
        from .cosmos import CosmosStore  # lazy: the Azure SDK loads only for Cosmos profiles

        return CosmosStore.from_profile(profile, credential=credential)
    from .sqlite import SqliteStore

    return SqliteStore(paths.data_dir(data_dir or profile.data_dir))
