"""Areas that are not built yet say so in plain words — no fake data."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from loom_tui.screens.base import AreaScreen


class NotBuiltScreen(AreaScreen):
    WHAT = ""
    MISSING = ""

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Static(Text(self.AREA, style="bold"))
            yield Static(Text(self.WHAT))
            yield Static(Text("Not built yet: " + self.MISSING, style="bold"))

