"""Leave cleanly when the terminal goes away: save the user's place, exit within 2 s, never spin.

An SSH drop (PuTTY closed, link lost, ``tmux kill-session``) reaches a Textual app as a SIGHUP, or
not at all: if the app is not the session's foreground job, or the SIGHUP is lost, all that is left
is a terminal that no longer works.  Textual's input thread then reads end-of-file in a tight loop
and the orphaned process burns a core for days (seen in Dolphie).  This guard covers both ways:

* SIGHUP (and SIGTERM) -> save and exit;
* a daemon thread wakes every 0.5 s and checks, with two cheap syscalls per fd, that the terminal
  fds are still terminals (``isatty`` fails with EIO on a hung-up tty) and that our parent is still
  the one that started us (a vanished SSH session reparents us to init or a subreaper).

Either way it runs ``save_state`` once (on the event loop if the loop answers within 0.5 s, else on
the guard thread), asks the app to exit, and hard-exits (``os._exit``) if the app has not finished
1 s later — restoring a terminal that no longer exists must not keep the process alive.

Use it from the App, one line in ``on_mount``::

    from loom_tui.shell import terminal_guard
    ...
    def on_mount(self) -> None:
        self._guard = terminal_guard.install(self, self.save_resume_state)

where ``save_resume_state()`` writes ``loom_tui.shell.resume.save(ResumeState(...))``; it can read
``self._guard.reason`` ("SIGHUP", "SIGTERM", "terminal lost", "parent gone") to record why.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time
from typing import Any, Callable

log = logging.getLogger("loom.terminal")

POLL_INTERVAL_S = 0.5
SAVE_WAIT_S = 0.5  # how long the loop gets to run save_state before the guard thread does it
EXIT_GRACE_S = 1.0  # how long a graceful app exit may take before os._exit
EXIT_CODE = 129  # 128 + SIGHUP, what a shell reports for a hung-up job


class TerminalGuard:
    def __init__(self, app: Any, save_state: Callable[[], None], *, fds: tuple[int, ...] = (0, 1, 2),
                 interval: float = POLL_INTERVAL_S, exit_code: int = EXIT_CODE) -> None:
        self.app = app
        self.save_state = save_state
        self.interval = interval
        self.exit_code = exit_code
        self.reason: str | None = None
        self.fds = tuple(fd for fd in fds if _isatty(fd))
        self.ppid = os.getppid()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._fired = threading.Lock()
        self._saved = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, name="loom-terminal-guard", daemon=True)

    # ------------------------------------------------------------ start / stop

    def start(self) -> "TerminalGuard":
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        for sig, name in ((signal.SIGHUP, "SIGHUP"), (signal.SIGTERM, "SIGTERM")):
            try:
                if self._loop is not None:
                    self._loop.add_signal_handler(sig, self.trigger, name)
                else:
                    signal.signal(sig, lambda _s, _f, name=name: self.trigger(name))
            except (ValueError, RuntimeError, NotImplementedError):  # not the main thread / platform
                log.debug("cannot handle %s here; relying on the terminal poll", name)
        self._thread.start()
        log.debug("terminal guard on: tty fds %s, parent %s", self.fds, self.ppid)
        return self

    def stop(self) -> None:
        """Stop polling (a normal quit); signal handlers stay, they are harmless after exit."""
        self._stop.set()

    # ------------------------------------------------------------ detection

    def lost(self) -> str | None:
        """Why the terminal counts as gone, or None while it is fine."""
        for fd in self.fds:
            if not _isatty(fd):
                return "terminal lost"
        if os.getppid() != self.ppid:
            return "parent gone"
        return None

    def _poll(self) -> None:
        while not self._stop.wait(self.interval):
            reason = self.lost()
            if reason:
                self.trigger(reason)
                return

    # ------------------------------------------------------------ reaction

    def trigger(self, reason: str) -> None:
        """Save and exit, once.  Safe from a signal handler, the loop or any thread: the work runs
        on its own thread so a signal handler returns at once."""
        if not self._fired.acquire(blocking=False):
            return
        self.reason = reason
        self._stop.set()
        threading.Thread(target=self._shutdown, name="loom-terminal-lost", daemon=True).start()

    def _run_save(self) -> None:
        if self._saved.is_set():
            return
        try:
            self.save_state()
        except Exception:  # noqa: BLE001 - exiting matters more than the save
            log.exception("saving the resume state failed")
        finally:
            self._saved.set()

    def _shutdown(self) -> None:
        deadline = time.monotonic() + SAVE_WAIT_S + EXIT_GRACE_S
        log.warning("%s: saving state and exiting", self.reason)
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._run_save)
            except RuntimeError:
                pass
        if not self._saved.wait(SAVE_WAIT_S):
            self._run_save_here()
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._exit_app)
            except RuntimeError:
                pass
        time.sleep(max(0.0, deadline - time.monotonic()))
        # Still here: the graceful exit is stuck (typically writing to a dead terminal).
        _flush_logs()
        os._exit(self.exit_code)

    def _run_save_here(self) -> None:
        # The loop did not answer in time (blocked or spinning): save from this thread.  Lock-free by
        # design: _saved makes a late loop-side call a no-op.
        self._run_save()

    def _exit_app(self) -> None:
        try:
            self.app.exit(return_code=self.exit_code)
        except TypeError:
            self.app.exit()
        except Exception:  # noqa: BLE001
            log.exception("app.exit failed")


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def _flush_logs() -> None:
    for handler in list(logging.getLogger().handlers):
        try:
            handler.flush()
        except Exception:  # noqa: BLE001
            pass


def install(app: Any, save_state: Callable[[], None], **kw: Any) -> TerminalGuard:
    """Guard ``app`` against a vanishing terminal; call once from ``App.on_mount``."""
    return TerminalGuard(app, save_state, **kw).start()
