"""How a table's columns share its width: by need.

A column's *need* is the widest of its title and the values the table has seen.  A column with a
declared width (states, dates, counts) takes its need up to that width — no spare cells it never
uses.  The columns without one (names, titles, free text) take the rest: first each up to its
need, the narrowest first, so a long name cannot starve a short one; then the declared columns
whose values are wider than declared get their need; whatever is still left goes to the free
columns.  When the rest is not enough the free columns are cut (with …), never below their
``min_width``; the declared ones keep their natural width.
"""

from __future__ import annotations

from typing import Protocol, Sequence


class Sized(Protocol):
    width: int  # declared width; 0: a free column
    min_width: int


def share(columns: Sequence[Sized], needs: Sequence[int], room: int) -> list[int]:
    """Widths for ``columns`` in ``room`` cells (gaps already taken off); ``needs[i]`` is the
    widest cell column ``i`` has to show, its title included."""
    free = [i for i, c in enumerate(columns) if not c.width]
    fixed = [i for i, c in enumerate(columns) if c.width]
    widths = [min(n, c.width) if c.width else c.min_width for c, n in zip(columns, needs)]
    spare = room - sum(widths)
    wants = [n if c.width else max(n, c.min_width) for c, n in zip(columns, needs)]
    spare = _fill(widths, free, wants, spare)
    spare = _fill(widths, fixed, wants, spare)
    if free and spare > 0:
        _fill(widths, free, [room] * len(columns), spare)
    return widths


def _fill(widths: list[int], among: list[int], wants: Sequence[int], spare: int) -> int:
    """Give ``spare`` cells to the columns ``among``, one at a time to the narrowest that still
    wants more (the leftmost of equals); what is not wanted is returned."""
    while spare > 0:
        hungry = [i for i in among if widths[i] < wants[i]]
        if not hungry:
            break
        narrowest = min(hungry, key=lambda i: widths[i])
        widths[narrowest] += 1
        spare -= 1
    return spare
