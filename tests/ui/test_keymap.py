"""Keys can be remapped in the config file by binding id (Posting-style)."""

from __future__ import annotations

from loom_tui.app import LoomApp
from loom_tui.screens.workspaces.form import WorkspaceForm
from loom_tui.widgets.header import LoomHeader

from .helpers import wait_for, wait_ready


async def test_config_keys_table_remaps_bindings(tmp_path, monkeypatch):
    cfg = tmp_path / "keys.toml"
    cfg.write_text('[keys]\n"area.cost" = "f4"\n"ws.new" = "ctrl+n"\n')
    monkeypatch.setenv("LOOM_CONFIG", str(cfg))
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceForm))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, WorkspaceForm))
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.screen.query(LoomHeader) and app.screen.query_one(LoomHeader).area == "Cost")


def test_an_earlier_loom_s_name_of_the_dlz_area_still_binds(tmp_path):
    """The DLZ area was called Setup: a [keys] table written then still binds, under today's ids."""
    from loom_tui.config import load_config
    from loom_tui.services.binding_ids import unknown_binding_ids

    cfg = tmp_path / "k.toml"
    cfg.write_text('[keys]\n"area.setup" = "f5"\n"setup.next" = "ctrl+j"\n"ws.new" = "ctrl+n"\n"setupx.y" = "z"\n')
    keys = load_config(cfg).keys
    assert keys == {"area.dlz": "f5", "dlz.next": "ctrl+j", "ws.new": "ctrl+n", "setupx.y": "z"}
    assert unknown_binding_ids(keys) == ["setupx.y"]


def test_a_bad_keys_table_names_the_file_and_key(tmp_path):
    from loom_tui.config import ConfigError, load_config

    cfg = tmp_path / "k.toml"
    cfg.write_text('[keys]\n"ws.new" = 5\n')
    try:
        load_config(cfg)
    except ConfigError as exc:
        assert exc.key == "keys" and str(cfg) in str(exc)
    else:
        raise AssertionError("a bad keys table was accepted")


async def test_an_unknown_binding_id_is_reported_in_the_console(tmp_path, monkeypatch):
    cfg = tmp_path / "keys.toml"
    cfg.write_text('[keys]\n"ws.nwe" = "ctrl+n"\n"area.cost" = "f4"\n')
    monkeypatch.setenv("LOOM_CONFIG", str(cfg))
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await wait_for(pilot, lambda: any("ws.nwe" in str(n.message) for n in app._notifications))
        note = next(n for n in app._notifications if "ws.nwe" in str(n.message))
        assert note.severity == "warning" and "'area.cost'" not in str(note.message)


def _live_binding_ids() -> tuple[set[str], list[str]]:
    """Every binding id of the app and of every screen and widget class of loom (imported for
    real), and the modules that could not be imported (a half-landed area)."""
    import importlib
    import inspect
    import pkgutil

    import loom_tui.screens
    import loom_tui.widgets
    from textual.dom import DOMNode

    ids = {b.id for b in LoomApp.BINDINGS if getattr(b, "id", None)}
    names = ["loom_tui.shell.field_ready"]
    for pkg in (loom_tui.screens, loom_tui.widgets):
        names += [info.name for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".", onerror=lambda name: None)]
    broken = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError:
            broken.append(name)
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                ids |= {b.id for b in cls.BINDINGS if hasattr(b, "id") and b.id}
    return ids, broken


def test_the_ids_known_without_textual_are_the_live_binding_ids():
    from pathlib import Path

    import loom_tui
    from loom_tui.services.binding_ids import _ids_in, known_binding_ids

    live, broken = _live_binding_ids()
    known = known_binding_ids()
    assert live <= known  # a real key is never reported as unknown
    root = Path(loom_tui.__file__).parent
    unimportable = set()
    for name in broken:
        path = root.joinpath(*name.split(".")[1:])
        for f in ([path / "__init__.py"] if path.is_dir() else [path.with_suffix(".py")]):
            unimportable |= _ids_in(f.read_text(encoding="utf-8"))
    assert known - live <= unimportable  # and nothing is "known" that no screen has
    assert {"area.workspaces", "area.cost", "ws.new"} <= known
