"""The only text field the console uses: stored text never reaches the terminal raw.

Textual's ``Input`` writes its value to the terminal as it is, so a name holding
``ESC ] 52 ; c ; … BEL`` set the operator's clipboard the moment an edit form or a rename prompt
opened on it.  ``SafeInput`` passes every value it is given — initial, assigned, typed or pasted —
through :func:`loom_tui.domain.text.visible`, so control characters, bidi overrides and
zero-width characters show as escapes (``\\x1b``) and are edited as plain text.  A test walks the
package so no screen uses the bare ``Input``.
"""

from __future__ import annotations

from textual.widgets import Input

from loom_tui.domain.text import visible


class SafeInput(Input):
    def validate_value(self, value: str) -> str:
        return visible(value)

    def insert(self, text: str, index: int) -> None:
        super().insert(visible(text), index)

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(visible(text), start, end)
