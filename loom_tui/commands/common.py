"""What every headless subcommand shares: opening the context, JSON output, clear failures."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any, Awaitable, Callable

from loom_tui.config import ConfigError
from loom_tui.errors import ServiceError
from loom_tui.store.errors import StoreError

Handler = Callable[[argparse.Namespace], Awaitable[int]]


def add_json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


def fail(message: str, code: int = 2) -> int:
    # plain text on stderr: never colour, never markup
    print(f"loom: {message}", file=sys.stderr)
    return code


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str))


def _printable(value: Any) -> str:
    """Terminal-safe text: control characters (escape sequences) shown as \\x.. escapes."""
    text = "" if value is None else str(value)
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def print_table(headers: list[str], rows: list[list[Any]]) -> None:
    cells = [[_printable(c) for c in row] for row in rows]
    widths = [max([len(h)] + [min(len(r[i]), 60) for r in cells]) for i, h in enumerate(headers)]

    def fmt(row: list[str]) -> str:
        out = []
        for text, w in zip(row, widths):
            text = text if len(text) <= 60 else text[:59] + "…"
            out.append(text.ljust(w))
        return "  ".join(out).rstrip()

    print(fmt(headers))
    for row in cells:
        print(fmt(row))


def run_command(args: argparse.Namespace) -> int:
    handler: Handler = args.handler
    try:
        return asyncio.run(handler(args))
    except ConfigError as exc:
        return fail(str(exc))
    except ServiceError as exc:
        return fail(str(exc))
    except StoreError as exc:
        return fail(f"store: {exc}")
    except KeyboardInterrupt:
        return fail("interrupted", 130)
