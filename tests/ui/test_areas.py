"""One registry of the areas (loom_tui/areas.py) drives the app's modes, keys, palette, header and help."""

from __future__ import annotations

import pytest

from loom_tui.app import LoomApp
from loom_tui.areas import AREAS, Area, area
from loom_tui.screens.base import AreaScreen
from loom_tui.screens.modals.help import GENERAL
from loom_tui.widgets.header import LoomHeader

from .helpers import wait_ready


def test_the_registry_lists_five_areas_with_unique_keys_and_names():
    assert [a.label for a in AREAS] == ["Workspaces", "Capacity", "Usage", "Cost", "DLZ"]
    assert len({a.key for a in AREAS}) == len({a.name for a in AREAS}) == len(AREAS)
    assert area("cost").binding_id == "area.cost"


@pytest.mark.parametrize("a", AREAS, ids=lambda a: a.name)
def test_each_area_screen_is_imported_lazily_by_its_string(a):
    try:
        cls = a.load()
    except ImportError as exc:  # an area whose helper has not landed all its parts yet
        pytest.skip(f"{a.screen}: {exc}")
    assert issubclass(cls, AreaScreen)
    assert cls.AREA == a.label


def test_modes_bindings_and_palette_come_from_the_registry():
    assert list(LoomApp.MODES) == [a.name for a in AREAS]
    bound = {b.id: (b.key, b.action) for b in LoomApp.BINDINGS if b.id and b.id.startswith("area.")}
    assert bound == {a.binding_id: (a.key, f"area('{a.name}')") for a in AREAS}
    assert GENERAL[0][0] == "1-5" and all(a.label in GENERAL[0][1] for a in AREAS)


def test_a_new_area_is_one_line(monkeypatch):
    """Registering an area is one entry: the header shows it (the app's modes and bindings are
    built from the same tuple when the class is defined)."""
    import loom_tui.widgets.header as header

    extra = (*AREAS, Area("6", "extra", "Extra", "loom_tui.screens.not_built:NotBuiltScreen"))
    monkeypatch.setattr(header, "AREAS", extra)
    h = LoomHeader()
    h.area = "Extra"
    assert "[6 Extra]" in h.render().plain


async def test_the_palette_offers_every_area():
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        # "Go to DLZ — deploy a Data Landing Zone (DLZ)": the words after the dash are what else finds it
        assert [t.split(" — ")[0] for t in titles if t.startswith("Go to ")] == [f"Go to {a.label}" for a in AREAS]
