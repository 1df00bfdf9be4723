"""``NO_COLOR`` (no-color.org) taken at its word: no colour codes at all.

Textual answers ``NO_COLOR`` with a monochrome filter that still sends 256-colour greys. loom
swaps it for Textual's no-colour filter (the terminal's default foreground and background, bold,
reverse and underline kept) and marks the app ``-no-color``, so styles that told state by colour
alone (a focused field, an input's bounds) say it with reverse video and underline instead (no
border is added: a one-line field stays one line).
The table cursor is reverse video and ``›`` already.
"""

from __future__ import annotations

from typing import Any

from textual.filter import Monochrome, NoColor

NO_COLOR_CLASS = "-no-color"


def apply_no_color(app: Any) -> None:
    if not getattr(app, "no_color", False):
        return
    app._filters = [NoColor() if isinstance(f, Monochrome) else f for f in app._filters]  # noqa: SLF001 - Textual keeps them there
    app.add_class(NO_COLOR_CLASS)
