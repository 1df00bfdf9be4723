"""Requests per second the demo Azure serves, against a trivial aiohttp handler measured in the same
run over the same https + thread setup (the baseline), and how long it takes to start.

``python bench/demo_azure_rps.py`` prints the numbers; ``bench/run.py`` collects them.  The client
is aiohttp with keep-alive and 8 requests in flight (the clients' default concurrency bound); client
and server share this process, as they do in the app.
"""

from __future__ import annotations

import asyncio
import secrets
import ssl
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

BASELINES = {
    "demo_azure_rps_get": "demo_azure_rps_baseline",
    "demo_azure_rps_list": "demo_azure_rps_baseline",
    "demo_azure_start_s": "demo_azure_start_baseline_s",
}
REQUESTS = 1500
IN_FLIGHT = 8


def _baseline_server(cert_dir: Path):
    """A trivial aiohttp https handler on its own thread and loop, started like the demo Azure."""
    from aiohttp import web

    from loom_tui.demo_azure.certs import ensure_certs

    files = ensure_certs(cert_dir)

    async def hello(request: web.Request) -> web.Response:
        return web.json_response({"id": "x", "name": "x", "properties": {"state": "Active"}})

    loop = asyncio.new_event_loop()
    ready = threading.Event()
    box: dict = {}

    def run() -> None:
        asyncio.set_event_loop(loop)

        async def start() -> None:
            app = web.Application()
            app.router.add_get("/{tail:.*}", hello)
            runner = web.AppRunner(app, access_log=None, handle_signals=False)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=files.server_context())
            await site.start()
            box["runner"] = runner
            box["url"] = f"https://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/"  # type: ignore[union-attr]

        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    ready.wait(10)

    def stop() -> None:
        asyncio.run_coroutine_threadsafe(box["runner"].cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        t.join(10)

    return box["url"], str(files.ca), stop


async def _rps(url: str, ca: str, token: str, n: int = REQUESTS) -> float:
    import aiohttp

    ctx = ssl.create_default_context(cafile=ca)
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=ctx, limit=IN_FLIGHT), headers=headers) as s:
        async def one() -> None:
            async with s.get(url) as r:
                await r.read()
                assert r.status == 200, r.status

        await asyncio.gather(*(one() for _ in range(IN_FLIGHT * 2)))  # warm the connections
        left = n
        t0 = time.perf_counter()

        async def worker() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                await one()

        await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
        return n / (time.perf_counter() - t0)


def run() -> dict[str, float]:
    from loom_tui.demo_azure.estate import ADMIN_RG, ADMIN_SUB, DLZ_SUBS, dlz_rg
    from loom_tui.demo_azure.launcher import start_demo_azure

    tmp = Path(tempfile.mkdtemp(prefix="bench-demo-azure-"))
    t0 = time.perf_counter()
    first = start_demo_azure(tmp)  # makes the CA and seeds the estate
    first_start = time.perf_counter() - t0
    first.stop()
    starts, base_starts = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        h = start_demo_azure(tmp)
        starts.append(time.perf_counter() - t0)
        h.stop()
        t0 = time.perf_counter()
        _, _, stop = _baseline_server(tmp / "baseline-tls")
        base_starts.append(time.perf_counter() - t0)
        stop()
    handle = start_demo_azure(tmp)
    base_url, base_ca, base_stop = _baseline_server(tmp / "baseline-tls")
    try:
        cap = (f"{handle.arm_endpoint}subscriptions/{DLZ_SUBS[0]}/resourceGroups/{dlz_rg('finance')}"
               "/providers/Microsoft.Fabric/capacities/fccsaloomfinance?api-version=2023-11-01")
        lst = f"{handle.arm_endpoint}subscriptions/{ADMIN_SUB}/resourceGroups/{ADMIN_RG}/resources?api-version=2021-04-01&$expand=provisioningState"
        get_r, list_r, base_r = [], [], []
        for _ in range(3):  # alternate, take the median
            base_r.append(asyncio.run(_rps(base_url, base_ca, secrets.token_hex(4))))
            get_r.append(asyncio.run(_rps(cap, handle.ca_bundle, handle.secret)))
            list_r.append(asyncio.run(_rps(lst, handle.ca_bundle, handle.secret)))
    finally:
        handle.stop()
        base_stop()
    return {
        "demo_azure_rps_get": round(statistics.median(get_r)),
        "demo_azure_rps_list": round(statistics.median(list_r)),
        "demo_azure_rps_baseline": round(statistics.median(base_r)),
        "demo_azure_start_s": round(statistics.median(starts), 4),
        "demo_azure_start_baseline_s": round(statistics.median(base_starts), 4),
        "demo_azure_first_start_s": round(first_start, 3),
    }


if __name__ == "__main__":
    for k, v in run().items():
        base = BASELINES.get(k)
        print(f"{k}: {v}" + (f"  (baseline {base})" if base else ""))
