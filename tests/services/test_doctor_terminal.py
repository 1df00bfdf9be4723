"""The doctor's terminal size check (doctor.check_terminal): the size the console gives wins, else
the size of the terminal on ``fd``, else "not a terminal"."""

from __future__ import annotations

import fcntl
import os
import struct
import termios
from collections.abc import Iterator
from contextlib import contextmanager

from loom_tui.services.doctor import OK, WARN, Report, check_terminal

ENV = {"TERM": "xterm-256color"}


@contextmanager
def pty_of(cols: int, rows: int) -> Iterator[int]:
    main, side = os.openpty()
    try:
        fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        yield side
    finally:
        os.close(side)
        os.close(main)


def size_check(fd: int | None, size: tuple[int, int] | None = None) -> tuple[str, str]:
    report = Report()
    check_terminal(report, ENV, fd, size)
    check = next(c for c in report.checks if c.name == "size")
    return check.status, check.detail


def test_a_terminal_is_asked_its_size() -> None:
    with pty_of(132, 43) as fd:
        assert size_check(fd) == (OK, "132x43")
    with pty_of(60, 20) as fd:
        status, detail = size_check(fd)
    assert status == WARN and detail.startswith("60x20, smaller than")


def test_the_consoles_own_size_wins_over_the_fd() -> None:
    with pty_of(60, 20) as fd:
        assert size_check(fd, (100, 50)) == (OK, "100x50")
    assert size_check(None, (100, 50)) == (OK, "100x50")


def test_no_terminal_and_no_size_is_said() -> None:
    read, write = os.pipe()
    try:
        status, detail = size_check(write)
    finally:
        os.close(read)
        os.close(write)
    assert status == WARN and detail.startswith("output is not a terminal")
    assert size_check(None)[0] == WARN
