"""``loom doctor`` inside the console (palette: "Doctor"): the same checks, as a scrollable list.

Every line is OK / WARN / FAIL in words, with the fix under it — readable without colour.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from loom_tui.domain.text import visible

from loom_tui.screens.worker_errors import ReportsWorkerErrors

STYLE = {"OK": "", "WARN": "bold", "FAIL": "bold reverse"}


class DoctorScreen(ReportsWorkerErrors, ModalScreen[None]):
    DEFAULT_CSS = """
    DoctorScreen { align: center middle; }
    DoctorScreen > VerticalScroll { width: 100; max-width: 98%; height: 90%; border: round $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q", "close", "Close", id="doctor.close"), Binding("r", "rerun", "Run again", id="doctor.rerun")]

    def __init__(self, profile: str | None, data_dir: str | None) -> None:
        super().__init__()
        self.profile = profile
        self.data_dir = data_dir

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("loom doctor — running the checks…"), id="doctor-body")

    def on_mount(self) -> None:
        self.run_checks()

    def action_rerun(self) -> None:
        self.query_one("#doctor-body", Static).update(Text("loom doctor — running the checks…"))
        self.run_checks()

    @work(exclusive=True, exit_on_error=False, group="doctor")
    async def run_checks(self) -> None:
        from loom_tui.services.doctor import run_doctor

        # inside the console the terminal is the app's: its size is known, no fd to ask
        size = (self.app.size.width, self.app.size.height)
        report = await run_doctor(profile=self.profile, data_dir=self.data_dir, terminal_fd=None, terminal_size=size)
        if getattr(self.app, "context_is_ready", False):  # the data checks read the open store
            from loom_tui.services.v1tenant import doctor_check

            await doctor_check(report, self.app.ctx.v1tenant)
        out = Text()
        for c in report.checks:
            out.append(f"{c.status:<5} ", style=STYLE.get(c.status, ""))
            out.append(visible(f"{c.area}: {c.name}"), style="bold")
            out.append("  " + visible(c.detail) + "\n")
            if c.fix:
                out.append("      fix: " + visible(c.fix) + "\n", style="italic")
        counts = {s: sum(1 for c in report.checks if c.status == s) for s in ("OK", "WARN", "FAIL")}
        out.append(f"\n{counts['OK']} ok, {counts['WARN']} warning(s), {counts['FAIL']} failure(s) in {report.elapsed_s:.1f} s"
                   " · r runs again · esc closes")
        self.query_one("#doctor-body", Static).update(out)

    FAILURES = {"run_checks": "loom doctor failed"}

    def worker_failed(self, worker, error: BaseException) -> bool:
        """The doctor never takes the console down: its failure is said in its body (an unforeseen
        one also opens the error dialog)."""
        from loom_tui.errors import LoomError

        self.query_one("#doctor-body", Static).update(Text(f"loom doctor failed: {visible(error)}"))
        return isinstance(error, LoomError)

    def action_close(self) -> None:
        self.dismiss(None)
