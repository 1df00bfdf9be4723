"""UI tests: a text cursor that does not blink, so a snapshot never catches it half-way (a blink
is a timer; a picture taken on one side of it or the other differs by one cell)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Input

    monkeypatch.setattr(Input.__dict__["cursor_blink"], "_default", False)
