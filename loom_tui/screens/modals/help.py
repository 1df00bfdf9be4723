"""``?``: the keys of the current screen and the global ones, from the live bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from loom_tui.areas import AREAS, keys_summary
from loom_tui.screens.key_vocabulary import VOCABULARY

GENERAL = [
    (keys_summary(), "switch area: " + ", ".join(a.label for a in AREAS)),
    ("ctrl+p or :", "command palette: jump anywhere, run any action"),
    ("/", "search / filter the current list"),
    ("esc", "go back, close a dialog, clear a search"),
    ("?", "this help"),
    ("ctrl+q", "quit"),
]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 76; max-width: 98%; height: auto; max-height: 90%; border: round $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", id="help.close")]

    def __init__(self, area: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.area = area
        self.keys = keys

    def compose(self) -> ComposeResult:
        table = Table(show_header=True, header_style="bold", box=None, expand=True, pad_edge=False)
        table.add_column("key", no_wrap=True)
        table.add_column("does")
        for key, what in self.keys:
            table.add_row(Text(key), Text(what))
        general = Table(show_header=False, box=None, expand=True, pad_edge=False)
        general.add_column("key", no_wrap=True)
        general.add_column("does")
        for key, what in GENERAL:
            general.add_row(Text(key), Text(what))
        with VerticalScroll():
            yield Static(Text(f"Keys — {self.area}", style="bold"))
            yield Static(table)
            yield Static(Text("Same key, same verb on every screen", style="bold"))
            vocabulary = Table(show_header=False, box=None, expand=True, pad_edge=False)
            vocabulary.add_column("key", no_wrap=True)
            vocabulary.add_column("does")
            for key, verb, _ in VOCABULARY:
                vocabulary.add_row(Text(key), Text(verb))
            yield Static(vocabulary)
            yield Static(Text("Everywhere", style="bold"))
            yield Static(general)
            yield Static(Text("esc closes this help", style="italic"))

    def action_close(self) -> None:
        self.dismiss(None)
