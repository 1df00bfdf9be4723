"""Every failure of a partial inventory, in full (ARM's text literal)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from loom_tui.domain.text import visible

from ..base import AreaScreen


class WarningsScreen(AreaScreen):
    AREA = "Capacity"
    DEFAULT_CSS = "WarningsScreen #warn-body { padding: 0 1; } WarningsScreen Static { height: auto; }"
    BINDINGS = [Binding("escape", "close", "Back", id="capw.back")]

    def __init__(self, failures) -> None:
        super().__init__()
        self.failures = failures

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="warn-body"):
            yield Static(Text(f"Partial results: {len(self.failures)} part(s) of the inventory failed", style="bold"))
            for f in self.failures:
                body = Text()
                body.append(visible(f.line()), style="bold")
                if f.detail and f.detail not in f.reason:
                    body.append("\n  Azure said: ")
                    body.append("\n  ".join(visible(line) for line in f.detail.splitlines()))
                yield Static(body)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#warn-body").focus()

    def action_close(self) -> None:
        self.app.pop_screen()
