"""A metric chart that reads without colour: columns of block characters (oldest left), the scale
(peak at the top, 0 at the bottom), the first and last time, and min / average / max in numbers.
Pure functions of the points and the width."""

from __future__ import annotations

from rich.text import Text

from loom_tui.services.capacity.metrics import Series
from loom_tui.widgets.bars import V_EIGHTHS


def _buckets(values: list[float | None], n: int) -> list[float | None]:
    """``values`` squeezed (averaged) into ``n`` columns."""
    if len(values) <= n:
        return values
    out: list[float | None] = []
    for i in range(n):
        chunk = [v for v in values[i * len(values) // n:(i + 1) * len(values) // n] if v is not None]
        out.append(sum(chunk) / len(chunk) if chunk else None)
    return out


def chart_lines(series: Series | None, width: int, height: int = 5, *, title: str = "") -> list[Text]:
    if series is None or not series.points:
        return [Text(f"{title}: no data" if title else "no data")]
    values = [p.average for p in series.points]
    known = [v for v in values if v is not None]
    if not known:
        return [Text(f"{title}: Azure Monitor returned no values")]
    top = max(100.0, max(known)) if series.unit.lower() == "percent" else max(known) or 1.0
    label_w = len(f"{top:.0f}") + 1
    cols = _buckets(values, max(4, width - label_w - 1))
    lines = []
    for row in range(height, 0, -1):
        text = Text(no_wrap=True, overflow="crop")
        label = f"{top:.0f}" if row == height else ("0" if row == 1 else "")
        text.append(label.rjust(label_w) + "┤")
        for v in cols:
            if v is None:
                text.append("·" if row == 1 else " ")
                continue
            eighths = round(v / top * height * 8)
            cell = eighths - (row - 1) * 8
            text.append(V_EIGHTHS[max(0, min(8, cell))] if cell > 0 else " ")
        lines.append(text)
    first, last = series.points[0].at, series.points[-1].at
    axis = f"{first:%m-%d %H:%M}".ljust(max(0, len(cols) - 11)) + f"{last:%m-%d %H:%M}"
    lines.append(Text(" " * (label_w + 1) + axis, no_wrap=True, overflow="crop"))
    unit = "%" if series.unit.lower() == "percent" else f" {series.unit}"
    gaps = sum(1 for v in values if v is None)
    summary = (f"{series.metric}: min {min(known):.1f}{unit} · avg {sum(known) / len(known):.1f}{unit} · max {max(known):.1f}{unit}"
               f" · {len(values)} points" + (f" ({gaps} without data, shown ·)" if gaps else ""))
    lines.append(Text(summary))
    return lines


def cost_lines(series: list[tuple[str, list]], width: int) -> list[Text]:
    """One line per day: the date, the amount as a number, a bar; per currency (never summed)."""
    from loom_tui.widgets.bars import hbar

    out: list[Text] = []
    for currency, days in series:
        total = sum((c for _, c in days), 0)
        out.append(Text(f"{currency}: {total:,.2f} this month", style="bold"))
        peak = max((float(c) for _, c in days), default=0.0)
        amount_w = max((len(f"{c:,.2f}") for _, c in days), default=4)
        bar_w = max(0, width - 6 - amount_w - 2)
        for day, c in days:
            scaled = int(round(float(c) / peak * 1000)) if peak else 0
            out.append(Text(f"{day:%m-%d} {f'{c:,.2f}'.rjust(amount_w)} {hbar(scaled, 1000, bar_w)}", no_wrap=True, overflow="crop"))
    return out
