"""One formatter for every headless command: ``-o/--output table|json|yaml|csv|tsv|markdown``,
``--query JMESPATH`` and ``--top N`` (the TUI's exports use it too).

- ``table`` (the default) is for a person: aligned columns, long cells cut with ``…``, money with two
  decimals, at most one page (``TABLE_PAGE`` rows: the footer says how to see the rest); one
  record prints as ``key: value`` lines; a command's message (``created workspace …``) as it is.
- ``json``, ``yaml``, ``csv``, ``tsv`` are for machines: every row (streamed page by page where the
  command reads pages), nothing cut, full precision (a Decimal prints every digit it holds), times
  ISO 8601.  A list is a bare array (``[...]``), as ``az`` prints one.  ``markdown`` is for pasting
  into a ticket (every row).
- ``--top N`` keeps the first N rows in every format (``0``: all, also in a table); ``--query`` is
  JMESPath over the JSON document (after ``--top``), and its result prints in the chosen format.
- CSV/TSV cells that a spreadsheet would run as a formula (text beginning with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return, or their full-width forms) get a leading ``'`` (OWASP's advice);
  numbers, negative ones included, stay numbers.

No format ever carries what could drive a terminal: control characters (C0, C1, DEL), bidi
overrides and zero-width characters are shown as visible escapes (``\\x1b``, ``\\u202e``) in
table/csv/tsv/markdown (:func:`loom_tui.domain.text.visible`), as ``\\uXXXX`` in JSON and YAML;
nothing is ever formatted as markup (``[red]`` in a name prints as ``[red]``).

Errors: :func:`report_error` prints ``loom: message`` on stderr, or, under ``-o json``, ONE JSON
object ``{"error": {"code": ..., "message": ...}}``; the exit code comes from the error family
(:func:`loom_tui.errors.exit_code_for`).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, AsyncIterable, Callable, Iterable, Sequence, TextIO

from loom_tui.domain.text import visible
from loom_tui.errors import UsageError, error_code_for, exit_code_for

from .output_doc import compile_query, decimal_text, json_text, plain, run_query, yaml_text

FORMATS = ("table", "json", "yaml", "csv", "tsv", "markdown")
CELL_MAX = 60  # a table cell longer than this is cut (the other formats never cut)
TABLE_PAGE = 100  # rows a table shows without --top
# what a spreadsheet runs as a formula when a cell begins with it (OWASP CSV injection), and the
# full-width forms some spreadsheets also accept
SHEET_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def add_output_args(parser: argparse.ArgumentParser) -> None:
    """``-o/--output FORMAT``, ``--json`` (the same as ``-o json``), ``--query`` and ``--top``; an
    option the command already has is left as it is."""
    taken = set(parser._option_string_actions)
    if not taken & {"-o", "--output"}:
        parser.add_argument("-o", "--output", choices=FORMATS, default="table", metavar="FORMAT",
                            help="output format: table (default), json, yaml, csv, tsv or markdown")
    if "--json" not in taken:
        parser.add_argument("--json", dest="output", action="store_const", const="json", help="the same as -o json")
    if "--query" not in taken:
        parser.add_argument("--query", metavar="JMESPATH", type=_query_arg,
                            help="JMESPath over the JSON output, e.g. \"[?state=='Paused'].name\" (https://jmespath.org)")
    if "--top" not in taken:
        parser.add_argument("--top", type=_top_arg, metavar="N",
                            help=f"at most N rows (default: all; a table shows {TABLE_PAGE}); 0 = all")


def _query_arg(text: str) -> str:
    try:
        compile_query(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--query ")) from None
    return text


def _top_arg(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must not be negative (0 = all)")
    return n


def add_limit_alias(parser: argparse.ArgumentParser) -> None:
    """``--limit N``: the old name of ``--top N`` (hidden; ``0`` = all, as before)."""
    parser.add_argument("--limit", dest="top", type=_top_arg, help=argparse.SUPPRESS)


def output_format(args: argparse.Namespace | None) -> str:
    fmt = getattr(args, "output", None) if args is not None else None
    return fmt if fmt in FORMATS else "table"


def wants_json(argv: Sequence[str]) -> bool:
    """Whether a command line asks for JSON (read before parsing, for errors of the parser itself)."""
    argv = list(argv)
    for i, a in enumerate(argv):
        if a == "--":
            break
        if a in ("--json", "-ojson", "--output=json", "-o=json"):
            return True
        if a in ("-o", "--output") and i + 1 < len(argv) and argv[i + 1] == "json":
            return True
    return False


def structured(args: argparse.Namespace | None) -> bool:
    """Whether the command should hand :func:`emit` its whole JSON document: ``-o json``, ``-o yaml``
    or a ``--query`` (a person's table of a record may be laid out differently)."""
    return output_format(args) in ("json", "yaml") or _query(args) is not None


def _top(args: argparse.Namespace | None) -> int | None:
    top = getattr(args, "top", None) if args is not None else None
    return top if isinstance(top, int) and not isinstance(top, bool) else None


def _query(args: argparse.Namespace | None) -> str | None:
    q = getattr(args, "query", None) if args is not None else None
    return q if isinstance(q, str) and q else None


# -- values ------------------------------------------------------------------------------------
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


def _machine_cell(value: Any) -> str:
    return sheet_safe(value, cell(value, machine=True))


def _cut(text: str, width: int = CELL_MAX) -> str:
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


# -- printing ----------------------------------------------------------------------------------
def emit(args: argparse.Namespace | None, data: list[dict] | dict, columns: Sequence[Column] | None = None, *,
         json: Any = None, footer: str | None = None, message: str | None = None, file: TextIO | None = None) -> None:
    """Print ``data`` in the format the command line asked for.

    ``data`` is a list of rows (dicts) or one record (a dict).  ``json`` replaces what the JSON and
    YAML formats print and what ``--query`` reads (a list's public fields, or a report object);
    ``footer`` is a table-only line after a list; ``message`` is what the table format prints for a
    record instead of its ``key: value`` lines (``created workspace …``)."""
    out = file or sys.stdout
    fmt = output_format(args)
    doc = data if json is None else json
    top = _top(args)
    if top and isinstance(data, list):
        data = data[:top]
        doc = doc[:top] if isinstance(doc, list) else doc
    query = _query(args)
    if query:
        _value(fmt, run_query(query, doc), out)
    elif fmt in ("json", "yaml"):
        _document(fmt, doc, out)
    elif isinstance(data, dict):
        _record(fmt, data, columns, message, out)
    else:
        cols = list(columns) if columns else columns_of(data)
        if fmt == "table" and args is not None and top is None and len(data) > TABLE_PAGE:
            footer = "\n".join(x for x in (footer, _more(TABLE_PAGE, len(data), "rows")) if x)
            data = data[:TABLE_PAGE]
        _rows(fmt, data, cols, footer, out)


def _more(shown: int, total: int | None, noun: str) -> str:
    of = f"{shown:,} of {total:,} {noun}" if total is not None else f"the first {shown:,} {noun}"
    return f"showing {of}: --top N for more, --top 0 for all, or -o csv|json for every row"


async def emit_pages(args: argparse.Namespace | None, pages: AsyncIterable[list[dict]], columns: Sequence[Column], *,
                     doc: Callable[[dict], Any] | None = None, total: int | None = None, noun: str = "rows",
                     file: TextIO | None = None) -> int:
    """Print rows that arrive page by page: machine formats stream every row as it comes (or the
    first ``--top``), a table collects one page.  ``doc(row)`` is a row's JSON object (default: the
    row); ``total``, when known, goes in the table's footer (``100 of 3,040 workspaces``).
    Returns the number of rows printed."""
    out = file or sys.stdout
    fmt, top, query = output_format(args), _top(args), _query(args)
    to_doc = doc or (lambda r: r)
    if query or fmt in ("table", "markdown"):
        cap = top or (TABLE_PAGE if fmt == "table" and top is None and not query else None)
        rows, more = await _collect(pages, cap)
        if query:
            _value(fmt, run_query(query, [to_doc(r) for r in rows]), out)
            return len(rows)
        footer = f"{len(rows):,} of {total:,} {noun}" if total is not None else f"{len(rows):,} {noun}"
        if more and top is None:
            footer = _more(len(rows), total, noun)
        _rows(fmt, rows, list(columns), footer, out)
        return len(rows)
    sink = _Sink(fmt, list(columns), out)
    async for page in pages:
        for row in page:
            if top and sink.count >= top:
                break
            sink.write(row, to_doc(row))
        if top and sink.count >= top:
            break
    sink.close()
    return sink.count


async def _collect(pages: AsyncIterable[list[dict]], cap: int | None) -> tuple[list[dict], bool]:
    rows: list[dict] = []
    async for page in pages:
        for row in page:
            if cap is not None and len(rows) >= cap:
                return rows, True
            rows.append(row)
    return rows, False


class _Sink:
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
            self._line([_machine_cell(c.get(row)) for c in self.columns])

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


def _document(fmt: str, doc: Any, out: TextIO) -> None:
    if fmt == "yaml":
        out.write(yaml_text(doc))
    else:
        print(json_text(doc), file=out)


def _value(fmt: str, value: Any, out: TextIO) -> None:
    """Any JSON value (a ``--query`` result) in ``fmt``: objects as rows or a record, plain values
    one per line (``az --query "[].name" -o tsv``), a scalar as itself."""
    if fmt in ("json", "yaml"):
        _document(fmt, value, out)
        return
    value = plain(value)
    if isinstance(value, dict):
        _record(fmt, value, None, None, out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        _rows(fmt, value, columns_of(value), None, out)
    elif isinstance(value, list):
        if fmt in ("csv", "tsv"):
            for v in value:
                cells = v if isinstance(v, list) else [v]
                _Sink(fmt, [], out)._line([_machine_cell(c) for c in cells])
        else:
            _rows(fmt, [{"Result": v} for v in value], [Column("Result")], None, out)
    elif value is not None:
        text = _machine_cell(value) if fmt in ("csv", "tsv") else cell(value)
        print(text, file=out)


def _rows(fmt: str, rows: list[dict], columns: list[Column], footer: str | None, out: TextIO) -> None:
    if fmt in ("csv", "tsv"):
        sink = _Sink(fmt, columns, out)
        for r in rows:
            sink.write(r, None)
        if not rows:
            sink.close()
        return
    cells = [[cell(c.shown(r)) for c in columns] for r in rows]
    if fmt == "markdown":
        print("| " + " | ".join(_md(c.title) for c in columns) + " |", file=out)
        print("|" + "|".join("---" for _ in columns) + "|", file=out)
        for row in cells:
            print("| " + " | ".join(_md(v) for v in row) + " |", file=out)
        return
    shown = [[_cut(v) for v in row] for row in cells]
    titles = [visible(c.title.upper()) for c in columns]
    widths = [max([len(t)] + [len(r[i]) for r in shown]) for i, t in enumerate(titles)]
    print("  ".join(t.ljust(w) for t, w in zip(titles, widths)).rstrip(), file=out)
    for row in shown:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip(), file=out)
    if footer:
        print("\n".join(visible(line) for line in footer.split("\n")), file=out)


def _record(fmt: str, record: dict, columns: Sequence[Column] | None, message: str | None, out: TextIO) -> None:
    cols = list(columns) if columns else [Column(k) for k in record]
    if fmt in ("csv", "tsv", "markdown"):
        if fmt == "markdown" and message is None:
            print("| field | value |\n|---|---|", file=out)
            for c in cols:
                print(f"| {_md(c.title)} | {_md(cell(c.shown(record)))} |", file=out)
            return
        _rows(fmt, [record], cols, None, out)
        return
    if message is not None:  # a person's sentence; each of its lines made safe
        print("\n".join(visible(line) for line in message.split("\n")), file=out)
        return
    width = max((len(c.title) for c in cols), default=0)
    for c in cols:
        print(f"{visible(c.title + ':').ljust(width + 1)} {cell(c.shown(record))}".rstrip(), file=out)


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def render(fmt: str, data: list[dict] | dict, columns: Sequence[Column] | None = None, *, json: Any = None) -> str:
    """What :func:`emit` prints, as text (for a file: the TUI's exports); every row, nothing cut."""
    out = io.StringIO()
    args = argparse.Namespace(output=fmt, top=0 if fmt == "table" else None)
    emit(args, data, columns, json=json, file=out)
    return out.getvalue()


def say(args: argparse.Namespace | None, text: str) -> None:
    """A line for the person at the terminal (progress, notes): on stderr, made safe."""
    print(visible(text), file=sys.stderr, flush=True)


# -- errors ------------------------------------------------------------------------------------
def report_error(fmt: str, exc: BaseException | None = None, *, message: str | None = None, code: str | None = None,
                 exit_code: int | None = None) -> int:
    """Print an error on stderr (plain ``loom: …`` or one JSON object) and return its exit code."""
    text = message if message is not None else str(exc)
    code = code or (error_code_for(exc) if exc is not None else "error")
    status = exit_code if exit_code is not None else (exit_code_for(exc) if exc is not None else 1)
    if fmt == "json":
        print(json_text({"error": {"code": code, "message": text}}, indent=None), file=sys.stderr, flush=True)
    else:
        print("loom: " + visible(text), file=sys.stderr, flush=True)
    return status


def report_warning(fmt: str, message: str, code: str = "warning") -> None:
    if fmt == "json":
        print(json_text({"warning": {"code": code, "message": message}}, indent=None), file=sys.stderr, flush=True)
    else:
        print("loom: warning: " + visible(message), file=sys.stderr, flush=True)


__all__ = ["FORMATS", "TABLE_PAGE", "Column", "add_limit_alias", "add_output_args", "cell", "emit", "emit_pages", "structured",
           "json_text", "output_format", "plain", "render", "report_error", "report_warning", "say", "sheet_safe", "wants_json"]
