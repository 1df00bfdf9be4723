"""What every area screen shares: header, body, flash line, footer, and the read-only gate."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

from textual.app import ComposeResult
from textual.screen import Screen

from loom_tui.widgets.flash import FlashLine
from loom_tui.widgets.footer import KeyFooter
from loom_tui.widgets.header import LoomHeader

from loom_tui.widgets.virtual_table import VirtualTable

from loom_tui.screens.worker_errors import ReportsWorkerErrors, log_failure, show_failure

if TYPE_CHECKING:
    from loom_tui.services.context import AppContext


class Console(Protocol):
    """What a screen asks of the app (``loom_tui.app.LoomApp``): screens do not import the app."""

    @property
    def ctx(self) -> "AppContext": ...

    def fill_header(self, header: LoomHeader, area: str) -> None: ...

    def allows(self, screen: Screen, action: str) -> bool | None: ...

    def show_error(self, title: str, error: BaseException | str) -> None: ...


class AreaScreen(ReportsWorkerErrors, Screen):
    """Its workers raise; :mod:`.worker_errors` shows their errors (flash line or error dialog)."""

    AREA: ClassVar[str] = ""
    # actions of this screen that change data: hidden and refused in read-only mode (see LoomApp.allows)
    WRITES: ClassVar[frozenset[str]] = frozenset()

    @property
    def loom(self) -> Console:
        return self.app  # type: ignore[return-value]

    @property
    def ctx(self) -> "AppContext":
        return self.loom.ctx

    def compose(self) -> ComposeResult:
        yield LoomHeader()
        yield from self.compose_body()
        yield FlashLine(id="flash")
        yield KeyFooter(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.loom.fill_header(self.query_one(LoomHeader), self.AREA)

    def on_screen_resume(self) -> None:
        self.loom.fill_header(self.query_one(LoomHeader), self.AREA)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.loom.allows(self, action)

    def flash(self, message: str, severity: str = "info") -> None:
        self.query_one(FlashLine).flash(message, severity)

    def on_virtual_table_fetch_failed(self, event: VirtualTable.FetchFailed) -> None:
        """A page a table asked for could not be read (the table's own worker): the same log line
        and display as a worker's error, under the table's headline."""
        log_failure(event.table.failure, event.error)
        show_failure(self, event.table.failure, event.error)

    def show_error(self, title: str, error: BaseException | str) -> None:
        self.loom.show_error(title, error)
