"""The item-type catalog: 90 item types in 21 categories (from the CSA Loom web console)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def facts() -> dict:
    return json.loads(resources.files("loom_tui.data").joinpath("csa-loom-facts.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def item_types_by_category() -> dict[str, tuple[str, ...]]:
    return {cat: tuple(types) for cat, types in facts()["item_types_by_category"].items()}


@lru_cache(maxsize=1)
def item_types() -> tuple[str, ...]:
    return tuple(t for types in item_types_by_category().values() for t in types)

