"""Shown while the context opens (store, sign-in), or when it could not be opened."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static

from loom_tui.domain.text import visible


class LoadingScreen(Screen):
    BINDINGS = [Binding("ctrl+q,q", "app.quit", "Quit", id="loading.quit")]

    def compose(self) -> ComposeResult:
        with Middle():
            with Center():
                yield Static(Text("loom — opening the store…"), id="message")
        yield Footer()

    def fail(self, title: str, error: BaseException) -> None:
        from loom_tui.screens.modals.error import describe

        headline, detail = describe(error)
        found = self.query("#message")
        if not found:  # the error came before the screen finished mounting
            self.call_after_refresh(self.fail, title, error)
            return
        found.first(Static).update(
            Text(f"loom could not start: {visible(title)}\n\n{headline}\n{detail}\n\nPress q to quit.")
        )
