"""Bar charts for the terminal: a horizontal bar list and per-day activity columns.

Why they look like this: a bar alone says nothing without colour, a screen reader, or at a
glance over SSH in a 16-colour terminal, so every bar list row prints its count as a number and
the activity chart prints its scale (peak and zero), its first and last day, and a one-line
summary.  Bars are drawn with block characters (eighths for the ends), so their length is
readable on any terminal; colour only decorates.  Labels are data (workspace and item names) and
go through :func:`visible` into ``rich.text.Text`` — never into markup.

The line builders (:func:`bar_lines`, :func:`activity_lines`) are plain functions of data and
width, so they are tested without running an app; the widgets only call them with their size.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Sequence

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from .virtual_table import fit
from loom_tui.domain.text import visible

H_EIGHTHS = " ▏▎▍▌▋▊▉█"  # 0..8 eighths of a cell, left to right
V_EIGHTHS = " ▁▂▃▄▅▆▇█"  # 0..8 eighths of a cell, bottom to top


def hbar(count: int, peak: int, width: int) -> str:
    """A bar of ``width * count / peak`` cells; a non-zero count always shows at least ``▏``."""
    if width <= 0 or peak <= 0 or count <= 0:
        return ""
    eighths = max(1, round(min(count, peak) / peak * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (H_EIGHTHS[part] if part else "")


def bar_lines(rows: Sequence[tuple[str, int]], width: int, *, label_width: int | None = None,
              bar_style: Style | str = "") -> list[Text]:
    """One line per ``(label, count)``: the label, the count as a number, then the bar.

    Every line is exactly ``width`` cells (labels are cut with ``…``).
    """
    if not rows or width <= 0:
        return []
    counts = [max(0, int(c)) for _, c in rows]
    peak = max(counts)
    count_w = max(len(f"{c:,}") for c in counts)
    labels = [visible(label) for label, _ in rows]
    longest = max(cell_len(label) for label in labels)
    lw = label_width if label_width is not None else min(longest, max(8, (width - count_w - 2) // 2))
    lw = max(1, min(lw, width - count_w - 1))
    bar_w = max(0, width - lw - count_w - 2)
    out = []
    for label, count in zip(labels, counts):
        line = Text(no_wrap=True, overflow="crop")
        line.append(fit(label, lw) + " " + f"{count:,}".rjust(count_w) + " ")
        bar = hbar(count, peak, bar_w)
        line.append(bar, style=bar_style)
        line.append(" " * (bar_w - cell_len(bar)))
        line.truncate(width)
        out.append(line)
    return out


def column_lines(days: Sequence[tuple[date, Any]], width: int, height: int = 4, *, label: Callable[[Any], str] = "{:,}".format,
                 bar_style: Style | str = "") -> tuple[list[Text], int]:
    """Per-day columns (oldest left) with their scale (``label(peak)`` at the top, 0 at the
    bottom) and a date axis: ``height + 1`` lines of at most ``width`` cells, and how many of the
    most recent days fit.  Values are numbers >= 0 (ints, floats or Decimals)."""
    values = [v for _, v in days]
    peak = max(values)
    scale_w = len(label(peak)) + 1
    room = max(1, width - scale_w)
    col_w = max(1, min(3, room // len(values)))
    gap = 1 if col_w >= 2 else 0
    fits = room // col_w
    shown = list(days[-fits:])  # too narrow for all: the most recent days
    lines: list[Text] = []
    for r in range(height - 1, -1, -1):  # top row first
        line = Text(no_wrap=True, overflow="crop")
        tick = "0" if r == 0 else (label(peak) if r == height - 1 and peak else "")
        line.append(tick.rjust(scale_w - 1) + "│")
        cells = []
        for _, c in shown:
            level = 0 if peak == 0 else int(round(float(c / peak) * height * 8)) - r * 8
            if r == 0 and c > 0:
                level = max(level, 1)  # anything above zero is visible
            cells.append(V_EIGHTHS[max(0, min(8, level))] * (col_w - gap) + " " * gap)
        line.append("".join(cells), style=bar_style)
        line.truncate(width)
        lines.append(line)
    first, last = shown[0][0].strftime("%m-%d"), shown[-1][0].strftime("%m-%d")
    span = len(shown) * col_w - gap
    axis = first + last.rjust(max(0, span - len(first))) if span >= len(first) + len(last) + 1 else first
    lines.append(Text((" " * scale_w + axis)[:width], no_wrap=True))
    return lines, len(shown)


def activity_lines(days: Sequence[tuple[date, int]], width: int, height: int = 4,
                   bar_style: Style | str = "") -> list[Text]:
    """Per-day columns (oldest left), a scale (peak at the top, 0 at the bottom), a date axis and
    a summary line with the total, the peak day and today's count.

    Returns ``height + 2`` lines of at most ``width`` cells.
    """
    if not days or width <= 0:
        return []
    counts = [max(0, int(c)) for _, c in days]
    peak = max(counts)
    lines, shown = column_lines([(d, c) for (d, _), c in zip(days, counts)], width, height, bar_style=bar_style)
    peak_day = max(days, key=lambda d: (d[1], d[0]))
    summary = f"total {sum(counts):,} · peak {peak:,}"
    if peak:
        summary += f" on {peak_day[0].strftime('%m-%d')}"
    summary += f" · today {counts[-1]:,}"
    if shown < len(days):
        summary += f" · chart: last {shown} days"
    lines.append(Text(summary[:width], no_wrap=True))
    return lines


class BarList(Widget):
    """Rows of label, count and bar; shows at most ``limit`` rows and says how many more there are."""

    DEFAULT_CSS = """
    BarList { height: auto; width: 1fr; }
    BarList > .barlist--bar { color: $accent; }
    """
    COMPONENT_CLASSES = {"barlist--bar"}

    rows: reactive[tuple[tuple[str, int], ...]] = reactive((), layout=True)
    limit: reactive[int] = reactive(0, layout=True)  # 0 = all

    def __init__(self, empty_text: str = "Nothing to show.", *, limit: int = 0, id: str | None = None) -> None:
        super().__init__(id=id)
        self.empty_text = empty_text
        self.set_reactive(BarList.limit, limit)

    def _visible(self) -> tuple[list[tuple[str, int]], int, int]:
        rows = list(self.rows)
        if self.limit and len(rows) > self.limit:
            rest = rows[self.limit :]
            return rows[: self.limit], len(rest), sum(c for _, c in rest)
        return rows, 0, 0

    def get_content_height(self, container, viewport, width: int) -> int:
        rows, more, _ = self._visible()
        return max(1, len(rows) + (1 if more else 0))

    def render(self) -> Text:
        rows, more, more_count = self._visible()
        if not rows:
            return Text(self.empty_text, no_wrap=True)
        width = self.size.width
        lines = bar_lines(rows, width, bar_style=self.get_component_rich_style("barlist--bar", partial=True))
        if more:
            lines.append(Text(fit(f"… {more:,} more ({more_count:,} in all)", width), no_wrap=True))
        return Text("\n").join(lines)


class ActivityColumns(Widget):
    """Activity per day as columns, with its scale, dates and summary printed as numbers."""

    DEFAULT_CSS = """
    ActivityColumns { height: auto; width: 1fr; }
    ActivityColumns > .activity--bar { color: $accent; }
    """
    COMPONENT_CLASSES = {"activity--bar"}
    BAR_CLASS = "activity--bar"
    CHART_HEIGHT = 4

    days: reactive[tuple[tuple[date, Any], ...]] = reactive((), layout=True)

    def __init__(self, empty_text: str = "No activity.", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.empty_text = empty_text

    def get_content_height(self, container, viewport, width: int) -> int:
        return self.CHART_HEIGHT + 2 if self.days else 1

    def render(self) -> Text:
        if not self.days:
            return Text(self.empty_text, no_wrap=True)
        style = self.get_component_rich_style(self.BAR_CLASS, partial=True)
        return Text("\n").join(self.chart_lines(self.size.width, style))

    def chart_lines(self, width: int, style: Style) -> list[Text]:
        """The chart's lines (a subclass draws other values in the same frame)."""
        return activity_lines(self.days, width, self.CHART_HEIGHT, bar_style=style)
