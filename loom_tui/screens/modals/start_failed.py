"""Start-up of an Azure profile failed (sign-in, network, tenant, store): the cause, and a retry.

Unlike the plain loading screen's "could not start", an operator on a flaky jump-box link can try
again without restarting the console: ``r`` retries the step that failed, ``q`` quits.  The error
text comes from servers and is shown as plain ``Text``.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class StartFailedScreen(ModalScreen[bool]):
    """Dismisses with ``True`` to retry, ``False`` to quit."""

    DEFAULT_CSS = """
    StartFailedScreen { align: center middle; }
    StartFailedScreen > Vertical { width: 76; max-width: 98%; height: auto; border: heavy $error; padding: 1 2; background: $surface; }
    StartFailedScreen #title { text-style: bold; }
    StartFailedScreen #detail, StartFailedScreen #keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("r", "retry", "Retry", id="start.retry"),
        Binding("q,escape", "give_up", "Quit", id="start.quit"),
    ]

    def __init__(self, step: str, error: BaseException | str) -> None:
        super().__init__()
        from loom_tui.screens.modals.error import describe_any

        self.step = step
        self.message, self.detail = describe_any(error)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"loom could not open {self.step}"), id="title")
            yield Static(Text(self.message), id="message")
            if self.detail:
                yield Static(Text(self.detail), id="detail")
            yield Static(Text("r try again · q quit"), id="keys")

    def action_retry(self) -> None:
        self.dismiss(True)

    def action_give_up(self) -> None:
        self.dismiss(False)
