"""What every headless subcommand shares: running it, its errors and exit codes, prompts.

Output goes through :mod:`loom_tui.commands.output` (``-o table|json|yaml|csv|tsv|markdown``, ``--query``, ``--top``).  A
command raises from the error family (or ``fail``); :func:`run_command` is the one place that
prints the error (plain or one JSON object) and returns the exit code the family maps it to.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from typing import Any, Awaitable, Callable

from loom_tui.domain.text import visible
from loom_tui.errors import FAILURE, USAGE, CommandError, Interrupted, LoomError, ValidationError
from loom_tui.store.errors import StoreError

from .output import Column, add_output_args, emit, output_format, report_error, report_warning

Handler = Callable[[argparse.Namespace], Awaitable[int]]
log = logging.getLogger("loom.cli")


def add_json_flag(p: argparse.ArgumentParser) -> None:
    """``-o/--output`` and ``--json`` (kept under its old name for commands being written)."""
    add_output_args(p)


def fail(message: str, code: int = USAGE) -> int:
    """Refuse with ``message`` and exit ``code``; raises (``return fail(...)`` reads naturally)."""
    raise CommandError(message, code)


def print_table(headers: list[str], rows: list[list[Any]]) -> None:
    cols = [Column(str(i), h) for i, h in enumerate(headers)]
    emit(None, [{str(i): v for i, v in enumerate(r)} for r in rows], cols)


def ask(prompt: str) -> str:
    """A line typed at the terminal.  ctrl+c ends the command at once (the event loop of
    ``asyncio.run`` would only note the first one, leaving ``input()`` waiting) and ctrl+d is no
    answer; both raise :class:`Interrupted` after ending the prompt's line."""
    previous = signal.getsignal(signal.SIGINT)
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    except ValueError:  # not the main thread: keep what is there
        previous = None
    try:
        return input(visible(prompt))
    except KeyboardInterrupt:
        print(file=sys.stderr)
        raise Interrupted("interrupted (ctrl+c); nothing was changed") from None
    except EOFError:
        print(file=sys.stderr)
        raise Interrupted("no answer (end of input); nothing was changed", FAILURE) from None
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def flag_message(args: argparse.Namespace, exc: ValidationError) -> str:
    """A service's ValidationError names a field (``by``, ``contact_emails``); a command line says
    the flag that gave it (``--by``, ``--email``): the command's ``field_flags`` default maps one
    to the other.  A field no flag gives is said as the service said it."""
    flags: dict[str, str] = getattr(args, "field_flags", None) or {}
    flag = flags.get(exc.field)
    return f"{flag}: {exc.message}" if flag else str(exc)


def warn_deprecated(args: argparse.Namespace, flag: str, why: str) -> None:
    """One warning line on stderr for a flag kept only for old scripts."""
    report_warning(output_format(args), f"{flag} is deprecated: {why}", "deprecated")


def warn_unknown_keys(fmt: str) -> None:
    """The ``[keys]`` table names binding ids loom does not have: say so (once, on stderr)."""
    from loom_tui.config import load_config

    try:
        keys = load_config().keys
    except LoomError:
        return  # the command reports a broken config itself
    if keys:
        from loom_tui.services.binding_ids import describe_unknown, unknown_binding_ids

        unknown = unknown_binding_ids(keys)
        if unknown:
            report_warning(fmt, describe_unknown(unknown), "unknown-binding")


def run_command(args: argparse.Namespace) -> int:
    """Run the subcommand's handler; every failure becomes one clear line (or one JSON object)
    on stderr and the exit code of its kind.  A closed stdout (``| head``) is left to ``main``."""
    handler: Handler = args.handler
    fmt = output_format(args)
    warn_unknown_keys(fmt)
    try:
        return asyncio.run(handler(args))
    except BrokenPipeError:
        raise
    except StoreError as exc:
        return report_error(fmt, exc, message=f"store: {exc}")
    except ValidationError as exc:
        return report_error(fmt, exc, message=flag_message(args, exc))
    except LoomError as exc:
        return report_error(fmt, exc)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return report_error(fmt, Interrupted())
    except Exception as exc:  # a bug or an unexpected library error: one line here, the traceback in the log
        log.exception("headless command failed")
        from loom_tui.logs import log_file

        return report_error(fmt, exc, message=f"unexpected error: {exc or 'no message'} (the traceback is in {log_file()})",
                            code="internal", exit_code=FAILURE)
