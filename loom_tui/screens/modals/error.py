"""A modal that shows an error and its cause, literally; any key that dismisses returns."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from loom_tui.domain.text import visible


def describe(error: BaseException) -> tuple[str, str]:
    """(headline, detail) for an exception, without a traceback."""
    headline = visible(str(error) or type(error).__name__)
    cause = error.__cause__ or error.__context__
    detail = f"{type(error).__name__}" + (f"; caused by {type(cause).__name__}: {visible(cause)}" if cause else "")
    return headline, detail


def describe_any(error: BaseException | str) -> tuple[str, str]:
    """(headline, detail) for an exception or a plain message."""
    if isinstance(error, BaseException):
        return describe(error)
    return visible(error), ""


class ErrorDialog(ModalScreen[None]):
    DEFAULT_CSS = """
    ErrorDialog { align: center middle; }
    ErrorDialog > Vertical { width: 70; max-width: 95%; height: auto; max-height: 90%; border: heavy $error; padding: 1 2; background: $surface; }
    ErrorDialog #title { text-style: bold; }
    ErrorDialog #detail { color: $text-muted; margin-top: 1; }
    ErrorDialog Button { margin-top: 1; }
    """
    BINDINGS = [Binding("escape,enter", "close", "Close", id="error.close")]

    def __init__(self, title: str, error: BaseException | str) -> None:
        super().__init__()
        self.title_text = visible(title)
        self.message, self.detail = describe_any(error)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("error: " + self.title_text), id="title")
            yield Static(Text(self.message), id="message")
            if self.detail:
                yield Static(Text(self.detail), id="detail")
            yield Button("Close (esc)", id="close")

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
