"""A pane of the workspace detail screen (items, members, audit, comments), and what a pane asks of
the screen it sits in (:class:`Detail`, which :class:`~.workspace_detail.WorkspaceDetailScreen`
is): the panes and the screen do not import each other round."""

from __future__ import annotations

from typing import Any, Protocol

from textual.containers import Vertical

from loom_tui.screens.worker_errors import ReportsWorkerErrors


class Detail(Protocol):
    """What a pane asks of the detail screen."""

    workspace_id: str
    selected_item: dict | None

    @property
    def ctx(self) -> Any: ...

    def permits(self, action: str) -> bool | None: ...

    def flash(self, message: str, severity: str = "info") -> None: ...

    def item_selected(self, item: dict | None) -> None: ...


class Pane(ReportsWorkerErrors, Vertical):
    """A pane of the detail screen: its keys are gated by the screen (read-only, then role); its
    workers' errors show on the screen's flash line (or the error dialog)."""

    @property
    def detail(self) -> Detail:
        return self.screen  # type: ignore[return-value]

    @property
    def ctx(self):
        return self.detail.ctx

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.detail.permits(action)

    def flash(self, message: str, severity: str = "info") -> None:
        self.detail.flash(message, severity)

    def activate(self) -> None:
        """Called when the pane is shown: focus its main widget, load what it shows."""

    def reload(self) -> None:  # pragma: no cover - every pane overrides
        pass
