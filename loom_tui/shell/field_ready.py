"""What makes the console safe at a jump box: wired into LoomApp as a mixin.

* the terminal guard (SIGHUP, vanished TTY) saves "where was I" and exits within 2 s;
* on the next start the saved place is offered back;
* a terminal smaller than 80×24 gets a plain "resize me" message instead of a broken layout;
* over SSH (``SSH_CONNECTION`` set) animations are off, so slow links are not flooded;
* keys are remapped from the config file's ``[keys]`` table (binding id -> key).
"""

from __future__ import annotations

import logging
import os

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import ModalScreen
from textual.widgets import Static

from loom_tui.shell import resume, terminal_guard
from loom_tui.areas import BY_NAME

log = logging.getLogger("loom.app")
MIN_WIDTH, MIN_HEIGHT = 80, 24


class TooSmall(ModalScreen[None]):
    """Covers everything while the terminal is below 80×24; goes away by itself on resize."""

    DEFAULT_CSS = "TooSmall { align: center middle; background: $background; } TooSmall Static { width: auto; }"
    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", id="toosmall.quit")]

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static("", id="msg")

    def show(self, width: int, height: int) -> None:
        self.query_one("#msg", Static).update(
            Text(f"Please resize the terminal to at least {MIN_WIDTH}×{MIN_HEIGHT} (now {width}×{height}).\nctrl+q quits.")
        )


class ResumeOffer(ModalScreen[bool]):
    DEFAULT_CSS = """
    ResumeOffer { align: center middle; }
    ResumeOffer > Static { width: 64; max-width: 95%; height: auto; border: round $accent; padding: 1 2; background: $surface; }
    """
    BINDINGS = [Binding("y,enter", "answer(True)", "Resume", id="resume.yes"),
                Binding("n,escape", "answer(False)", "Start fresh", id="resume.no")]

    def __init__(self, state: resume.ResumeState) -> None:
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        why = f" ({self.state.reason})" if self.state.reason else ""
        area = BY_NAME.get(self.state.area or "")
        what = resume.describe(self.state, area.label if area else "Workspaces")
        extra = "\nIt comes back with what you had typed." if self.state.form else ""
        yield Static(Text(f"Your last session ended unexpectedly{why}.\nResume {what}?{extra}\n\n"
                          "y / enter: resume    n / esc: start fresh", no_wrap=False), id="offer")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class FieldReady:
    """Mixin for LoomApp (which provides ``AREAS``-style modes and ``profile_name``)."""

    _guard: terminal_guard.TerminalGuard | None = None
    _too_small: TooSmall | None = None
    _resume_offered: resume.ResumeState | None = None  # on screen, not yet answered: a drop keeps it

    def field_init(self) -> None:
        if os.environ.get("SSH_CONNECTION"):
            self.animation_level = "none"  # type: ignore[attr-defined]

    def field_mount(self) -> None:
        self._guard = terminal_guard.install(self, self.save_resume_state)
        self.check_size()

    def apply_keymap(self, keys: dict[str, str]) -> None:
        if keys:
            self.set_keymap(keys)  # type: ignore[attr-defined]

    def save_resume_state(self) -> None:
        offered = self._resume_offered
        if offered is not None:  # a second drop while the offer is on screen: keep what is offered
            resume.save(offered)
            return
        screen = self.screen  # type: ignore[attr-defined]
        form = getattr(screen, "resume_form", None)
        resume.save(resume.ResumeState(
            area=getattr(self, "current_mode", None),
            screen=type(screen).__name__,
            form=form() if callable(form) else {},
            profile=getattr(self, "profile_name", None),
            reason=(self._guard.reason if self._guard else "") or "",
        ))

    async def offer_resume(self, areas: dict) -> None:
        """Called once the context is ready: offer the place saved by the terminal guard."""
        state = resume.load()
        if state is None:
            return
        if state.area not in areas:
            resume.clear()
            return
        self._resume_offered = state  # cleared only once restored or declined (drops come in bursts)
        try:
            yes = await self.push_screen_wait(ResumeOffer(state))  # type: ignore[attr-defined]
        finally:
            self._resume_offered = None
        resume.clear()
        if yes:
            self.switch_mode(state.area)  # type: ignore[attr-defined]
            restore = getattr(self.screen, "restore_form", None)  # type: ignore[attr-defined]
            if state.form and callable(restore):
                restore(state.form)

    def check_size(self, size: tuple[int, int] | None = None) -> None:
        """``size`` from the Resize event itself: ``self.size`` is updated after the app's
        ``on_resize`` runs, which left the message one resize behind."""
        width, height = size or self.size  # type: ignore[attr-defined]
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and self._too_small is None:
            self._too_small = TooSmall()
            self.push_screen(self._too_small)  # type: ignore[attr-defined]
            self.call_after_refresh(lambda: self._too_small and self._too_small.is_mounted and self._too_small.show(width, height))  # type: ignore[attr-defined]
        elif small and self._too_small is not None and self._too_small.is_mounted:
            self._too_small.show(width, height)
        elif not small and self._too_small is not None:
            screen, self._too_small = self._too_small, None
            if screen in self.screen_stack:  # type: ignore[attr-defined]
                screen.dismiss(None)
