"""The slow path of a failed import: read the file row by row and name the first problem.

It runs only after DuckDB refused a file, applying the same rules as ``sqlexpr`` in Python, so
the operator gets one clear sentence (file, line, column, value) instead of an engine message.
Lines are physical lines of the file (a quoted value spanning lines counts all of them).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from .encoding import header_line
from .errors import CostFileError
from .formats import FOCUS, Layout

NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
MAX_COST = Decimal(10) ** 26  # DECIMAL(38,12)
NULLS = ("", "NULL")


def open_text(path: Path) -> IO[str]:
    raw = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def read_header(path: Path) -> list[str]:
    """The header's columns, read with a bound on the line (see :mod:`.encoding`)."""
    line = header_line(path)
    try:
        return next(csv.reader(io.StringIO(line)))
    except StopIteration:
        return []
    except csv.Error as exc:
        raise CostFileError(str(path), f"the header line is not CSV ({exc})", line=1) from None


def shown(value: str) -> str:
    text = value if len(value) <= 40 else value[:39] + "…"
    return repr(text)


def check_cost(value: str) -> str | None:
    if value in NULLS:
        return "is empty (a cost is required)"
    if not NUMBER.match(value):
        return f"is not a number: {shown(value)}"
    try:
        if abs(Decimal(value)) >= MAX_COST:
            return f"is out of range: {shown(value)}"
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return f"is not a number: {shown(value)}"
    return None


def parse_date(value: str) -> date:
    if "/" in value:
        return datetime.strptime(value.split(" ")[0], "%m/%d/%Y").date()
    return date.fromisoformat(value[:10])


def check_date(value: str) -> str | None:
    if value in NULLS:
        return "is empty (a date is required)"
    try:
        parse_date(value)
    except ValueError:
        return f"is not a date (ISO 8601 or MM/DD/YYYY): {shown(value)}"
    return None


ISO_4217 = re.compile(r"[A-Za-z]{3}")


def check_currency(value: str) -> str | None:
    if value in NULLS:
        return "is empty (a billing currency is required)"
    if not ISO_4217.fullmatch(value):
        return f"is not a three-letter ISO 4217 code (such as USD or EUR): {shown(value)}"
    return None


def parse_tags(value: str) -> dict | None:
    v = value.strip()
    if v in NULLS or v == "{}":
        return None
    return json.loads(v if v.startswith("{") else "{" + v + "}")


def check_tags(value: str) -> str | None:
    try:
        parse_tags(value)
    except ValueError:
        return f"is not JSON (with or without outer braces): {shown(value.strip())}"
    return None


def checks(layout: Layout) -> list[tuple[str, int, object]]:
    """(column name, position, check) for each checked field."""
    wanted = {"date": check_date, "currency": check_currency, "tags": check_tags}
    if layout.family == FOCUS:
        wanted.update(actual=check_cost, amortized=check_cost)
    else:
        wanted["cost"] = check_cost
    index = {name: i for i, name in reversed(list(enumerate(layout.columns)))}
    return [(layout.fields[f], index[layout.fields[f]], fn) for f, fn in wanted.items() if f in layout.fields]


def first_problem(path: Path, layout: Layout) -> tuple[int | None, str | None, str] | None:
    """(line, column, problem) of the first bad row, or None when Python finds nothing wrong."""
    todo = checks(layout)
    width = len(layout.columns)
    try:
        with open_text(path) as fh:
            reader = csv.reader(fh)
            next(reader, None)
            for row in reader:
                if len(row) != width:
                    if not row:
                        continue
                    return reader.line_num, None, f"expected {width} columns, found {len(row)}"
                for name, i, fn in todo:
                    problem = fn(row[i].strip())  # type: ignore[operator]
                    if problem:
                        return reader.line_num, name, problem
    except UnicodeDecodeError as exc:
        return None, None, f"is not UTF-8 text ({exc.reason} at byte {exc.start} of a read block)"
    except csv.Error as exc:
        return reader.line_num, None, f"is not valid CSV: {exc}"
    return None
