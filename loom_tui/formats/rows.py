"""The one formatter: rows (dicts) and records in ``table``, ``json``, ``yaml``, ``csv``, ``tsv`` or
``markdown``, for every headless command (:mod:`loom_tui.commands.output` adds their flags:
``-o``, ``--query``, ``--top``) and for the console's exports (:mod:`loom_tui.services.cost.export`).

- ``table`` is for a person: aligned columns, long cells cut with ``…``, money with two decimals;
  one record prints as ``key: value`` lines; a command's message (``created workspace …``) as it is.
- ``json``, ``yaml``, ``csv``, ``tsv`` are for machines: every row, nothing cut, full precision (a
  Decimal prints every digit it holds), times ISO 8601 (:mod:`.document`).  ``markdown`` is for
  pasting into a ticket.
- CSV/TSV cells that a spreadsheet would run as a formula (text beginning with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return, or their full-width forms) get a leading ``'`` (OWASP's advice);
  numbers, negative ones included, stay numbers.

No format ever carries what could drive a terminal: control characters, bidi overrides and
zero-width characters are shown as visible escapes (:func:`loom_tui.domain.text.visible`), as
``\\u202e``-style escapes in JSON and YAML; nothing is ever formatted as markup.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Callable, Iterable, Sequence, TextIO

from loom_tui.domain.text import visible

from .document import decimal_text, json_text, plain, yaml_text

FORMATS = ("table", "json", "yaml", "csv", "tsv", "markdown")
CELL_MAX = 60  # a table cell longer than this is cut (the other formats never cut)
# what a spreadsheet runs as a formula when a cell begins with it (OWASP CSV injection), and the
# full-width forms some spreadsheets also accept
SHEET_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell(value: Any, *, machine: bool = False) -> str:
    """One value as terminal-safe text: lists joined, objects as compact JSON, None as empty,
    times ISO 8601; money (a Decimal) with two decimals for a person, every digit for a machine."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("true" if value else "false") if machine else ("yes" if value else "no")
    if isinstance(value, Decimal):
        return decimal_text(value) if machine else (f"{value:,.2f}" if value.is_finite() else str(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(v, machine=machine) for v in value)
    if isinstance(value, dict):
        return json_text(value, indent=None)
    return visible(str(value))


def sheet_safe(value: Any, text: str) -> str:
    """``text`` (a CSV/TSV cell of ``value``) with a leading ``'`` when a spreadsheet would run it
    as a formula; numbers (``-12.5`` too) are left as they are."""
    if not text or text[0] not in SHEET_TRIGGERS:
        return text
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) or _NUMBER.fullmatch(text):
        return text
    return "'" + text


def machine_cell(value: Any) -> str:
    return sheet_safe(value, cell(value, machine=True))


def cut(text: str, width: int = CELL_MAX) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class Column:
    """A column of a list: ``key`` names it in csv/tsv (and is the row's field unless ``value``
    derives it), ``header`` is what a person reads in a table or markdown, ``show`` how a person
    reads a value (``12.3%``, ``2026-11-02 09:30``) — csv/tsv keep the value itself."""

    key: str
    header: str = ""
    value: Callable[[dict], Any] | None = None
    show: Callable[[dict], Any] | None = None

    def get(self, row: dict) -> Any:
        return self.value(row) if self.value is not None else row.get(self.key)

    def shown(self, row: dict) -> Any:
        return self.show(row) if self.show is not None else self.get(row)

    @property
    def title(self) -> str:
        return self.header or self.key


def columns_of(rows: Iterable[dict]) -> list[Column]:
    keys: dict[str, None] = {}
    for r in rows:
        keys.update(dict.fromkeys(r))
    return [Column(k) for k in keys]


class Sink:
    """Writes one row at a time in a machine format (a JSON array, a YAML sequence, CSV, TSV)."""

    def __init__(self, fmt: str, columns: list[Column], out: TextIO) -> None:
        self.fmt, self.columns, self.out, self.count = fmt, columns, out, 0
        self.csv = csv.writer(out, lineterminator="\n") if fmt == "csv" else None

    def write(self, row: dict, doc: Any) -> None:
        first = self.count == 0
        self.count += 1
        if self.fmt == "json":
            body = "\n".join("  " + line for line in json_text(doc).split("\n"))
            self.out.write(("[\n" if first else ",\n") + body)
        elif self.fmt == "yaml":
            self.out.write(yaml_text([doc]))
        else:
            if first:
                self._line([c.key for c in self.columns], header=True)
            self._line([machine_cell(c.get(row)) for c in self.columns])

    def _line(self, cells: list[str], header: bool = False) -> None:
        if self.csv is not None:
            self.csv.writerow(cells)
        else:  # tsv: cells hold no tab or newline (shown as \t, \n)
            self.out.write("\t".join(visible(c) for c in cells) + "\n")

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n" if self.count else "[]\n")
        elif self.fmt == "yaml" and not self.count:
            self.out.write("[]\n")
        elif self.count == 0:
            self._line([c.key for c in self.columns], header=True)


def write_document(fmt: str, doc: Any, out: TextIO) -> None:
    if fmt == "yaml":
        out.write(yaml_text(doc))
    else:
        print(json_text(doc), file=out)


def write_value(fmt: str, value: Any, out: TextIO) -> None:
    """Any JSON value (a ``--query`` result) in ``fmt``: objects as rows or a record, plain values
    one per line (``az --query "[].name" -o tsv``), a scalar as itself."""
    if fmt in ("json", "yaml"):
        write_document(fmt, value, out)
        return
    value = plain(value)
    if isinstance(value, dict):
        write_record(fmt, value, None, None, out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        write_rows(fmt, value, columns_of(value), None, out)
    elif isinstance(value, list):
        if fmt in ("csv", "tsv"):
            for v in value:
                cells = v if isinstance(v, list) else [v]
                Sink(fmt, [], out)._line([machine_cell(c) for c in cells])
        else:
            write_rows(fmt, [{"Result": v} for v in value], [Column("Result")], None, out)
    elif value is not None:
        text = machine_cell(value) if fmt in ("csv", "tsv") else cell(value)
        print(text, file=out)


def write_rows(fmt: str, rows: list[dict], columns: list[Column], footer: str | None, out: TextIO) -> None:
    if fmt in ("csv", "tsv"):
        sink = Sink(fmt, columns, out)
        for r in rows:
            sink.write(r, None)
        if not rows:
            sink.close()
        return
    cells = [[cell(c.shown(r)) for c in columns] for r in rows]
    if fmt == "markdown":
        print("| " + " | ".join(md_cell(c.title) for c in columns) + " |", file=out)
        print("|" + "|".join("---" for _ in columns) + "|", file=out)
        for row in cells:
            print("| " + " | ".join(md_cell(v) for v in row) + " |", file=out)
        return
    shown = [[cut(v) for v in row] for row in cells]
    titles = [visible(c.title.upper()) for c in columns]
    widths = [max([len(t)] + [len(r[i]) for r in shown]) for i, t in enumerate(titles)]
    print("  ".join(t.ljust(w) for t, w in zip(titles, widths)).rstrip(), file=out)
    for row in shown:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip(), file=out)
    if footer:
        print("\n".join(visible(line) for line in footer.split("\n")), file=out)


def write_record(fmt: str, record: dict, columns: Sequence[Column] | None, message: str | None, out: TextIO) -> None:
    cols = list(columns) if columns else [Column(k) for k in record]
    if fmt in ("csv", "tsv", "markdown"):
        if fmt == "markdown" and message is None:
            print("| field | value |\n|---|---|", file=out)
            for c in cols:
                print(f"| {md_cell(c.title)} | {md_cell(cell(c.shown(record)))} |", file=out)
            return
        write_rows(fmt, [record], cols, None, out)
        return
    if message is not None:  # a person's sentence; each of its lines made safe
        print("\n".join(visible(line) for line in message.split("\n")), file=out)
        return
    width = max((len(c.title) for c in cols), default=0)
    for c in cols:
        print(f"{visible(c.title + ':').ljust(width + 1)} {cell(c.shown(record))}".rstrip(), file=out)


def md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def write(fmt: str, data: list[dict] | dict, columns: Sequence[Column] | None = None, *, json: Any = None,
          footer: str | None = None, message: str | None = None, out: TextIO) -> None:
    """``data`` (rows, or one record) in ``fmt`` to ``out``: every row, nothing cut.  ``json``
    replaces what JSON and YAML print; ``footer`` is a table's line after the rows, ``message``
    what a table prints for a record instead of its ``key: value`` lines."""
    if fmt in ("json", "yaml"):
        write_document(fmt, data if json is None else json, out)
    elif isinstance(data, dict):
        write_record(fmt, data, columns, message, out)
    else:
        write_rows(fmt, data, list(columns) if columns else columns_of(data), footer, out)


def render(fmt: str, data: list[dict] | dict, columns: Sequence[Column] | None = None, *, json: Any = None) -> str:
    """What :func:`write` writes, as text (for a file: the console's exports)."""
    out = io.StringIO()
    write(fmt, data, columns, json=json, out=out)
    return out.getvalue()
