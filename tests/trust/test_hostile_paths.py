"""One hostile-text rule (issue 23 item 7): ``domain.text.is_hostile`` decides which characters are
shown as escapes, ``visible`` (terminal text) and ``json_escaped`` (JSON, YAML) both follow it,
and every output path applies it: a table cell, a title, the flash line, the error dialog, the
header, and the CLI's table, CSV, TSV, Markdown, JSON and YAML output and its error lines.

Each path gets text holding an ANSI colour sequence, Rich markup, C0 and C1 controls, bidi
overrides and isolates, a zero-width space and a no-break space.  A path that skips the rule shows
a raw character (the check for raw characters fails), one that parses markup loses ``[bold]`` (the
check for the literal fragments fails)."""

from __future__ import annotations

import ast
import csv
import io
import json
import sys
from pathlib import Path

import pytest
import yaml
from textual.app import App, ComposeResult
from textual.screen import Screen

from loom_tui.commands.output import Column, render, report_error, say
from loom_tui.domain.text import has_hostile, is_hostile, json_escaped, visible
from loom_tui.errors import NotFoundError
from loom_tui.screens.modals.error import ErrorDialog
from loom_tui.screens.modals.prompt import confirm
from loom_tui.widgets.flash import FlashLine
from loom_tui.widgets.header import LoomHeader
from loom_tui.widgets.virtual_table import Column as TableColumn
from loom_tui.widgets.virtual_table import VirtualTable
from tests.ui.helpers import screen_text, wait_for

H = "[bold]b[/] \x1b[31mr\x9b\x00 \u202eab\u2066 z\u200bw\xa0."
# what the rule makes of H, in pieces that hold no space (a line may wrap between them)
FRAGMENTS = ("[bold]b[/]", "\\x1b[31mr\\x9b\\x00", "\\u202eab\\u2066", "z\\u200bw\\xa0.")


def _no_raw(text: str, structure: str = "\n") -> None:
    """No hostile character in ``text`` but the format's own (``structure``: line ends, TSV's tabs)."""
    raw = sorted({f"U+{ord(ch):04X}" for ch in text if is_hostile(ch) and ch not in structure})
    assert raw == [], f"raw hostile characters reached the output: {raw}"


def _shows_h(text: str) -> None:
    _no_raw(text)
    missing = [f for f in FRAGMENTS if f not in text]
    assert missing == [], f"not shown literally: {missing}"


# -- the rule ------------------------------------------------------------------------------------
def test_the_rule_is_unicodes_other_and_separator_categories_over_every_code_point():
    """``is_hostile`` and ``str.isprintable`` (visible's fast path) agree on every code point."""
    differ = [cp for cp in range(0x110000) if is_hostile(chr(cp)) == chr(cp).isprintable()]
    assert differ == []
    assert [cp for cp in range(0x110000) if has_hostile(chr(cp)) != is_hostile(chr(cp))] == []  # the text-wide check


def test_json_of_several_lines_escapes_a_hostile_character_and_keeps_the_indent():
    """The document-wide fast path (no hostile character but the indent's newlines) still finds one
    hostile character anywhere in a long document."""
    body = "{\n" + ",\n".join(f'  "k{i}": "v{i}"' for i in range(2000)) + "\n}"
    assert json_escaped(body) == body
    planted = body.replace('"v1999"', '"v\u202e1999"')
    assert json_escaped(planted) == body.replace('"v1999"', '"v\\u202e1999"')


@pytest.mark.parametrize("ch", ["\x00", "\x1b", "\x7f", "\x85", "\x9b", "\u200b", "\u202e", "\u2066", "\ufeff", "\u00ad",
                                "\U000e0041", "\xa0", "\u3000", "\u2028", "\u2029", "\ue000", "\u0378", "\ud800"])
def test_terminal_text_and_json_escape_the_same_hostile_characters(ch: str):
    assert is_hostile(ch)
    shown = visible(f"a{ch}b")
    assert ch not in shown and shown.isascii()
    dumped = json_escaped(json.dumps({"k": f"a{ch}b"}, ensure_ascii=False))
    assert ch not in dumped and dumped.isascii() and json.loads(dumped)["k"] == f"a{ch}b"


@pytest.mark.parametrize("ch", [" ", "é", "数", "🚀", "[", "\\", "✓"])
def test_ordinary_characters_pass_both_unchanged(ch: str):
    assert not is_hostile(ch)
    assert visible(f"a{ch}b") == f"a{ch}b"
    assert json_escaped(json.dumps(f"a{ch}b", ensure_ascii=False)) == json.dumps(f"a{ch}b", ensure_ascii=False)


def test_no_module_spells_the_rule_again():
    """``isprintable``, a Unicode category test or another name for ``visible`` (``safe_text``,
    ``_safe``, ``_printable``) outside ``domain/text.py`` would be a second rule."""
    pkg = Path(__file__).resolve().parents[2] / "loom_tui"
    offenders = []
    for path in sorted(pkg.rglob("*.py")):
        if path == pkg / "domain" / "text.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
            if isinstance(node, ast.FunctionDef):
                name = node.name
            elif isinstance(node, ast.ImportFrom) and node.module == "unicodedata":
                name = "unicodedata"
            elif isinstance(node, ast.Attribute) and getattr(node.value, "id", "") == "unicodedata":
                name = f"unicodedata.{node.attr}"
            if name in ("isprintable", "unicodedata", "unicodedata.category", "safe_text", "_safe", "_printable"):
                offenders.append(f"{path.relative_to(pkg)}:{node.lineno} {name}")
    assert offenders == []


# -- the CLI's formats ------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "markdown"])
def test_cli_text_formats_show_the_escapes(fmt: str):
    out = render(fmt, [{"name": H, "n": 1}], [Column("name"), Column("n")])
    _no_raw(out, "\n\t" if fmt == "tsv" else "\n")
    if fmt == "csv":
        assert next(csv.DictReader(io.StringIO(out)))["name"] == visible(H)
    elif fmt == "markdown":  # a table cell doubles the backslashes of the escapes
        assert visible(H).replace("\\", "\\\\") in out
    else:
        assert visible(H) in out


@pytest.mark.parametrize("fmt, load", [("json", json.loads), ("yaml", yaml.safe_load)])
def test_cli_machine_formats_escape_and_round_trip(fmt: str, load):
    out = render(fmt, [{"name": H}])
    _no_raw(out)
    assert load(out) == [{"name": H}]


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_cli_error_and_progress_lines(fmt: str, capsys):
    assert report_error(fmt, NotFoundError(f"no workspace {H}")) == 3
    say(None, f"loom: working on {H}")
    err = capsys.readouterr().err
    _no_raw(err)
    if fmt == "json":
        first = err.splitlines()[0]
        assert json.loads(first)["error"]["message"] == f"no workspace {H}"
    else:
        _shows_h(err)


# -- the console -------------------------------------------------------------------------------------
class Plain(Screen):
    def compose(self) -> ComposeResult:
        yield FlashLine(id="flash")
        yield VirtualTable([TableColumn("name", "Name"), TableColumn("n", "N", width=4)], self._fetch, id="t")

    async def _fetch(self, offset: int, limit: int) -> list[dict]:
        return [{"id": "1", "name": H, "n": 1}][offset: offset + limit]

    def on_mount(self) -> None:
        self.query_one(VirtualTable).reset(1)


class Host(App):
    def on_mount(self) -> None:
        self.push_screen(Plain())


async def test_table_cells_and_the_flash_line():
    app = Host()
    async with app.run_test(size=(160, 20)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, Plain) and app.screen.query_one(VirtualTable).row(0) is not None)
        app.screen.query_one(FlashLine).flash(H, "error")
        await wait_for(pilot, lambda: "\\u202eab" in screen_text(app) and screen_text(app).count("[bold]b[/]") == 2)
        _shows_h(screen_text(app))


async def test_dialog_titles_and_the_error_dialog():
    app = App()
    async with app.run_test(size=(160, 40)) as pilot:
        cause = ValueError(f"cause {H}")
        try:
            raise RuntimeError(f"failed {H}") from cause
        except RuntimeError as exc:
            error = exc
        dialog = ErrorDialog(f"title {H}", error)
        app.push_screen(dialog)
        await wait_for(pilot, lambda: app.screen is dialog and "title" in screen_text(app))
        text = screen_text(app)
        _shows_h(text)
        assert text.count("[bold]b[/]") == 3  # the title, the message and its cause
        dialog.dismiss(None)
        question = confirm(f"Pause {H}?", f"It is {H}.", "Pause")
        await wait_for(pilot, lambda: app.screen is not dialog)
        app.push_screen(question)
        await wait_for(pilot, lambda: app.screen is question and "Pause" in screen_text(app))
        text = screen_text(app)
        _shows_h(text)
        assert text.count("[bold]b[/]") == 2  # the title and the message


def test_the_header_shows_where_user_and_tenant_literally():
    h = LoomHeader()
    h.where, h.user, h.tenant = f"w {H}", f"u {H}", f"t {H}"
    shown = h.render().plain
    _shows_h(shown)
    assert shown.count("[bold]b[/]") == 3


if sys.platform == "win32":  # pragma: no cover - the console runs on a POSIX terminal
    pytestmark = pytest.mark.skip("POSIX terminal")
