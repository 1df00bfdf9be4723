"""A checkbox that reads ticked or not without colour: ``▐X▌`` ticked, ``▐ ▌`` not.

Textual's checkbox draws the same ``X`` both ways and tells them apart by colour only, which a
16-colour or ``NO_COLOR`` terminal loses."""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's name for it
        return "X" if self.value else " "
