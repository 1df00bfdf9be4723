"""The describe view (k9s ``d``): one record with every field in full and its raw document as
JSON.  Opened with ``enter`` on an item or a member, ``i`` on a workspace.  Every value is literal
text (``rich.text.Text`` from ``visible()``: markup-looking names stay as typed, control and bidi
characters show as escapes); long values wrap instead of being cut.  Scrolls with the arrow keys
and page up/down; ``y`` copies the JSON (OSC 52), ``esc`` closes."""

from __future__ import annotations

import json
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from loom_tui.domain.text import json_escaped, visible


def as_json(doc: dict) -> str:
    """The document as indented JSON: non-ASCII kept readable, every hostile character (C1, DEL,
    bidi, zero-width) escaped as ``\\u202e``-style escapes — what ``y`` copies is the same JSON ``-o json`` prints."""
    return json_escaped(json.dumps(doc, indent=2, ensure_ascii=False, default=str))


def field_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json_escaped(json.dumps(value, ensure_ascii=False, default=str))
    if value is None:
        return "—"
    return str(value)


class DescribeScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    DescribeScreen { align: center middle; }
    DescribeScreen > VerticalScroll { width: 100; max-width: 98%; height: auto; max-height: 96%; border: round $accent; background: $surface; padding: 0 1; }
    DescribeScreen .describe-head { text-style: bold; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="describe.close"),
        Binding("y", "copy_json", "Copy JSON", id="describe.copy"),
    ]

    def __init__(self, what: str, doc: dict, fields: list[tuple[str, Any]] | None = None) -> None:
        super().__init__()
        self.what = what
        self.doc = doc
        # the fields: given (label, value) pairs, else every top-level field but the store's own (_etag, _ts...)
        self.fields = fields if fields is not None else [(k, v) for k, v in doc.items() if not k.startswith("_")]

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, expand=True, pad_edge=False)
        table.add_column("field", no_wrap=True, style="bold")
        table.add_column("value", overflow="fold")
        for label, value in self.fields:
            table.add_row(Text(visible(label)), Text(visible(field_text(value))))
        with VerticalScroll(id="describe-body"):
            yield Static(Text(visible(self.what), style="bold"), id="describe-title")
            yield Static(table, id="describe-fields")
            yield Static(Text("Document (JSON)", style="bold"), classes="describe-head")
            yield Static(Text("\n".join(visible(line) for line in as_json(self.doc).splitlines())), id="describe-json")
            yield Static(Text("↑/↓ pgup/pgdn scroll · y copies the JSON · esc closes", style="italic"))

    def on_mount(self) -> None:
        self.query_one("#describe-body", VerticalScroll).focus()

    def action_copy_json(self) -> None:
        self.app.copy_to_clipboard(as_json(self.doc))
        self.notify("copied the JSON (OSC 52: your terminal must allow clipboard writes)", timeout=3)

    def action_close(self) -> None:
        self.dismiss(None)
