"""The sort picker (k9s style): one key (``s``) lists the columns; picking one sorts by it, picking
the current one again reverses it.  The table header marks the sort column with ▲ / ▼ and the
status line spells it out ("sort: name ▲ ascending"), so it reads without colour."""

from __future__ import annotations

from typing import Iterable

from loom_tui.screens.modals.prompt import ChoicePrompt


def arrow(descending: bool) -> str:
    return "▼" if descending else "▲"


def sort_words(label: str, descending: bool) -> str:
    """"name ▲ ascending" — the arrow and the word, for a status line."""
    return f"{label} {arrow(descending)} {'descending' if descending else 'ascending'}"


def picked(current: str, descending: bool, choice: str, descending_first: Iterable[str] = ()) -> tuple[str, bool]:
    """The sort after picking ``choice``: the same column reverses; another starts in its natural
    direction (newest / largest first for the columns in ``descending_first``)."""
    if choice == current:
        return current, not descending
    return choice, choice in set(descending_first)


class SortPicker(ChoicePrompt):
    """``options``: (key, label) of every sortable column; dismissed with the chosen key (None on esc).
    The current column starts highlighted, so ``s`` then enter reverses it."""

    DEFAULT_CSS = ChoicePrompt.DEFAULT_CSS.replace("ChoicePrompt", "SortPicker")

    def __init__(self, options: list[tuple[str, str]], current: str, descending: bool) -> None:
        labels = []
        for key, label in options:
            if key == current:
                label = f"{label}  {sort_words('now', descending)} · enter reverses"
            labels.append((label, key))
        start = next((i for i, (key, _) in enumerate(options) if key == current), 0)
        super().__init__("Sort by", "pick a column; the current one again reverses it", labels, start=start)
