"""A local Cosmos DB protocol server for the Cosmos adapter tests (npm ``@vercel/cosmosdb-server``).

``tests/support/cosmos/serve.js`` starts it on a free loopback port (it picks port 0 and prints the
one it got, so there is no race for the port); this module starts that script, waits until the
server answers an HTTPS request, hands out the endpoint and stops the process afterwards.

The server speaks HTTPS with a self-signed certificate, so clients of *this* endpoint only use
``connection_verify=False``.  It does not check request signatures; clients sign with the
well-known Cosmos DB emulator key below (any valid base64 key would do).

When node or the npm package is missing, tests that need the server fail with a clear message on
CI (``CI=true``) and are skipped elsewhere: ``bash scripts/test.sh`` installs it
(``bootstrap_node``), or run ``npm ci`` in ``tests/support/cosmos``.
"""

from __future__ import annotations

import atexit
import http.client
import os
import shutil
import ssl
import subprocess
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

COSMOS_DIR = Path(__file__).resolve().parent / "cosmos"
SERVE_JS = COSMOS_DIR / "serve.js"
PACKAGE_DIR = COSMOS_DIR / "node_modules" / "@vercel" / "cosmosdb-server"
# The documented, public key of the Azure Cosmos DB emulator (not a secret).
EMULATOR_KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
START_TIMEOUT_S = 30.0


class CosmosServerMissing(RuntimeError):
    """node, npm or the npm package is not installed."""


@dataclass
class CosmosServer:
    endpoint: str  # https://127.0.0.1:<port>/
    port: int
    key: str = EMULATOR_KEY
    process: subprocess.Popen | None = None


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    """Fail on CI (the server must be there), skip locally."""
    message = (
        f"the local Cosmos DB protocol server is not available: {reason}. "
        "Install it with `bash scripts/test.sh` (bootstrap_node) or `npm ci` in tests/support/cosmos."
    )
    if on_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def check_installed() -> str:
    """The path of ``node``; raises :class:`CosmosServerMissing` with what is missing."""
    node = shutil.which("node")
    if node is None:
        raise CosmosServerMissing("`node` is not on PATH")
    if not (PACKAGE_DIR / "package.json").exists():
        raise CosmosServerMissing(f"the npm package @vercel/cosmosdb-server is not installed in {COSMOS_DIR}")
    return node


def _answers(port: int) -> bool:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=2, context=ctx)
    try:
        conn.request("GET", "/")
        return conn.getresponse().status < 500
    except OSError:
        return False
    finally:
        conn.close()


def start() -> CosmosServer:
    node = check_installed()
    proc = subprocess.Popen(
        [node, str(SERVE_JS), "0"],
        cwd=COSMOS_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first_line: list[str] = []
    reader = threading.Thread(target=lambda: first_line.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(START_TIMEOUT_S)
    line = first_line[0] if first_line else ""
    if not line.startswith("listening "):
        stop(CosmosServer("", 0, process=proc))
        err = proc.stderr.read() if proc.stderr else ""
        raise RuntimeError(f"the Cosmos DB protocol server did not start: {line!r} {err[-2000:]}")
    # keep draining its output so a chatty server never blocks on a full pipe
    for stream in (proc.stdout, proc.stderr):
        threading.Thread(target=lambda s=stream: [None for _ in s], daemon=True).start()
    port = int(line.split()[1])
    server = CosmosServer(f"https://127.0.0.1:{port}/", port, process=proc)
    deadline = time.monotonic() + START_TIMEOUT_S
    while not _answers(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(server)
            raise RuntimeError(f"the Cosmos DB protocol server on port {port} never answered")
        time.sleep(0.05)
    return server


def stop(server: CosmosServer) -> None:
    proc = server.process
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@contextmanager
def running() -> Iterator[CosmosServer]:
    """The server for the duration of the ``with`` block (fails/skips when it is not installed)."""
    try:
        server = start()
    except CosmosServerMissing as exc:
        unavailable(str(exc))
        raise  # unreachable: unavailable() fails or skips
    try:
        yield server
    finally:
        stop(server)


_shared: CosmosServer | None = None
_users = 0
_lock = threading.Lock()


def acquire() -> CosmosServer:
    """The one server of this Python process, started on first use (reference-counted)."""
    global _shared, _users
    with _lock:
        if _shared is None or (_shared.process is not None and _shared.process.poll() is not None):
            try:
                _shared = start()
            except CosmosServerMissing as exc:
                unavailable(str(exc))
                raise  # unreachable: unavailable() fails or skips
            atexit.register(stop, _shared)
        _users += 1
        return _shared


def release() -> None:
    global _shared, _users
    with _lock:
        _users -= 1
        if _users <= 0 and _shared is not None:
            stop(_shared)
            _shared, _users = None, 0


@pytest.fixture(scope="session")
def cosmos_server() -> Iterator[CosmosServer]:
    """One server for the whole test session; tests isolate themselves by database name.

    Test modules import this fixture, and pytest treats each import as a fixture of its own, so
    the server itself is shared per process (see :func:`acquire`): one node process per run.
    """
    server = acquire()
    try:
        yield server
    finally:
        release()


def provision(endpoint: str, database: str, key: str = EMULATOR_KEY) -> list[str]:
    """Create ``database`` and every container loom knows on the protocol server, with the account
    key, as ``loom store init`` does for a key profile (a writable open creates nothing).  Runs on
    a thread of its own, so it works from sync code and from inside a running event loop."""
    from loom_tui.store.cosmos import CosmosStore

    made: list[list[str]] = []

    def run() -> None:
        import asyncio

        made.append(asyncio.run(CosmosStore(endpoint, key, database=database, verify_tls=False).init_with_key()))

    t = threading.Thread(target=run)
    t.start()
    t.join()
    if not made:
        raise RuntimeError(f"could not provision {database} on {endpoint}")
    return made[0]
