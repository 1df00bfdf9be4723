"""``loom ARGS`` run in this process, as a test would run the installed command.

The behaviour of a headless command — its output, its exit code, what it writes — does not depend
on being a separate process, and a fresh interpreter costs about a second of imports (Textual,
the Azure SDKs) per call.  :func:`loom` calls ``loom_tui.cli.main`` with the arguments, the
environment, stdin and stdout/stderr a subprocess would have, and answers what
``subprocess.run(..., capture_output=True, text=True)`` answers.

Real subprocesses stay where the process itself is the point: signals, pipes, ``kill -9``, a pty,
and the smoke test of the installed entry point (``tests/cli/test_entry_point.py``).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import contextmanager
from typing import Iterator, Mapping


class _Stream(io.TextIOWrapper):
    """A text stream over bytes (``.buffer`` works, as on a real stdout) that is not a terminal."""

    def __init__(self, initial: bytes = b"") -> None:
        super().__init__(io.BytesIO(initial), encoding="utf-8", errors="surrogateescape", newline=None, write_through=True)

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        self.flush()
        return self.buffer.getvalue().decode("utf-8", "surrogateescape")  # type: ignore[attr-defined]


@contextmanager
def _environment(env: Mapping[str, str] | None) -> Iterator[None]:
    """``env`` replaces the whole environment for the call (as ``subprocess.run(env=...)`` does)."""
    if env is None:
        yield
        return
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def loom(*args: str, input: str | None = None, env: Mapping[str, str] | None = None,
         check: bool = False) -> subprocess.CompletedProcess:
    """Run ``loom *args`` in this process; ``input`` is its stdin (empty, not a terminal, when
    None); ``env`` its whole environment (default: this process's)."""
    from loom_tui import cli

    stdin, stdout, stderr = _Stream((input or "").encode("utf-8")), _Stream(), _Stream()
    saved = sys.stdin, sys.stdout, sys.stderr
    with _environment(env):
        sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
        try:
            code = cli.main(list(args))
        except SystemExit as exc:  # argparse's --help and usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.stdin, sys.stdout, sys.stderr = saved
    result = subprocess.CompletedProcess(["loom", *args], code, stdout.text(), stderr.text())
    if check and code != 0:
        raise AssertionError(f"loom {' '.join(args)} exited {code}: {result.stderr}")
    return result


def loom_bytes(*args: str, input: bytes | None = None, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
    """:func:`loom` with stdin and the captured output as bytes (``subprocess.run`` without ``text``)."""
    r = loom(*args, input=None if input is None else input.decode("utf-8", "surrogateescape"), env=env)
    return subprocess.CompletedProcess(r.args, r.returncode, r.stdout.encode("utf-8", "surrogateescape"),
                                       r.stderr.encode("utf-8", "surrogateescape"))




def loom_process(*args: str, input: str | None = None, env: Mapping[str, str] | None = None,
                 timeout: float = 300) -> subprocess.CompletedProcess:
    """``loom *args`` as a real process, for what only a process shows: its exit, its pid as an
    operation's owner, signals, pipes."""
    return subprocess.run([sys.executable, "-m", "loom_tui.cli", *args], capture_output=True, text=True, input=input,
                          env=dict(os.environ if env is None else env), timeout=timeout,
                          stdin=None if input is not None else subprocess.DEVNULL)
