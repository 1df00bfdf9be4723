"""One log line per HTTP call, from a real azure-core pipeline and a real aiohttp session against a
local server: method, path without query, status, duration, request id — and no secrets."""

from __future__ import annotations

import logging

import aiohttp
from aiohttp import web

from loom_tui.logs import REQUEST_LOGGER
from loom_tui.azure.request_log import RequestLogPolicy, aiohttp_trace_config


async def _server():
    async def handler(request: web.Request) -> web.Response:
        status = 404 if "missing" in request.path else 200
        return web.json_response({"ok": True}, status=status, headers={"x-ms-request-id": "rid-" + request.path.strip("/")})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]


async def test_azure_core_policy_logs_one_clean_line(caplog) -> None:
    from azure.core import AsyncPipelineClient
    from azure.core.rest import HttpRequest

    runner, url = await _server()
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    try:
        async with AsyncPipelineClient(url, per_call_policies=[RequestLogPolicy()]) as client:
            await client.send_request(HttpRequest("GET", f"{url}/subscriptions?api-version=2022&sig=SECRETSIG"))
            await client.send_request(HttpRequest("PUT", f"{url}/missing?code=SECRETCODE", json={"a": 1}))
    finally:
        await runner.cleanup()
    lines = [r.getMessage() for r in caplog.records if r.name == REQUEST_LOGGER]
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"GET {url}/subscriptions -> 200 in ") and lines[0].endswith(" ms [req=rid-subscriptions]")
    assert lines[1].startswith(f"PUT {url}/missing -> 404 in ") and lines[1].endswith("[req=rid-missing]")
    assert [r.levelname for r in caplog.records if r.name == REQUEST_LOGGER] == ["INFO", "WARNING"]
    assert not any("SECRET" in line or "api-version" in line for line in lines)


async def test_aiohttp_trace_config_logs_the_same_line(caplog) -> None:
    runner, url = await _server()
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    try:
        async with aiohttp.ClientSession(trace_configs=[aiohttp_trace_config()]) as s:
            async with s.get(f"{url}/metadata/endpoints?api-version=2022-09-01&access_token=SECRETTOKEN") as resp:
                assert resp.status == 200
            try:
                async with s.get("http://127.0.0.1:1/nothing"):
                    pass
            except aiohttp.ClientError:
                pass
    finally:
        await runner.cleanup()
    lines = [r.getMessage() for r in caplog.records if r.name == REQUEST_LOGGER]
    assert lines[0].startswith(f"GET {url}/metadata/endpoints -> 200 in ") and lines[0].endswith("[req=rid-metadata/endpoints]")
    assert lines[1].startswith("GET http://127.0.0.1:1/nothing -> error (ClientConnectorError) in ")
    assert not any("SECRET" in line for line in lines)
