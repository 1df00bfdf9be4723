"""Run a command on a fresh pseudo-terminal of a given size, draining its output in a thread."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import termios
import threading
import time
from typing import Sequence

ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])")


def plain(text: str) -> str:
    """Terminal output without escape sequences."""
    return ANSI.sub("", text)


class PtyProcess:
    def __init__(self, argv: Sequence[str], *, env: dict[str, str], cols: int = 80, rows: int = 24,
                 controlling: bool = True) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

        def make_ctty() -> None:  # runs in the child after setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
            preexec_fn=make_ctty if controlling else None, close_fds=True,
        )
        os.close(slave)
        self._buf = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self._buf.extend(chunk)

    @property
    def output(self) -> str:
        with self._lock:
            return self._buf.decode("utf-8", "replace")

    def wait_for(self, text: str, timeout: float = 15.0) -> float:
        """Seconds since start when ``text`` first showed (escape sequences ignored)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text in plain(self.output):
                return time.perf_counter() - self.started
            if self.proc.poll() is not None:
                raise AssertionError(f"process exited ({self.proc.returncode}) before {text!r}: {plain(self.output)[-2000:]!r}")
            time.sleep(0.02)
        raise AssertionError(f"{text!r} did not appear within {timeout} s: {plain(self.output)[-2000:]!r}")

    def close_master(self) -> None:
        try:
            os.close(self.master)
        except OSError:
            pass

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        self.close_master()
