"""Someone else changed what you were editing: show both versions, let the operator choose."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from loom_tui.widgets.virtual_table import safe_text

SHOWN = ("name", "description", "capacity", "domain", "updatedAt")


class EditConflictDialog(ModalScreen[str]):
    DEFAULT_CSS = """
    EditConflictDialog { align: center middle; }
    EditConflictDialog > VerticalScroll { width: 90; max-width: 98%; height: auto; max-height: 95%; border: heavy $warning; padding: 0 1; background: $surface; }
    EditConflictDialog Horizontal { height: auto; }
    EditConflictDialog Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "choose('cancel')", "Cancel", id="conflict.cancel"),
                Binding("r", "choose('reload')", "Reload theirs", id="conflict.reload"),
                Binding("o", "choose('overwrite')", "Overwrite with mine", id="conflict.overwrite")]

    def __init__(self, mine: dict, theirs: dict | None, *, fields: tuple[str, ...] = SHOWN, what: str = "workspace") -> None:
        super().__init__()
        self.mine = mine
        self.theirs = theirs or {}
        self.fields = fields
        self.what = what

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("field")
        table.add_column("yours")
        table.add_column("theirs (saved now)")
        for key in self.fields:
            a, b = self.mine.get(key), self.theirs.get(key)
            mark = "" if a == b else " *"
            table.add_row(Text(key + mark), Text(safe_text(a or "")), Text(safe_text(b or "")))
        with VerticalScroll():
            yield Static(Text(f"Someone else changed this {self.what} while you were editing it.", style="bold"))
            yield Static(table)
            yield Static(Text("* differs. Choose: r reload theirs (your edits are dropped), o overwrite with yours, esc cancel."))
            with Horizontal():
                yield Button("Reload theirs (r)", id="reload")
                yield Button("Overwrite (o)", id="overwrite", variant="warning")
                yield Button("Cancel (esc)", id="cancel", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
