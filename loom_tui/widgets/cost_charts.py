"""Cost charts that read at 80x24 and without colour: every chart prints its numbers.

* :func:`money_columns`: daily cost as columns (oldest left) with the scale (peak, 0), the first
  and last day, and a summary line (total, peak day, last day with cost).
* :func:`forecast_gauge`: month to date against the month's forecast as a bar of two fills
  (``█`` spent, ``░`` still forecast), with both amounts and how the forecast was made.
Plain functions of data and width (tested without an app); the widgets call them with their size.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Sequence

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from .bars import V_EIGHTHS


def money(value: Decimal | float | int) -> str:
    return f"{Decimal(value):,.2f}"


def _short(value: Decimal) -> str:
    v = float(value)
    if v >= 1_000_000:
        return f"{v / 1_000_000:.1f}M"
    if v >= 10_000:
        return f"{v / 1000:.0f}k"
    return f"{v:,.0f}"


def money_columns(days: Sequence[tuple[date, Decimal]], width: int, currency: str, height: int = 4,
                  bar_style: Style | str = "") -> list[Text]:
    if not days or width <= 0:
        return []
    costs = [max(Decimal(0), Decimal(c)) for _, c in days]
    peak = max(costs)
    scale_w = len(_short(peak)) + 1
    room = max(1, width - scale_w)
    col_w = max(1, min(3, room // len(costs)))
    gap = 1 if col_w >= 2 else 0
    fits = room // col_w
    shown = list(zip([d for d, _ in days], costs))[-fits:]
    lines: list[Text] = []
    for r in range(height - 1, -1, -1):
        line = Text(no_wrap=True, overflow="crop")
        tick = "0" if r == 0 else (_short(peak) if r == height - 1 and peak else "")
        line.append(tick.rjust(scale_w - 1) + "│")
        cells = []
        for _, c in shown:
            level = 0 if peak == 0 else int(round(float(c / peak) * height * 8)) - r * 8
            if r == 0 and c > 0:
                level = max(level, 1)
            cells.append(V_EIGHTHS[max(0, min(8, level))] * (col_w - gap) + " " * gap)
        line.append("".join(cells), style=bar_style)
        line.truncate(width)
        lines.append(line)
    first, last = shown[0][0].strftime("%m-%d"), shown[-1][0].strftime("%m-%d")
    span = len(shown) * col_w - gap
    axis = first + last.rjust(max(0, span - len(first))) if span >= len(first) + len(last) + 1 else first
    lines.append(Text((" " * scale_w + axis)[:width], no_wrap=True))
    total = sum(costs, Decimal(0))
    summary = f"total {money(total)} {currency}"
    if peak:
        peak_day = max(zip([d for d, _ in days], costs), key=lambda d: (d[1], d[0]))
        summary += f" · peak {money(peak)} on {peak_day[0]:%m-%d}"
        last_cost = next(((d, c) for d, c in reversed(list(zip([d for d, _ in days], costs))) if c), None)
        if last_cost:
            summary += f" · last {money(last_cost[1])} ({last_cost[0]:%m-%d})"
    if len(shown) < len(days):
        summary += f" · chart: last {len(shown)} days"
    lines.append(Text(summary[:width], no_wrap=True))
    return lines


def forecast_gauge(mtd: Decimal, forecast: Decimal, width: int, currency: str, note: str = "") -> list[Text]:
    head = f"MTD {money(mtd)} "
    tail = f" forecast {money(forecast)} {currency}"
    bar_w = max(4, width - len(head) - len(tail) - 2)
    spent = 0 if forecast <= 0 else min(bar_w, int(round(float(mtd / forecast) * bar_w)))
    line = Text(no_wrap=True, overflow="crop")
    line.append(head)
    line.append("▕" + "█" * spent + "░" * (bar_w - spent) + "▏")
    line.append(tail)
    line.truncate(width)
    out = [line]
    if note:
        out.append(Text(note[:width], no_wrap=True))
    return out


class MoneyColumns(Widget):
    DEFAULT_CSS = """
    MoneyColumns { height: auto; width: 1fr; }
    MoneyColumns > .money--bar { color: $accent; }
    """
    COMPONENT_CLASSES = {"money--bar"}
    CHART_HEIGHT = 4

    days: reactive[tuple[tuple[date, Decimal], ...]] = reactive((), layout=True)

    def __init__(self, empty_text: str = "No cost.", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.empty_text = empty_text
        self.currency = ""

    def get_content_height(self, container, viewport, width: int) -> int:
        return self.CHART_HEIGHT + 2 if self.days else 1

    def render(self) -> Text:
        if not self.days:
            return Text(self.empty_text, no_wrap=True)
        style = self.get_component_rich_style("money--bar", partial=True)
        return Text("\n").join(money_columns(self.days, self.size.width, self.currency, self.CHART_HEIGHT, bar_style=style))
