"""Time from process start to the first painted frame, measured from outside like a person would.

The command runs on a fresh pseudo-terminal (80x24).  Before its first frame a Textual app writes
only control sequences (alternate screen, mouse and paste modes, queries); the first frame is the
first time its output, with escape sequences removed, contains a visible character.  No hook in the
app is needed, so loom and the baseline are measured identically.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from typing import Mapping, Sequence

ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_]|[()][0-9A-Za-z])")


def first_frame_s(argv: Sequence[str], env: Mapping[str, str], *, cols: int = 80, rows: int = 24, timeout: float = 30.0,
                  until: bytes | None = None) -> float:
    """Seconds to the first visible character (or, with ``until``, to that text being painted)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    t0 = time.perf_counter()
    proc = subprocess.Popen(list(argv), stdin=slave, stdout=slave, stderr=slave, env=dict(env), start_new_session=True, close_fds=True)
    os.close(slave)
    buf = b""
    try:
        while True:
            left = timeout - (time.perf_counter() - t0)
            if left <= 0:
                raise TimeoutError(f"{argv[0]}: no frame within {timeout} s; output: {buf[-500:]!r}")
            ready, _, _ = select.select([master], [], [], min(left, 0.5))
            if not ready:
                if proc.poll() is not None:
                    raise RuntimeError(f"{argv[0]} exited ({proc.returncode}) before painting: {buf[-500:]!r}")
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{argv[0]} closed its terminal before painting: {buf[-500:]!r}")
            buf += chunk
            visible = ESCAPES.sub(b"", buf)
            if (until in visible) if until else visible.strip():
                return time.perf_counter() - t0
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(10)
        os.close(master)
