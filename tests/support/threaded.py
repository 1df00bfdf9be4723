"""Run a local async test server on its own event loop in a thread.

Headless ``loom`` commands call ``asyncio.run`` themselves, so a server they talk to cannot live on
the test's loop; this gives such tests a server that keeps answering while the command runs.
"""

from __future__ import annotations

import asyncio
import threading
from contextlib import contextmanager
from typing import Any, Iterator


@contextmanager
def serve_in_thread(server: Any) -> Iterator[Any]:
    """``server`` has ``async start()`` and ``async stop()``; yields it once started."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.start())
        ready.set()
        loop.run_forever()

    t = threading.Thread(target=run, name=f"test-server-{type(server).__name__}", daemon=True)
    t.start()
    if not ready.wait(10):
        raise RuntimeError("test server did not start")
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        t.join(10)
        loop.close()
