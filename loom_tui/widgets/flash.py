"""One line that shows what just happened (k9s-style), then clears itself.

Severity is spelled out ("error:", "ok:") so it does not depend on colour.  A message longer
than the line wraps to a second one (at 80 columns the end of a sentence is often its point:
"... they cannot be removed", an export's path); past that it opens in full with the describe view.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from loom_tui.domain.text import visible

STYLES = {"info": "", "ok": "bold", "warning": "bold", "error": "bold reverse"}


class FlashLine(Static):
    DEFAULT_CSS = """
    FlashLine { height: auto; min-height: 1; max-height: 2; width: 1fr; padding: 0 1; }
    FlashLine.-error { color: $error; }
    FlashLine.-warning { color: $warning; }
    FlashLine.-ok { color: $success; }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._timer = None
        self.last = ""

    def flash(self, message: str, severity: str = "info", seconds: float = 6.0) -> None:
        label = {"info": "", "ok": "ok: ", "warning": "warning: ", "error": "error: "}.get(severity, "")
        self.last = label + visible(message)
        self.update(Text(self.last, style=STYLES.get(severity, "")))
        for s in ("error", "warning", "ok"):
            self.set_class(s == severity, f"-{s}")
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(seconds, self.clear) if seconds else None

    def clear(self) -> None:
        self.last = ""
        self.update("")
