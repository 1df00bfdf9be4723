"""One formatter for every headless command: ``-o/--output table|json|csv|tsv|markdown``.

- ``table`` (the default) is for a person: aligned columns, long cells cut with ``…``; one record
  prints as ``key: value`` lines; a command's message (``created workspace …``) prints as it is.
- ``json``, ``csv``, ``tsv`` are for machines, ``markdown`` for pasting into a ticket.

No format ever carries what could drive a terminal: control characters (C0, C1, DEL), bidi
overrides and zero-width characters are shown as visible escapes (``\\x1b``, ``\\u202e``) in
table/csv/tsv/markdown (:func:`loom_tui.domain.text.visible`) and as ``\\uXXXX`` in JSON; nothing
is ever formatted as markup (``[red]`` in a name prints as ``[red]``).

Errors: :func:`report_error` prints ``loom: message`` on stderr, or, under ``-o json``, ONE JSON
object ``{"error": {"code": ..., "message": ...}}``; the exit code comes from the error family
(:func:`loom_tui.errors.exit_code_for`).
"""

from __future__ import annotations

import argparse
import csv
import io
import json as _json
import sys
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence, TextIO

from loom_tui.domain.text import is_hostile, visible
from loom_tui.errors import error_code_for, exit_code_for

FORMATS = ("table", "json", "csv", "tsv", "markdown")
MACHINE = ("json", "csv", "tsv")
CELL_MAX = 60  # a table cell longer than this is cut (the other formats never cut)


def add_output_args(parser: argparse.ArgumentParser) -> None:
    """``-o/--output FORMAT`` and ``--json`` (the same as ``-o json``); an option the command
    already has is left as it is."""
    taken = set(parser._option_string_actions)
    if not taken & {"-o", "--output"}:
        parser.add_argument("-o", "--output", choices=FORMATS, default="table", metavar="FORMAT",
                            help="output format: table (default), json, csv, tsv or markdown")
    if "--json" not in taken:
        parser.add_argument("--json", dest="output", action="store_const", const="json", help="the same as -o json")


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


# -- values ------------------------------------------------------------------------------------
def json_text(value: Any, *, indent: int | None = 2) -> str:
    """JSON with every hostile character escaped as ``\\uXXXX`` (json.dumps leaves C1, DEL, bidi
    and zero-width characters raw when ``ensure_ascii`` is off)."""
    # json.dumps already escapes C0 inside strings, so a raw newline is the indent's own
    text = _json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=True, default=str)
    if not any(is_hostile(ch) and ch != "\n" for ch in text):
        return text
    out = []
    for ch in text:
        if ch == "\n" or not is_hostile(ch):
            out.append(ch)
        elif ord(ch) > 0xFFFF:
            n = ord(ch) - 0x10000
            out.append(f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


def cell(value: Any) -> str:
    """One value as terminal-safe text: lists joined, objects as compact JSON, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json_text(value, indent=None)
    return visible(str(value))


def _cut(text: str, width: int = CELL_MAX) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class Column:
    """A column of a list: ``key`` names it in csv/tsv (and is the row's field unless ``value``
    derives it), ``header`` is what a person reads in a table or markdown."""

    key: str
    header: str = ""
    value: Callable[[dict], Any] | None = None

    def get(self, row: dict) -> Any:
        return self.value(row) if self.value is not None else row.get(self.key)

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

    ``data`` is a list of rows (dicts) or one record (a dict).  ``json`` replaces what the JSON
    format prints (an envelope such as ``{"total": …, "workspaces": […]}``); ``footer`` is a
    table-only line after a list; ``message`` is what the table format prints for a record
    instead of its ``key: value`` lines (``created workspace …``)."""
    out = file or sys.stdout
    fmt = output_format(args)
    if fmt == "json":
        print(json_text(data if json is None else json), file=out)
        return
    if isinstance(data, dict):
        _record(fmt, data, columns, message, out)
    else:
        _rows(fmt, data, list(columns) if columns else columns_of(data), footer, out)


def _rows(fmt: str, rows: list[dict], columns: list[Column], footer: str | None, out: TextIO) -> None:
    cells = [[cell(c.get(r)) for c in columns] for r in rows]
    if fmt == "tsv":  # cells hold no tab or newline: they are shown as \t, \n
        for row in [[visible(c.key) for c in columns], *cells]:
            print("\t".join(row), file=out)
        return
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([c.key for c in columns])
        writer.writerows(cells)
        out.write(buf.getvalue())
        return
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
                print(f"| {_md(c.title)} | {_md(cell(c.get(record)))} |", file=out)
            return
        _rows(fmt, [record], cols, None, out)
        return
    if message is not None:  # a person's sentence; each of its lines made safe
        print("\n".join(visible(line) for line in message.split("\n")), file=out)
        return
    width = max((len(c.title) for c in cols), default=0)
    for c in cols:
        print(f"{visible(c.title + ':').ljust(width + 1)} {cell(c.get(record))}".rstrip(), file=out)


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


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


__all__ = ["FORMATS", "Column", "add_output_args", "emit", "json_text", "output_format", "report_error",
           "report_warning", "say", "wants_json"]
