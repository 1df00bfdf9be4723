"""A one-line search box that remembers: up/down walk the recent searches, enter keeps one.

The history is kept per ``scope`` ("workspaces", "items") by ``source`` (the prefs service: the
per-user ``search-history`` container); failing to read or keep it never gets in the way.
"""

from __future__ import annotations

from typing import Awaitable, Protocol

from textual import events, work

from loom_tui.screens.worker_errors import ReportsWorkerErrors
from loom_tui.widgets.safe_input import SafeInput


class History(Protocol):
    """Where the recent searches are kept (the prefs service)."""

    def recent_searches(self, scope: str = ..., prefix: str = ...) -> Awaitable[list[str]]: ...

    def record_search(self, text: str, scope: str = ...) -> Awaitable[object]: ...


class SearchBox(ReportsWorkerErrors, SafeInput):
    def __init__(self, source: History, scope: str, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id, select_on_focus=False)
        self._source = source
        self._scope = scope
        self.history: list[str] = []
        self._at = -1

    def on_focus(self, event: events.Focus) -> None:
        self._load_history()

    @work(exclusive=True, exit_on_error=False, group="search-history-read")
    async def _load_history(self) -> None:
        self.history = await self._source.recent_searches(self._scope)
        self._at = -1

    def remember(self, text: str) -> None:
        if text.strip():
            self._record(text)

    @work(exit_on_error=False, group="search-history-write")
    async def _record(self, text: str) -> None:
        await self._source.record_search(text, self._scope)

    def worker_failed(self, worker, error: BaseException) -> bool:
        """The history is a convenience only: a failure to read or keep it is logged, never shown
        (one that could not be read is empty)."""
        if worker.name == "_load_history":
            self.history, self._at = [], -1
        return True

    def on_key(self, event: events.Key) -> None:
        if event.key not in ("up", "down") or not self.history:
            return
        step = 1 if event.key == "up" else -1
        self._at = max(-1, min(len(self.history) - 1, self._at + step))
        self.value = "" if self._at < 0 else self.history[self._at]
        self.cursor_position = len(self.value)
        event.stop()
        event.prevent_default()
