"""Anomalies and the month forecast, computed from daily series (pure functions, no I/O).

Rules (each names its day and amount):

* **new service**: a service with cost in the window that had none in the ``LOOKBACK`` days
  before its first day (and the lookback has data at all); day = its first day.
* **stopped service**: a service that cost something on at least ``STOPPED_MIN_DAYS`` of the
  ``LOOKBACK`` days before, then nothing for the last ``STOPPED_QUIET`` days of data; day = the
  first quiet day, amount = its average daily cost before (what stopped).
* **spike**: a day whose cost is above ``SPIKE_FACTOR`` x the median of the 14 days before it and
  above that median by at least ``SPIKE_MIN`` (per service and for the total); amount = that day.
* **steady growth**: weekly sums of the last ``GROWTH_WEEKS`` whole weeks rise every week, by
  ``GROWTH_MIN`` in total; day = the last day, amount = the average growth per week.

Forecast (simple on purpose, shown with the number): month to date + the average daily cost of
the last 7 days with data x the days of the month without data yet.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from statistics import median

from .model import Anomaly, Forecast
from .periods import month_days

ZERO = Decimal(0)
LOOKBACK = 30
STOPPED_MIN_DAYS = 10
STOPPED_QUIET = 3
SPIKE_FACTOR = Decimal(2)
SPIKE_MIN = Decimal(10)
SPIKE_BASE_DAYS = 14
GROWTH_WEEKS = 4
GROWTH_MIN = Decimal("0.20")
FORECAST_DAYS = 7
METHOD = "month to date + average of the last 7 days with data x days left in the month"
TOTAL = "(total)"


def _series(days: dict[date, Decimal], start: date, end: date) -> list[Decimal]:
    return [days.get(start + timedelta(days=i), ZERO) for i in range((end - start).days)]


def anomalies(currency: str, by_key: dict[str | None, dict[date, Decimal]], window_start: date, window_end: date,
              data_start: date | None, *, services: bool = True) -> list[Anomaly]:
    """``by_key``: key -> day -> cost over [window_start - LOOKBACK, window_end).  With
    ``services`` the keys are services (new / stopped / spikes, and spikes of the total);
    otherwise resources (spikes and steady growth)."""
    found: list[Anomaly] = []
    total: dict[date, Decimal] = {}
    for key, days in by_key.items():
        for d, c in days.items():
            total[d] = total.get(d, ZERO) + c
    last_data = max((d for d, c in total.items() if c), default=None)
    for key, days in sorted(by_key.items(), key=lambda kv: str(kv[0])):
        name = key if key is not None else "(none)"
        if services:
            found += _new_or_stopped(currency, name, days, window_start, window_end, data_start, last_data)
            found += _spikes(currency, name, days, window_start, window_end)
        else:
            found += _spikes(currency, name, days, window_start, window_end)
            found += _growth(currency, name, days, window_end, last_data)
    if services:
        found += _spikes(currency, TOTAL, total, window_start, window_end)
        found += _growth(currency, TOTAL, total, window_end, last_data)
    return sorted(found, key=lambda a: (a.day, a.kind, a.key), reverse=True)


def _new_or_stopped(currency: str, key: str, days: dict[date, Decimal], ws: date, we: date, data_start: date | None,
                    last_data: date | None) -> list[Anomaly]:
    out: list[Anomaly] = []
    billed = sorted(d for d, c in days.items() if c)
    if not billed:
        return out
    first = billed[0]
    if ws <= first < we and data_start is not None and data_start <= first - timedelta(days=LOOKBACK):
        out.append(Anomaly("new-service", currency, key, first, days[first], f"first cost on {first.isoformat()}, none in the {LOOKBACK} days before"))
    if last_data is not None:
        last = billed[-1]
        quiet_from = last + timedelta(days=1)
        before = [d for d in billed if d > last - timedelta(days=LOOKBACK)]
        if (last_data - last).days >= STOPPED_QUIET and ws <= quiet_from < we and len(before) >= STOPPED_MIN_DAYS:
            avg = sum((days[d] for d in before), ZERO) / len(before)
            out.append(Anomaly("stopped-service", currency, key, quiet_from, avg.quantize(Decimal("0.01")),
                               f"no cost since {quiet_from.isoformat()} (was about {avg:.2f} a day)"))
    return out


def _spikes(currency: str, key: str, days: dict[date, Decimal], ws: date, we: date) -> list[Anomaly]:
    out: list[Anomaly] = []
    d = ws
    while d < we:
        cost = days.get(d, ZERO)
        base = [days.get(d - timedelta(days=i), ZERO) for i in range(1, SPIKE_BASE_DAYS + 1)]
        m = Decimal(median(base))
        if sum(1 for b in base if b) >= SPIKE_BASE_DAYS - 2:  # established: a service's first days are "new", not spikes
            if cost > m * SPIKE_FACTOR and cost - m >= SPIKE_MIN:
                out.append(Anomaly("spike", currency, key, d, cost, f"{cost:.2f} against a usual {m:.2f} a day"))
        d += timedelta(days=1)
    return out


def _growth(currency: str, key: str, days: dict[date, Decimal], we: date, last_data: date | None) -> list[Anomaly]:
    if last_data is None:
        return []
    end = min(we - timedelta(days=1), last_data)
    weeks = [sum(_series(days, end - timedelta(days=7 * (w + 1) - 1), end - timedelta(days=7 * w - 1)), ZERO)
             for w in reversed(range(GROWTH_WEEKS))]
    if weeks[0] <= 0 or any(b <= a for a, b in zip(weeks, weeks[1:])):
        return []
    if (weeks[-1] - weeks[0]) / weeks[0] < GROWTH_MIN:
        return []
    per_week = ((weeks[-1] - weeks[0]) / (GROWTH_WEEKS - 1)).quantize(Decimal("0.01"))
    return [Anomaly("steady-growth", currency, key, end, per_week,
                    f"weekly cost rose {GROWTH_WEEKS - 1} weeks running: {weeks[0]:.2f} -> {weeks[-1]:.2f}")]


def forecast(currency: str, days: dict[date, Decimal], today: date) -> Forecast:
    """The month of ``today``: ``days`` holds day -> cost from at least 7 days before the month."""
    start = today.replace(day=1)
    n = month_days(today)
    with_data = sorted(d for d in days if d <= today and days[d] != 0)
    through = max((d for d in with_data if d >= start), default=start - timedelta(days=1))
    mtd = sum((c for d, c in days.items() if start <= d <= through), ZERO)
    recent = [d for d in with_data if d <= through][-FORECAST_DAYS:]
    rate = (sum((days[d] for d in recent), ZERO) / len(recent)) if recent else ZERO
    left = n - (through - start).days - 1
    return Forecast(currency, start, through, mtd, rate, mtd + rate * left, n, METHOD)
