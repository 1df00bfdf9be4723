"""The two-line header: the areas (``loom_tui.areas``) with their keys, then where the data lives, tenant, user,
the read-only badge and the unread-notification count.

Everything here is data (profile names, UPNs, tenant ids) and is rendered as plain Text.  The
current area is shown in reverse video *and* in brackets, so it is visible without colour.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from loom_tui.areas import AREAS

from loom_tui.screens.worker_errors import ReportsWorkerErrors

from loom_tui.domain.text import visible


class LoomHeader(ReportsWorkerErrors, Widget):
    DEFAULT_CSS = """
    LoomHeader { height: 2; width: 1fr; background: $panel; color: $text; }
    """

    area: reactive[str] = reactive("")
    where: reactive[str] = reactive("")
    tenant: reactive[str] = reactive("")
    user: reactive[str] = reactive("")
    azure: reactive[str] = reactive("")  # "demo Azure (on this machine)" on the local profile
    read_only: reactive[bool] = reactive(False)
    unread: reactive[int] = reactive(0)

    def worker_failed(self, worker, error: BaseException) -> bool:
        """The unread count (the bell): a failed count leaves the last one, logged; the panel says
        what failed when it is opened."""
        return worker.group == "bell"

    def render(self) -> Text:
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(" loom ", style="bold reverse")
        for a in AREAS:
            key, name = a.key, a.label
            if name == self.area:
                t.append(f" [{key} {name}]", style="bold reverse")
                t.append(" ")
            else:
                t.append(f"  {key} {name} ")
        if self.read_only:
            t.append("  READ-ONLY ", style="bold reverse")
        t.append("\n")
        # most useful first, so an 80-column terminal cuts only the tail (the Azure side, the tenant id)
        t.append(f" bell {self.unread}", style="bold" if self.unread else "")
        t.append(" │ " + visible(self.where))
        if self.user:
            t.append(" │ " + visible(self.user))
        if self.azure:
            t.append(" │ " + visible(self.azure))
        if self.tenant:
            t.append(" │ tenant " + visible(self.tenant))
        return t
