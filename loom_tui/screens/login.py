"""The sign-in modal: device code flow, shown so it can be read (and copied) over SSH.

The URL and the user code are shown large; ``c`` copies the code with OSC 52
(``App.copy_to_clipboard``, the only clipboard that crosses SSH); a countdown shows how long the
code lives; ``esc`` cancels at once; ``r`` starts again with a fresh code once the code expired or
sign-in failed.  Polling runs in a worker that never touches widgets: it posts messages, the
handlers here own the state.  Server texts are untrusted: shown as ``rich.text.Text``.

The screen is handed a *flow* (``loom_tui.azure.signin_flow.SignInFlow`` or anything with the same
``start``/``wait``/``cancel``/``where``/``note``): no Azure import here.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from loom_tui.screens.worker_errors import ReportsWorkerErrors


class Flow(Protocol):
    where: str
    note: str | None

    async def start(self) -> Any: ...  # -> DeviceCode (user_code, verification_uri, expires_at, interval)

    async def wait(self) -> Any: ...  # -> Session

    def cancel(self) -> None: ...


class LoginScreen(ReportsWorkerErrors, ModalScreen[Any]):
    """Dismisses with the ``Session`` on success, ``None`` when cancelled."""

    DEFAULT_CSS = """
    LoginScreen { align: center middle; }
    LoginScreen > Vertical { width: 76; max-width: 98%; height: auto; border: heavy $accent; padding: 1 2; background: $surface; }
    LoginScreen #title { text-style: bold; }
    LoginScreen #where, LoginScreen #countdown, LoginScreen #keys { color: $text-muted; }
    LoginScreen #url { text-style: bold; margin-top: 1; }
    LoginScreen #code { text-style: bold; border: double $accent; content-align: center middle; height: 5; margin: 1 0; }
    LoginScreen #status { margin-top: 1; }
    LoginScreen #status.error { color: $error; text-style: bold; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="login.cancel"),
        Binding("c", "copy_code", "Copy code", id="login.copy"),
        Binding("r", "restart", "New code", id="login.restart"),
    ]

    class CodeReady(Message):
        def __init__(self, code: Any) -> None:
            super().__init__()
            self.code = code

    class SignedIn(Message):
        def __init__(self, session: Any) -> None:
            super().__init__()
            self.session = session

    class Failed(Message):
        def __init__(self, kind: str, text: str) -> None:
            super().__init__()
            self.kind = kind
            self.text = text

    def __init__(self, flow: Flow, *, clock: Any = time.time) -> None:
        super().__init__()
        self.flow = flow
        self.code: Any = None
        self.state = "starting"  # starting | waiting | expired | failed | done
        self.failure_kind: str | None = None
        self._clock = clock
        self._timer: Any = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Sign in to Azure"), id="title")
            yield Static(Text(self.flow.where), id="where")
            yield Static(Text("Asking for a sign-in code…"), id="url")
            yield Static(Text(""), id="code")
            yield Static(Text(""), id="countdown")
            yield Static(Text(""), id="status")
            yield Static(Text("c copy code · r new code · esc cancel"), id="keys")

    def on_mount(self) -> None:
        self._timer = self.set_interval(1.0, self._tick, pause=True)
        self._begin()

    # ------------------------------------------------------------ worker

    def _begin(self) -> None:
        self.state = "starting"
        self.code = None
        self._set("#url", "Asking for a sign-in code…")
        self._set("#code", "")
        self._set("#countdown", "")
        self._status("")
        self._run()

    @work(exclusive=True, group="signin", exit_on_error=False)
    async def _run(self) -> None:
        code = await self.flow.start()
        self.post_message(self.CodeReady(code))
        session = await self.flow.wait()
        self.post_message(self.SignedIn(session))

    FAILURES = {"_run": "the sign-in failed"}

    def worker_failed(self, worker, error: BaseException) -> bool:
        """The sign-in failed: this screen says why and offers r to start again (a SignInError has a
        kind and a sentence for the operator; an unforeseen error also opens the error dialog)."""
        from loom_tui.errors import ServiceError

        if worker.name != "_run":
            return False
        if isinstance(error, ServiceError):
            self.post_message(self.Failed(getattr(error, "kind", "other"), str(error)))
            return True
        if isinstance(error, OSError):
            self.post_message(self.Failed("network", f"The sign-in service could not be reached ({type(error).__name__})."))
            return True
        self.post_message(self.Failed("other", f"The sign-in failed ({type(error).__name__})."))
        return False

    # ------------------------------------------------------------ state

    @on(CodeReady)
    def _code_ready(self, msg: CodeReady) -> None:
        self.code = msg.code
        self.state = "waiting"
        self._set("#url", f"Open  {msg.code.verification_uri}")
        self._set("#code", msg.code.user_code)
        if self.flow.note:
            self._status(self.flow.note)
        self._tick()
        self._timer.resume()

    @on(SignedIn)
    def _signed_in(self, msg: SignedIn) -> None:
        self.state = "done"
        self._timer.pause()
        self.dismiss(msg.session)

    @on(Failed)
    def _failed(self, msg: Failed) -> None:
        self._timer.pause()
        self.failure_kind = msg.kind
        self.state = "expired" if msg.kind == "expired" else "failed"
        self._status(msg.text + "  Press r to start again.", error=True)
        self._set("#countdown", "")

    def _tick(self) -> None:
        if self.code is None or self.state != "waiting":
            return
        left = max(0, int(self.code.expires_at - self._clock()))
        self._set("#countdown", f"expires in {left // 60}:{left % 60:02d}")
        if left <= 0:
            self.workers.cancel_group(self, "signin")
            self.flow.cancel()
            self.post_message(self.Failed("expired", "The code expired before the sign-in was completed."))

    # ------------------------------------------------------------ actions

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "signin")
        self.flow.cancel()
        if self._timer is not None:
            self._timer.pause()
        self.dismiss(None)

    def action_copy_code(self) -> None:
        if self.code is None:
            return
        self.app.copy_to_clipboard(self.code.user_code)
        self.notify("Code copied (OSC 52)", timeout=2)

    def action_restart(self) -> None:
        if self.state in ("expired", "failed"):
            self._begin()

    # ------------------------------------------------------------ helpers

    def _set(self, selector: str, text: str) -> None:
        self.query_one(selector, Static).update(Text(text))

    def _status(self, text: str, *, error: bool = False) -> None:
        w = self.query_one("#status", Static)
        w.set_class(error, "error")
        w.update(Text(text))
