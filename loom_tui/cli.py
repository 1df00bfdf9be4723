"""The ``loom`` command: opens the console, or runs a headless subcommand on the same services.

Subcommands live in ``loom_tui/commands/`` (one module per noun); each registers itself with
``register(subparsers)`` and sets ``handler`` — a coroutine ``(args) -> exit code``.  Imports are
lazy so ``loom --version`` and the TUI start fast.

The global flags (``--profile``, ``--data-dir``, ``--read-only``, ``--log-level``) work before
or after the subcommand (``loom workspaces list --read-only``).  Exit codes come from the error
family (``loom_tui.errors``): 0 ok, 1 failure, 2 bad input or usage (argparse's own errors too),
3 not found, 4 refused, 5 conflict, 130 interrupted.  A closed stdout (``loom … | head -1``) ends
the command quietly.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Sequence

from loom_tui import __version__

COMMAND_MODULES = ("seed", "repair", "workspaces", "cloud", "doctor", "profile", "items", "members", "login", "dlz", "cost", "demo_azure", "operations", "migrate", "store", "capacity", "audit", "notifications", "usage")


class LoomParser(argparse.ArgumentParser):
    """argparse with loom's error format: usage errors exit 2, as one JSON object under ``-o json``."""

    json_errors = False  # set by ``main`` from the raw command line

    def error(self, message: str) -> None:  # type: ignore[override]
        if LoomParser.json_errors:
            from loom_tui.commands.output import report_error
            from loom_tui.errors import USAGE

            report_error("json", message=f"{self.prog}: {message}", code="usage", exit_code=USAGE)
            self.exit(USAGE)
        super().error(message)


def _global_flags(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The flags every command takes.  Under a subcommand their default is SUPPRESS, so a flag not
    repeated there keeps the value given before the subcommand."""
    d = (lambda v: argparse.SUPPRESS) if suppress else (lambda v: v)
    flags = (
        (("--profile",), dict(metavar="NAME", default=d(None), help="profile from the config file (default: its default_profile, else 'local')")),
        (("--data-dir",), dict(metavar="PATH", default=d(None), help="folder of the embedded store (env LOOM_DATA_DIR)")),
        (("--read-only",), dict(action="store_true", default=d(False), help="refuse and hide every change")),
        (("--as",), dict(dest="as_persona", metavar="PERSONA", default=d(None), choices=["viewer", "contributor", "admin", "tenant-admin"],
                         help="local profile: act as the demo tenant's viewer, contributor, admin or tenant-admin (default)")),
        (("--log-level",), dict(default=d(None), choices=["debug", "info", "warning", "error"], help="log file verbosity")),
    )
    taken = set(parser._option_string_actions)
    for names, kw in flags:
        if not taken.intersection(names):  # a command's own flag of that name wins (profile add --read-only)
            parser.add_argument(*names, **kw)


def _subparsers(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen = set()
            for child in action.choices.values():
                if id(child) not in seen:
                    seen.add(id(child))
                    yield child
                    yield from _subparsers(child)


def build_parser() -> argparse.ArgumentParser:
    parser = LoomParser(
        prog="loom",
        description="CSA Loom console for the terminal. Without a command, opens the full-screen console.",
        epilog="Exit codes: 0 ok, 1 failure, 2 bad input or usage, 3 not found, 4 refused (read-only or role), 5 conflict, 130 interrupted.",
    )
    parser.add_argument("--version", action="store_true", help="print versions and exit")
    _global_flags(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=LoomParser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"loom_tui.commands.{name}").register(sub)
    for child in _subparsers(parser):
        _global_flags(child, suppress=True)
    return parser


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    lines = [f"loom-tui {__version__}"]
    for pkg in ("textual", "rich", "azure-core", "azure-identity", "azure-cosmos", "msal", "msal-extensions"):
        try:
            lines.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            lines.append(f"{pkg} (not installed)")
    lines.append(f"python {sys.version.split()[0]}")
    return "\n".join(lines)


def _bad_utf8(argv: Sequence[str]) -> int | None:
    """Arguments that are not valid UTF-8 (Python keeps them as lone surrogates): the index of
    the first, so it is refused with one line instead of failing later with a traceback."""
    for i, arg in enumerate(argv):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return i
    return None


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _main(sys.argv[1:] if argv is None else list(argv))
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # the reader went away (``loom workspaces list | head -1``): stop quietly, as `cat` does;
        # stdout now points at /dev/null so the interpreter's last flush cannot complain
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141  # 128 + SIGPIPE, what a shell reports for a writer whose pipe closed


def _main(argv: list[str]) -> int:
    bad = _bad_utf8(argv)
    if bad is not None:
        print(f"loom: argument {bad + 1} is not valid UTF-8", file=sys.stderr)
        return 2
    from loom_tui.commands.output import wants_json

    LoomParser.json_errors = wants_json(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if hasattr(args, "output"):  # commands not yet on emit() still read args.json
        args.json = args.output == "json"
    from loom_tui.logs import setup_logging

    setup_logging(args.log_level)
    if args.version:
        print(versions())
        return 0
    if args.command is None:
        from loom_tui.run_tui import run_tui

        return run_tui(args)
    from loom_tui.commands.common import run_command

    return run_command(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
