"""The headless commands' side of the one formatter (:mod:`loom_tui.formats`, which the console's
exports use too): ``-o/--output table|json|yaml|csv|tsv|markdown``, ``--query JMESPATH`` and
``--top N``, a table's paging, streaming page by page, and errors on stderr.

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
table/csv/tsv/markdown (:func:`loom_tui.domain.text.visible`), as ``\\u202e``-style escapes in JSON and YAML;
nothing is ever formatted as markup (``[red]`` in a name prints as ``[red]``).

Errors: :func:`report_error` prints ``loom: message`` on stderr, or, under ``-o json``, ONE JSON
object ``{"error": {"code": ..., "message": ...}}``; the exit code comes from the error family
(:func:`loom_tui.errors.exit_code_for`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, AsyncIterable, Callable, Sequence, TextIO

from loom_tui.domain.text import visible
from loom_tui.errors import UsageError, error_code_for, exit_code_for
from loom_tui.formats.document import compile_query, json_text, plain, run_query
from loom_tui.formats.rows import (FORMATS, Column, Sink, cell, columns_of, render, sheet_safe, write, write_rows,
                                   write_value)

TABLE_PAGE = 100  # rows a table shows without --top


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
        write_value(fmt, run_query(query, doc), out)
        return
    if fmt == "table" and isinstance(data, list) and args is not None and top is None and len(data) > TABLE_PAGE:
        columns = list(columns) if columns else columns_of(data)
        footer = "\n".join(x for x in (footer, _more(TABLE_PAGE, len(data), "rows")) if x)
        data = data[:TABLE_PAGE]
    write(fmt, data, columns, json=doc, footer=footer, message=message, out=out)


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
            write_value(fmt, run_query(query, [to_doc(r) for r in rows]), out)
            return len(rows)
        footer = f"{len(rows):,} of {total:,} {noun}" if total is not None else f"{len(rows):,} {noun}"
        if more and top is None:
            footer = _more(len(rows), total, noun)
        write_rows(fmt, rows, list(columns), footer, out)
        return len(rows)
    sink = Sink(fmt, list(columns), out)
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
