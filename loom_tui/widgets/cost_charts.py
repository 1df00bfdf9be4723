"""Cost charts that read at 80x24 and without colour: every chart prints its numbers.

* :func:`money_columns`: daily cost as columns (oldest left) with the scale (peak, 0), the first
  and last day, and a summary line (total, peak day, last day with cost).
* :func:`forecast_gauge`: month to date against the month's forecast as a bar of two fills
  (``█`` spent, ``░`` still forecast), with both amounts and how the forecast was made.
Plain functions of data and width (tested without an app); the widgets call them with their size.
"""

from __future__ import annotations

from loom_tui.domain.text import visible
from datetime import date
from decimal import Decimal
from typing import Sequence

from rich.style import Style
from rich.text import Text

from .bars import ActivityColumns, column_lines


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
                  bar_style: Style | str = "", through: date | None = None) -> list[Text]:
    """Columns of cost per day, and a summary.  Days after ``through`` (the last day the data
    covers) are not zero-cost days: they are left out of the columns and named "no data yet"."""
    pending = [d for d, _ in days if through is not None and d > through]
    days = [(d, c) for d, c in days if through is None or d <= through]
    if width <= 0:
        return []
    if not days:
        return [Text(f"no data yet for {_span(pending)}"[:width], no_wrap=True)] if pending else []
    dated = [(d, max(Decimal(0), Decimal(c))) for d, c in days]
    costs = [c for _, c in dated]
    peak = max(costs)
    lines, shown = column_lines(dated, width, height, label=_short, bar_style=bar_style)
    summary = f"total {money(sum(costs, Decimal(0)))} {visible(currency)}"
    if pending:  # before the peak and last: what the chart leaves out is said first
        summary += f" · no data yet for {_span(pending)}"
    if peak:
        peak_day = max(dated, key=lambda d: (d[1], d[0]))
        summary += f" · peak {money(peak)} on {peak_day[0]:%m-%d}"
        last_cost = next(((d, c) for d, c in reversed(dated) if c), None)
        if last_cost:
            summary += f" · last {money(last_cost[1])} ({last_cost[0]:%m-%d})"
    if shown < len(days):
        summary += f" · chart: last {shown} days"
    lines.append(Text(summary[:width], no_wrap=True))
    return lines


def _span(days: Sequence[date]) -> str:
    return f"{days[0]:%m-%d}" if len(days) == 1 else f"{days[0]:%m-%d}–{days[-1]:%m-%d}"


def forecast_gauge(mtd: Decimal, forecast: Decimal, width: int, currency: str, note: str = "") -> list[Text]:
    head = f"MTD {money(mtd)} "
    tail = f" forecast {money(forecast)} {visible(currency)}"
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


class MoneyColumns(ActivityColumns):
    """Cost per day in the activity chart's frame, with a money summary."""

    DEFAULT_CSS = """
    MoneyColumns { height: auto; width: 1fr; }
    MoneyColumns > .money--bar { color: $accent; }
    """
    COMPONENT_CLASSES = {"money--bar"}
    BAR_CLASS = "money--bar"

    def __init__(self, empty_text: str = "No cost.", *, id: str | None = None) -> None:
        super().__init__(empty_text, id=id)
        self.currency = ""
        self.through: date | None = None  # the last day the data covers (later days: no data yet)

    def chart_lines(self, width: int, style: Style) -> list[Text]:
        return money_columns(self.days, width, self.currency, self.CHART_HEIGHT, bar_style=style, through=self.through)
