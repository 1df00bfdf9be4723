"""Drive the real ``loom`` command in a real terminal: a detached tmux session of a given size.

Each harness gets its own tmux server (``-L <unique socket>``), so tests never see each other's
sessions or the developer's own tmux.  The command runs under ``env -i`` with exactly the
environment the test gives (plus PATH/HOME/LANG), so ``TERM``, ``NO_COLOR`` and ``COLORTERM`` are
what the test says and not whatever the CI shell had.

    def test_x(tmux):
        s = tmux.start([loom, "--profile", "local"], cols=80, rows=24, env={"TERM": "xterm"})
        s.wait_for("Workspaces")
        s.send("2")
        s.wait_for("Capacity")
        text = s.capture()

``tmux`` is a pytest fixture (register with ``pytest_plugins = ["tests.support.tmux"]`` or import
the fixture into a conftest); every session is killed and the server stopped at teardown.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Iterator, Mapping, Sequence

import pytest

BASE_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "LOOM_DATA_DIR", "LOOM_CONFIG", "LOOM_STATE_DIR", "LOOM_DEMO_SPEED", "VIRTUAL_ENV")


class TmuxError(AssertionError):
    pass


class TmuxSession:
    def __init__(self, harness: "Tmux", name: str) -> None:
        self.h = harness
        self.name = name

    # ------------------------------------------------------------ input

    def send(self, *keys: str, literal: bool = False) -> None:
        """tmux key names ("Enter", "Escape", "C-q", "Down") or, with ``literal``, text to type."""
        args = ["send-keys", "-t", self.name]
        if literal:
            args.append("-l")
        self.h.tmux(*args, *keys)

    def type(self, text: str) -> None:
        self.send(text, literal=True)

    def resize(self, cols: int, rows: int) -> None:
        self.h.tmux("resize-window", "-t", self.name, "-x", str(cols), "-y", str(rows))

    # ------------------------------------------------------------ output

    def capture(self, *, escapes: bool = False) -> str:
        """The visible pane; with ``escapes`` the colour/style sequences are kept (``capture-pane -e``)."""
        args = ["capture-pane", "-p", "-t", self.name]
        if escapes:
            args.append("-e")
        return self.h.tmux(*args, check=False).stdout

    def wait_for(self, text: str, timeout: float = 15.0, *, gone: bool = False) -> str:
        """Poll the pane until ``text`` shows (or, with ``gone``, no longer shows); returns the pane."""
        end = time.monotonic() + timeout
        pane = ""
        while time.monotonic() < end:
            pane = self.capture()
            if (text in pane) != gone:
                return pane
            if not self.alive():
                break
            time.sleep(0.05)
        state = "still there" if gone else "never appeared"
        raise TmuxError(f"{text!r} {state} within {timeout} s; pane:\n{pane}")

    def wait_for_any(self, texts: Sequence[str], timeout: float = 15.0) -> str:
        end = time.monotonic() + timeout
        pane = ""
        while time.monotonic() < end:
            pane = self.capture()
            if any(t in pane for t in texts):
                return pane
            time.sleep(0.05)
        raise TmuxError(f"none of {texts!r} appeared within {timeout} s; pane:\n{pane}")

    # ------------------------------------------------------------ process

    def pane_pid(self) -> int:
        out = self.h.tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").stdout.strip()
        return int(out)

    def alive(self) -> bool:
        return self.h.tmux("has-session", "-t", self.name, check=False).returncode == 0

    def kill(self) -> None:
        """``tmux kill-session``: what a dropped SSH connection does to the programs inside."""
        self.h.tmux("kill-session", "-t", self.name, check=False)


class Tmux:
    def __init__(self) -> None:
        exe = shutil.which("tmux")
        if not exe:
            pytest.skip("tmux is not installed")
        self.exe = exe
        self.socket = f"loom-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.sessions: list[TmuxSession] = []
        # The server must outlive killed sessions: with tmux's default (exit-empty on) killing the
        # last session stops the server, and a new-session racing that shutdown fails with
        # "server exited unexpectedly".  No user config is read.
        conf = tempfile.NamedTemporaryFile("w", prefix="loom-tmux-", suffix=".conf", delete=False)
        conf.write("set -g exit-empty off\nset -g default-size 80x24\n")
        conf.close()
        self.conf = conf.name

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        r = subprocess.run([self.exe, "-L", self.socket, "-f", self.conf, *args], capture_output=True, text=True, timeout=10)
        if check and r.returncode != 0:
            raise TmuxError(f"tmux {' '.join(args)} failed: {r.stderr.strip()}")
        return r

    def start(self, argv: Sequence[str], *, cols: int = 80, rows: int = 24, env: Mapping[str, str] | None = None,
              term: str = "xterm-256color", cwd: str | Path | None = None) -> TmuxSession:
        name = f"s{len(self.sessions)}"
        full = {k: os.environ[k] for k in BASE_ENV if k in os.environ}
        full.setdefault("LANG", "C.UTF-8")
        full["TERM"] = term
        full.update(env or {})
        command = "exec env -i " + " ".join(shlex.quote(f"{k}={v}") for k, v in full.items()) + " " + shlex.join(argv)
        self.tmux("new-session", "-d", "-s", name, "-x", str(cols), "-y", str(rows), *(["-c", str(cwd)] if cwd else []), command)
        # keep the pane's size fixed at what the test asked for, and keep a dead pane's text readable
        self.tmux("set-option", "-t", name, "window-size", "manual", check=False)
        self.tmux("set-option", "-t", name, "remain-on-exit", "on", check=False)
        s = TmuxSession(self, name)
        self.sessions.append(s)
        return s

    def close(self) -> None:
        self.tmux("kill-server", check=False)
        try:
            os.unlink(self.conf)
        except OSError:
            pass


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    h = Tmux()
    try:
        yield h
    finally:
        h.close()
