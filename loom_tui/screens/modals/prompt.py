"""Small modals the workspace screens share: one text field, or one choice from a list.

``TextPrompt`` hands the typed text to an async ``submit`` callback (a service call); a refused
value (:class:`ServiceError`) is shown under the field and the prompt stays open, so bad input
writes nothing and is never lost.  ``ChoicePrompt`` is also the yes/no confirm: its first option
is focused, so a destructive choice is never the default.  All labels are plain ``Text``.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from loom_tui.errors import LoomError
from loom_tui.widgets.safe_input import SafeInput
from loom_tui.domain.text import visible

from loom_tui.screens.worker_errors import ReportsWorkerErrors

Submit = Callable[[str], Awaitable[Any]]

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 72; max-width: 96%; height: auto; max-height: 90%; border: round $accent; padding: 0 1; background: $surface; }}
{name} .error {{ color: $error; height: auto; }}
{name} Input {{ border: none; height: 1; padding: 0 1; background: $boost; }}
{name} Input:focus {{ border: none; background: $accent 30%; }}
{name} OptionList {{ height: auto; max-height: 16; border: none; }}
"""


class TextPrompt(ReportsWorkerErrors, ModalScreen[Any]):
    """Ask for one line of text; dismissed with whatever ``submit`` returned (None on esc)."""

    DEFAULT_CSS = MODAL_CSS.format(name="TextPrompt")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, label: str, submit: Submit, *, value: str = "", hint: str = "",
                 resume: dict[str, str] | None = None, typed: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.submit = submit
        self.value = value
        self.hint = hint
        # what reopens this prompt after a dropped connection (the caller's words, e.g. which item
        # is being renamed); None: the prompt is not kept.  ``typed``: the text restored into it.
        self.resume = resume
        self.typed = typed

    def resume_form(self) -> dict[str, str]:
        """Saved by the terminal guard when the connection drops: enough to reopen the prompt
        with what was typed (see WorkspacesScreen.restore_form)."""
        if self.resume is None or not self.is_mounted:
            return {}
        return {**self.resume, "form": "prompt", "title": self.title_text, "text": self.query_one(Input).value}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(visible(self.title_text), style="bold"))
            yield Static(Text(self.label))
            # a pre-filled value (a rename) is not selected: the cursor is at its end, so typing
            # appends instead of replacing the whole name
            yield SafeInput(value=self.value if self.typed is None else self.typed, id="prompt-input", select_on_focus=False)
            yield Static("", id="prompt-error", classes="error", markup=False)
            yield Static(Text((self.hint + " · " if self.hint else "") + "enter saves · esc cancels", style="italic"))

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_position = len(field.value)
        field.focus()

    @on(Input.Submitted, "#prompt-input")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.value and event.value == visible(self.value):
            self.dismiss(None)  # left as shown: nothing to change (never rewrite stored text as its escapes)
            return
        self._run(event.value)

    @work(exclusive=True, exit_on_error=False, group="prompt")
    async def _run(self, value: str) -> None:
        error = self.query_one("#prompt-error", Static)
        error.update("")
        result = await self.submit(value)  # a refusal shows under the field (worker_failed)
        self.dismiss(result if result is not None else True)

    def worker_failed(self, worker, error: BaseException) -> bool:
        """A refused value is said under the field; the prompt stays open with what was typed (an
        unforeseen error opens the error dialog over it)."""
        if worker.name != "_run" or not isinstance(error, LoomError):
            return False
        self.query_one("#prompt-error", Static).update(Text(visible(str(error))))
        return True

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoicePrompt(ModalScreen[Any]):
    """Pick one of ``choices`` (label, value); esc = None.  The first choice starts focused."""

    DEFAULT_CSS = MODAL_CSS.format(name="ChoicePrompt")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]

    def __init__(self, title: str, message: str, choices: list[tuple[str, Any]], *, danger: bool = False, start: int = 0) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.choices = choices
        self.danger = danger
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(visible(self.title_text), style="bold"))
            if self.message:
                yield Static(Text(visible(self.message)))
            yield OptionList(*(Option(Text(visible(label)), id=str(i)) for i, (label, _) in enumerate(self.choices)), id="choices")
            yield Static(Text("↑/↓ choose · enter selects · esc cancels", style="italic"))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.start
        options.focus()

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id or 0)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


def confirm(title: str, message: str, verb: str) -> ChoicePrompt:
    """A yes/no question with "Cancel" first (and focused): enter right away changes nothing."""
    return ChoicePrompt(title, message, [("Cancel", False), (verb, True)], danger=True)
