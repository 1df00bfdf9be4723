"""A tiny Textual app that uses the terminal guard exactly as the console does (tests only)."""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from loom_tui.shell import resume, terminal_guard


class Tiny(App):
    def compose(self) -> ComposeResult:
        yield Static("tiny app ready")
        yield Input(value="half-typed name", id="name")

    def on_mount(self) -> None:
        self.guard = terminal_guard.install(self, self.save_resume_state)

    def save_resume_state(self) -> None:
        value = self.query_one("#name", Input).value
        resume.save(resume.ResumeState(area="tiny", form={"name": value, "client_secret": "x"}, reason=self.guard.reason or ""))


if __name__ == "__main__":
    Tiny().run()
    sys.exit(0)
