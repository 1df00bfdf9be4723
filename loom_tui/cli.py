"""The ``loom`` command: opens the console, or runs a headless subcommand on the same services.

Subcommands live in ``loom_tui/commands/`` (one module per noun); each registers itself with
``register(subparsers)`` and sets ``handler`` — a coroutine ``(args) -> exit code``.  Imports are
lazy so ``loom --version`` and the TUI start fast.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from typing import Sequence

from loom_tui import __version__

COMMAND_MODULES = ("seed", "workspaces", "cloud", "doctor", "profile", "items", "members", "login", "dlz", "cost", "demo_azure")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="loom",
        description="CSA Loom console for the terminal. Without a command, opens the full-screen console.",
    )
    parser.add_argument("--version", action="store_true", help="print versions and exit")
    parser.add_argument("--profile", metavar="NAME", help="profile from the config file (default: its default_profile, else 'local')")
    parser.add_argument("--data-dir", metavar="PATH", help="folder of the embedded store (env LOOM_DATA_DIR)")
    parser.add_argument("--read-only", action="store_true", help="refuse and hide every change")
    parser.add_argument("--log-level", default=None, choices=["debug", "info", "warning", "error"], help="log file verbosity")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"loom_tui.commands.{name}").register(sub)
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
