"""The one path a worker's error takes to the operator.

Workers (``@work(exit_on_error=False)``) simply raise.  Textual then posts ``Worker.StateChanged``
with state ERROR to the node that ran the worker (the message does not bubble), and the handler
here reports it:

* an error loom raises on purpose (:class:`~loom_tui.errors.LoomError`: ``ServiceError``,
  ``StoreError``, ``NotFoundError``, ``Forbidden``, ``ConflictError``, Azure's ``ArmError``...)
  is one sentence for the operator: it goes to the flash line;
* anything else is a bug or an unforeseen failure: it opens the error dialog;
* both are written to the log file (which redacts credentials).

The text is shown literally (the flash line and the dialog escape it with ``visible``), never as
Rich markup: an error can carry text from Azure or the store.

A screen (or pane) names what failed with ``FAILURES`` (worker name -> headline, or
(headline, severity)); a worker whose name is a sentence ("could not delete b1", given to
``run_worker``) is its own headline; any other reads "<name> failed".  What a worker must do
besides reporting (reset a flag, show the error inside a form) goes in ``worker_failed``, which
returns True when it has shown the error itself (it is still logged).

Where a failure is not the end of the work (opening goes on with the item left unread), the code
catches it and passes it to :func:`log_failure` and :func:`show_failure`: the same log line and
the same display, without the worker ending.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from textual.worker import Worker, WorkerState

from loom_tui.domain.text import visible
from loom_tui.errors import LoomError

log = logging.getLogger("loom.ui")

Failure = str | tuple[str, str]


def headline(owner: Any, worker: Worker) -> tuple[str, str]:
    """(what failed, flash severity) for ``worker`` run by ``owner``."""
    named: Failure | None = getattr(owner, "FAILURES", {}).get(worker.name)
    if named is None and " " in worker.name.strip():
        return worker.name, "error"  # a worker named with a sentence ("could not delete b1")
    if named is None:
        words = worker.name.strip("_").replace("_", " ")
        return (f"{words} failed" if words else "a background task failed"), "error"
    if isinstance(named, tuple):
        return named
    return named, "error"


def report(owner: Any, worker: Worker, error: BaseException) -> None:
    """Log ``error`` and show it: on the flash line if loom raised it on purpose, else in the dialog;
    ``owner.worker_failed`` may show it itself."""
    title, severity = headline(owner, worker)
    log_failure(title, error)
    hook = getattr(owner, "worker_failed", None)
    if hook is not None and hook(worker, error):
        return
    show_failure(owner, title, error, severity)


def log_failure(title: str, error: BaseException) -> None:
    """The log line: loom's own errors as one line, anything else with its traceback."""
    if isinstance(error, LoomError):
        log.warning("%s: %s: %s", title, type(error).__name__, error)
    else:
        log.error("%s: %s", title, error, exc_info=(type(error), error, error.__traceback__))


def show_failure(owner: Any, title: str, error: BaseException, severity: str = "error") -> None:
    """Show ``error`` the one way: loom's own errors on ``owner``'s flash line, anything else in the
    error dialog (not a second time while the same one is open: a polling worker fails again and again)."""
    from loom_tui.screens.modals.error import ErrorDialog, describe

    flash = getattr(owner, "flash", None)
    if isinstance(error, LoomError) and flash is not None:
        flash(f"{title}: {error}", severity)
        return
    app = owner.app
    top = app.screen
    if isinstance(top, ErrorDialog) and (top.title_text, top.message) == (visible(title), describe(error)[0]):  # the dialog keeps its title made visible
        return
    app.push_screen(ErrorDialog(title, error))  # what LoomApp.show_error does (a test's host app has none)


class ReportsWorkerErrors:
    """Mixin for a screen or widget that runs workers: their errors take the one path above."""

    FAILURES: ClassVar[dict[str, Failure]] = {}

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            report(self, event.worker, event.worker.error)

    def worker_failed(self, worker: Worker, error: BaseException) -> bool:
        """Per-screen handling of a failed worker; True when it has shown the error itself."""
        return False
