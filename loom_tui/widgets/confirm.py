"""Confirm a destructive action by typing the target's name (k9s-style); focus starts in the name
field, and ``enter`` on an empty field is Cancel."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from .safe_input import SafeInput
from loom_tui.domain.text import visible


class TypeToConfirm(ModalScreen[bool]):
    DEFAULT_CSS = """
    TypeToConfirm { align: center middle; }
    TypeToConfirm > Vertical { width: 70; max-width: 95%; height: auto; border: heavy $error; padding: 1 2; background: $surface; }
    TypeToConfirm Horizontal { height: auto; margin-top: 1; }
    TypeToConfirm Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="confirm.cancel")]

    def __init__(self, action: str, name: str, consequence: str) -> None:
        super().__init__()
        self.action_text = action
        self.target = name
        self.expected = visible(name)  # what the field holds when the name is typed (escapes visible)
        self.consequence = consequence

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"{self.action_text}: " + visible(self.target), style="bold"))
            yield Static(Text(self.consequence))
            yield Static(Text("  Type the name to confirm:"), id="typed-label")
            yield SafeInput(placeholder="type the name above · enter on empty cancels", id="typed")
            with Horizontal():
                yield Button("Cancel", id="cancel", variant="primary")
                yield Button(self.action_text, id="confirm", variant="error", disabled=True)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#typed", Input))  # now: the name typed right after the key lands here

    def on_descendant_focus(self, event) -> None:
        """The name field's label gets a "›" while it has the focus (not shown by colour alone)."""
        focused = self.focused is not None and self.focused.id == "typed"
        self.query_one("#typed-label", Static).update(Text(("› " if focused else "  ") + "Type the name to confirm:"))

    @on(Input.Changed, "#typed")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#confirm", Button).disabled = event.value != self.expected

    @on(Input.Submitted, "#typed")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value == self.expected:
            self.dismiss(True)
        elif not event.value:
            self.dismiss(False)  # enter on an empty field is Cancel

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        if self.query_one("#typed", Input).value == self.expected:
            self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)
