"""Someone else changed what you were editing: show both versions, mark which fields the other
person changed (against the version you started from), let the operator choose."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from loom_tui.domain.text import visible

SHOWN = ("name", "description", "capacity", "domain", "updatedAt")


def changed_by(key: str, base: dict | None, mine: dict, theirs: dict) -> str:
    """Who changed ``key`` since ``base`` (the version the operator opened): "them", "you", "both"
    (or "both, same value"), "" for nobody; without a base, "differs" where the versions differ."""
    a, b = mine.get(key), theirs.get(key)
    if base is None:
        return "" if a == b else "differs"
    was = base.get(key)
    they, you = b != was, a != was
    if they and you:
        return "both, same value" if a == b else "both"
    return "them" if they else "you" if you else ""


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

    def __init__(self, mine: dict, theirs: dict | None, *, fields: tuple[str, ...] = SHOWN, what: str = "workspace",
                 base: dict | None = None) -> None:
        super().__init__()
        self.mine = mine
        self.theirs = theirs or {}
        self.base = base  # the version the operator started from: who changed what is told against it
        self.fields = fields
        self.what = what

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("field")
        table.add_column("yours")
        table.add_column("theirs (saved now)")
        table.add_column("changed by", no_wrap=True)
        self.marks: dict[str, str] = {}
        for key in self.fields:
            a, b = self.mine.get(key), self.theirs.get(key)
            who = changed_by(key, self.base, self.mine, self.theirs)
            self.marks[key] = who
            mark = " *" if who in ("them", "both", "differs") else ""
            style = "bold" if mark else ""
            table.add_row(Text(key + mark, style=style), Text(visible(a or "")), Text(visible(b or ""), style=style), Text(who, style=style))
        with VerticalScroll():
            yield Static(Text(f"Someone else changed this {self.what} while you were editing it.", style="bold"))
            yield Static(table)
            legend = "* they changed it since you opened it" if self.base is not None else "* differs"
            yield Static(Text(f"{legend}. Choose: r reload theirs (your edits are dropped), o overwrite with yours, esc cancel."))
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
