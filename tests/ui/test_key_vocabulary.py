"""Issue 13: one key vocabulary across screens — a key that means a verb somewhere means that
verb everywhere (``loom_tui/screens/key_vocabulary.py``, printed in ``?`` and the README); ctrl+r
refreshes on every area screen."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from textual.dom import DOMNode

import loom_tui.screens
import loom_tui.widgets
from loom_tui.app import LoomApp
from loom_tui.areas import AREAS
from loom_tui.screens.key_vocabulary import QUESTIONS, VOCABULARY, allowed
from loom_tui.screens.modals.help import HelpScreen

from .helpers import until_idle, wait_for, wait_ready

NOT_YET: set[str] = set()  # screens not on the vocabulary yet: none


def every_class_with_bindings() -> list[type]:
    for package in (loom_tui.screens, loom_tui.widgets):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
    seen, out, todo = set(), [], [DOMNode]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
                if sub.__module__.startswith("loom_tui.") and "BINDINGS" in vars(sub):
                    out.append(sub)
    return out


def test_every_binding_on_a_vocabulary_key_carries_that_verb():
    wrong = []
    classes = every_class_with_bindings()
    assert len(classes) > 20
    for cls in classes:
        if cls.__name__ in NOT_YET | QUESTIONS:
            continue
        for b in cls.BINDINGS:
            for key in (k.strip() for k in b.key.split(",")):
                ok = allowed(key)
                if ok is not None and b.description and b.description not in ok:
                    wrong.append(f"{cls.__name__}: {key} = {b.description}")
    assert wrong == []


async def test_ctrl_r_refreshes_on_every_area_screen_and_help_prints_the_vocabulary():
    app = LoomApp()
    async with app.run_test(size=(80, 40)) as pilot:
        await wait_ready(pilot)
        for area in AREAS:
            await pilot.press(area.key)
            await wait_for(pilot, lambda: getattr(app.screen, "AREA", "") == area.label and app.screen.is_mounted)
            keys = {k: a.binding.action for k, a in app.screen.active_bindings.items()}
            assert "ctrl+r" in keys, area.label
        await pilot.press("1")
        await wait_for(pilot, lambda: getattr(app.screen, "AREA", "") == "Workspaces")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen) and app.screen.is_mounted)
        from textual.widgets import Static

        def plain(widget) -> str:
            content = widget.content
            if hasattr(content, "columns"):  # a rich Table of Text cells
                return "\n".join(cell.plain for column in content.columns for cell in column._cells)
            return getattr(content, "plain", str(content))

        text = "\n".join(plain(w) for w in app.screen.query(Static))
        assert "Same key, same verb" in text
        for key, verb, _ in VOCABULARY[:4]:
            assert verb[:30] in text


@pytest.mark.demo_today("2026-11-26")
def test_snapshot_help(snap_compare, monkeypatch):

    async def ready(pilot):
        await wait_ready(pilot)
        pilot.app.clear_notifications()
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen) and pilot.app.screen.is_mounted)
        await until_idle(pilot)

    assert snap_compare(LoomApp(), terminal_size=(80, 24), run_before=ready)
