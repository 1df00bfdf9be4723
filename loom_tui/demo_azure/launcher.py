"""Start the demo Azure on its own thread and event loop (the TUI's loop stays free), over https
with the CA made once in the data directory, with a fresh bearer secret per run.

    handle = start_demo_azure(data_dir)
    handle.arm_endpoint   # "https://127.0.0.1:PORT/"
    handle.ca_bundle      # PEM path: trust it (REQUESTS_CA_BUNDLE / connection_verify)
    handle.secret         # the only bearer token it accepts
    handle.tenant_id      # the demo tenant
    handle.stop()
"""

from __future__ import annotations

import asyncio
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .state import STATE_DIR, State, state_path


@dataclass
class DemoAzureHandle:
    arm_endpoint: str
    ca_bundle: str
    secret: str
    tenant_id: str
    subscriptions: list[str]
    state: State
    server: Any  # the ArmServer: inject(), delay(), calls_to() for tests
    _loop: asyncio.AbstractEventLoop = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def metadata_url(self) -> str:
        return self.arm_endpoint + "metadata/endpoints?api-version=2022-09-01"

    def stop(self) -> None:
        """Stop serving within about a second: requests in flight get ``STOP_SECONDS`` to finish,
        then are cancelled (Ctrl+C during a hung request must not wait for it)."""
        if not self._thread.is_alive():
            return
        import concurrent.futures
        import logging

        try:
            asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(2)
        except concurrent.futures.TimeoutError:  # its thread is a daemon: the process still ends
            logging.getLogger("loom.demo_azure").warning("the demo Azure did not stop in 2 s; leaving its thread")
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(2)
        self.state.close()

    def __enter__(self) -> "DemoAzureHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def demo_dir(data_dir: str | Path) -> Path:
    return Path(data_dir) / STATE_DIR


def reset_demo_azure(data_dir: str | Path) -> None:
    """Put the estate back as seeded (``loom seed``): every change and operation is dropped."""
    state = State(state_path(data_dir), seed=False)
    try:
        state.reset()
    finally:
        state.close()


ACTION_SECONDS = 4.0  # how long a pause/resume/scale takes at real speed (a deployment follows it)


def start_demo_azure(data_dir: str | Path, port: int = 0, *, action_seconds: float | None = None,
                     secret: str | None = None, host: str = "127.0.0.1", answers: str | None = None,
                     api_versions: str | None = None) -> DemoAzureHandle:
    """Serve the demo estate of ``data_dir`` on ``host:port`` (0: a free port) until ``stop()``.
    ``action_seconds`` defaults to ``ACTION_SECONDS`` divided by ``LOOM_DEMO_SPEED`` (the speed
    that :func:`loom_tui.wiring.pace_for` shortens loom's own waits by).  ``answers``: which of
    the answers the specs allow it gives (``answers.py``; default ``LOOM_DEMO_ANSWERS``);
    ``api_versions``: the cloud whose api-versions it offers, ``public`` or ``lagging``
    (``versions.py``; default ``LOOM_DEMO_API_VERSIONS``)."""
    from loom_tui.domain.pace import demo_speed

    mode, cloud = _choices(answers, api_versions)
    if action_seconds is None:
        action_seconds = ACTION_SECONDS / demo_speed()
    from collections import deque

    from .certs import ensure_certs
    from .server import ArmServer

    directory = demo_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    files = ensure_certs(directory / "tls")
    state = State(state_path(data_dir), action_seconds=action_seconds)
    state.cloud_versions = cloud
    server = ArmServer(state=state, tls=True, cert_dir=directory / "tls", host=host, port=port,
                       secret=secret or secrets.token_urlsafe(32), calls=deque(maxlen=2000), answers=mode)
    loop, thread = _serve(server, state)
    tenants = state.tenants()
    return DemoAzureHandle(arm_endpoint=server.url + "/", ca_bundle=str(files.ca), secret=server.secret or "",
                           tenant_id=tenants[0]["tenantId"] if tenants else "",
                           subscriptions=[s["subscriptionId"] for s in state.subscriptions()],
                           state=state, server=server, _loop=loop, _thread=thread)


def _choices(answers: str | None, api_versions: str | None) -> tuple[Any, str]:
    """Which answers the demo Azure gives and whose api-versions it offers: the arguments, else
    ``LOOM_DEMO_ANSWERS`` and ``LOOM_DEMO_API_VERSIONS``; a bad one is a usage error."""
    import os

    from .answers import ANSWERS_ENV, AnswerModeError, Answers

    try:
        mode = Answers.parse(os.environ.get(ANSWERS_ENV, "") if answers is None else answers)
    except AnswerModeError as exc:
        from loom_tui.errors import UsageError

        raise UsageError(str(exc)) from None
    from .versions import CLOUDS, VERSIONS_ENV

    cloud = (os.environ.get(VERSIONS_ENV, "") if api_versions is None else api_versions).strip() or "public"
    if cloud not in CLOUDS:
        from loom_tui.errors import UsageError

        raise UsageError(f"{VERSIONS_ENV}={cloud!r}: one of {', '.join(CLOUDS)}")
    return mode, cloud


def _serve(server: Any, state: State) -> tuple[asyncio.AbstractEventLoop, threading.Thread]:
    """Start ``server`` on an event loop of its own thread, once it listens (30 s at most; else the
    state is closed and the failure raised)."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(server.start())
        except BaseException as exc:  # reported to the caller below
            failure.append(exc)
            started.set()
            return
        started.set()
        loop.run_forever()
        loop.close()

    thread = threading.Thread(target=run, name="loom-demo-azure", daemon=True)
    thread.start()
    if not started.wait(30) or failure:
        state.close()
        raise RuntimeError(f"the demo Azure did not start: {failure[0] if failure else 'timed out'}")
    return loop, thread


async def start_demo_azure_async(data_dir: str | Path, port: int = 0, **kw: Any) -> DemoAzureHandle:
    """``start_demo_azure`` off the caller's event loop (its imports, the first start's certificate
    and seeding take a few hundred milliseconds that must not freeze a UI)."""
    return await asyncio.to_thread(start_demo_azure, data_dir, port, **kw)


async def stop_demo_azure_async(handle: DemoAzureHandle) -> None:
    await asyncio.to_thread(handle.stop)
