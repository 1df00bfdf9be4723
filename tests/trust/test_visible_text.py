"""One rule for every path from data to a terminal: control characters (C0, C1, DEL), bidi
controls and zero-width characters shown as visible escapes; look-alike names refused on write."""

from __future__ import annotations

import ast
import io
from contextlib import redirect_stderr
from pathlib import Path

import pytest

from loom_tui.app import LoomApp
from loom_tui.commands.common import fail
from loom_tui.domain.text import visible
from loom_tui.screens.modals.prompt import TextPrompt
from loom_tui.screens.workspaces.detail import WorkspaceDetailScreen
from loom_tui.screens.workspaces.form import WorkspaceForm
from loom_tui.services.errors import ValidationError
from loom_tui.services.workspaces.items import ItemInput
from loom_tui.services.workspaces.service import WorkspaceInput
from loom_tui.widgets.safe_input import SafeInput
from loom_tui.widgets.virtual_table import VirtualTable
from tests.ui.helpers import screen_text, wait_for, wait_ready

PKG = Path(__file__).resolve().parents[2] / "loom_tui"
HOSTILE = "ok \x1b]52;c;cm0gLXJmIH4=\x07 \x9b2J \x7f \u202eevil\u2066 z\u200bw\ufeff"


@pytest.mark.parametrize("ch", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\x9d", "\u202a", "\u202e",
                                "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d",
                                "\u2060", "\ufeff", "\n", "\r", "\t"])
def test_every_control_bidi_and_zero_width_char_is_escaped(ch: str) -> None:
    out = visible(f"a{ch}b")
    assert ch not in out and out.isascii() and out.startswith("a\\") and out.endswith("b")


def test_ordinary_text_is_unchanged() -> None:
    for text in ("Sales [EU]", "Ünïcödé ✓ 数据 🚀", "[bold]x[/]", ""):
        assert visible(text) == text
    assert visible(None) == ""


def test_no_screen_uses_the_bare_textual_input() -> None:
    """Every text field goes through SafeInput (stored text in a field reached the terminal raw)."""
    offenders = []
    for path in PKG.rglob("*.py"):
        if path.name == "safe_input.py":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Input":
                offenders.append(f"{path.relative_to(PKG)}:{node.lineno}")
            if isinstance(node, ast.ClassDef) and any(isinstance(b, ast.Name) and b.id == "Input" for b in node.bases):
                offenders.append(f"{path.relative_to(PKG)}:{node.lineno} subclasses Input")
    assert offenders == []


async def test_safe_input_escapes_initial_assigned_and_pasted_values() -> None:
    from textual import events
    from textual.app import App

    class One(App):
        def compose(self):
            yield SafeInput(value=HOSTILE, id="f", select_on_focus=False)

    app = One()
    async with app.run_test() as pilot:
        field = app.query_one("#f", SafeInput)
        assert field.value == visible(HOSTILE)
        field.value = "\x1b[2J"
        assert field.value == "\\x1b[2J"
        field.focus()
        field.post_message(events.Paste("\x1b]8;;x\x07"))
        await wait_for(pilot, lambda: "]8;;x" in field.value)
        assert field.value == "\\x1b[2J\\x1b]8;;x\\x07"
        assert field.cursor_position == len(field.value)


def test_error_lines_are_escaped() -> None:
    from loom_tui.commands.output import report_error
    from loom_tui.errors import CommandError

    with pytest.raises(CommandError) as refused:
        fail(f"no workspace named {HOSTILE!s}")
    err = io.StringIO()
    with redirect_stderr(err):
        assert report_error("table", refused.value) == 2
    assert "\x1b" not in err.getvalue() and "\u202e" not in err.getvalue() and "\\x1b]52" in err.getvalue()


@pytest.mark.parametrize("bad", ["Sa\u200bles", "Sales\u202e", "\u2066Sales", "Sal\ufeffes", "Sa\u200dles"])
async def test_look_alike_names_are_refused_on_write(ctx, bad: str) -> None:
    with pytest.raises(ValidationError, match="invisible"):
        await ctx.workspaces.create(WorkspaceInput(name=bad))
    ws = await ctx.workspaces.create(WorkspaceInput(name="look-alike home"))
    with pytest.raises(ValidationError, match="invisible"):
        await ctx.items.create(ws.id, ItemInput("notebook", bad))
    item = await ctx.items.create(ws.id, ItemInput("notebook", "plain"))
    with pytest.raises(ValidationError, match="invisible"):
        await ctx.items.rename(ws.id, item.id, bad, etag=item.etag)
    with pytest.raises(ValidationError, match="invisible"):
        await ctx.folders.create(ws.id, bad)


async def _plant(app, ws_id: str, item_id: str) -> None:
    store = app.ctx.store
    doc = (await app.ctx.scoped.workspace(ws_id)).doc
    doc["name"] = HOSTILE
    await store.upsert("workspaces", doc)
    it = await store.get("items", ws_id, item_id)
    it["displayName"] = HOSTILE
    await store.upsert("items", it)


def _no_raw(text: str) -> None:
    assert not any(ch in text for ch in ("\x1b", "\x9b", "\x07", "\u202e", "\u200b", "\ufeff")), repr(text)


async def test_edit_form_shows_escapes_and_saving_another_field_keeps_the_stored_name() -> None:
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        ws = await app.ctx.workspaces.create(WorkspaceInput(name="hostile form", description="d"))
        item = await app.ctx.items.create(ws.id, ItemInput("notebook", "n"))
        await _plant(app, ws.id, item.id)
        current = await app.ctx.workspaces.get(ws.id)
        form = WorkspaceForm(app.ctx.workspaces, current)
        await app.push_screen(form)
        await wait_for(pilot, lambda: app.screen is form and form.query("#f-name"))
        for f in form.query(SafeInput):
            _no_raw(f.value)
        assert form.query_one("#f-name", SafeInput).value == visible(HOSTILE)
        form.query_one("#f-description", SafeInput).value = "new description"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
        saved = (await app.ctx.scoped.workspace(ws.id)).doc
        assert saved["description"] == "new description" and saved["name"] == HOSTILE  # not rewritten as escapes
        _no_raw(screen_text(app))


async def test_rename_prompt_shows_escapes_and_enter_unchanged_writes_nothing() -> None:
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        ws = await app.ctx.workspaces.create(WorkspaceInput(name="hostile rename", description="d"))
        item = await app.ctx.items.create(ws.id, ItemInput("notebook", "n"))
        await _plant(app, ws.id, item.id)
        await app.push_screen(WorkspaceDetailScreen(ws.id))
        table = app.screen.query_one("#items-table", VirtualTable)
        await wait_for(pilot, lambda: table.row_count == 1 and table.row(0) is not None)
        _no_raw(screen_text(app))
        before = await app.ctx.store.get("items", ws.id, item.id)
        await pilot.press("e")  # e: edit the item's name
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        field = app.screen.query_one("#prompt-input", SafeInput)
        assert field.value == visible(HOSTILE)
        _no_raw(screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, TextPrompt))
        after = await app.ctx.store.get("items", ws.id, item.id)
        assert after["_etag"] == before["_etag"] and after["displayName"] == HOSTILE


async def test_toasts_are_plain_and_escaped() -> None:
    app = LoomApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        app.screen.notify(f"[bold]note[/] {HOSTILE}")
        await wait_for(pilot, lambda: any("note" in n.message for n in app._notifications))  # noqa: SLF001
        note = next(n for n in app._notifications if "note" in n.message)  # noqa: SLF001
        _no_raw(note.message)
        assert note.message.startswith("[bold]note[/] ") and note.markup is False
