"""Issue 22 item 5: the demo Azure checks the bearer secret before it reads a body, caps bodies at
what ARM accepts, and keeps only a bounded summary of each call."""

from __future__ import annotations

import asyncio

import aiohttp

from loom_tui.demo_azure.server import ArmServer

PATH = "/subscriptions/s1/providers/Microsoft.CostManagement/query?api-version=2025-03-01"


async def _head_only(url: str, length: int, auth: str | None) -> bytes:
    """Send a POST that announces ``length`` bytes but sends only its headers; the answer's first line."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    lines = [f"POST {PATH} HTTP/1.1", f"Host: {host}", "Content-Type: application/json", f"Content-Length: {length}"]
    if auth:
        lines.append(f"Authorization: {auth}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + b"{")
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.readline(), 5)
    finally:
        writer.close()


async def test_unauthenticated_large_post_is_refused_before_the_body_is_read():
    server = ArmServer(secret="the-secret")
    await server.start()
    try:
        # an 18 MB body announced, none of it sent: a server reading the body first would wait
        assert b" 401 " in await _head_only(server.url, 18 * 1024 * 1024, None)
        assert b" 401 " in await _head_only(server.url, 18 * 1024 * 1024, "Bearer wrong")
        assert all(c.body is None for c in server.calls)
    finally:
        await server.stop()


async def test_an_authenticated_body_over_arms_limit_is_refused_with_413_unread():
    server = ArmServer(secret="the-secret")
    await server.start()
    try:
        assert b" 413 " in await _head_only(server.url, 5 * 1024 * 1024, "Bearer the-secret")
    finally:
        await server.stop()


async def test_the_call_log_keeps_a_bounded_summary_of_a_large_body():
    server = ArmServer(secret="the-secret")
    await server.start()
    try:
        big = '{"type": "Usage", "pad": "' + "x" * (3 * 1024 * 1024) + '"}'
        async with aiohttp.ClientSession() as s:
            async with s.post(server.url + PATH, data=big, headers={"Authorization": "Bearer the-secret",
                                                                     "Content-Type": "application/json"}) as r:
                await r.read()
        call = server.calls_to("cost.query")[-1]
        assert len(repr(call.body)) < 64 * 1024
    finally:
        await server.stop()
