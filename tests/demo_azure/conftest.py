"""The demo Azure on its own thread (as the app starts it), and the real async SDK clients pointed
at it the way a profile with a registered custom cloud would be."""

from __future__ import annotations

import time
from typing import Any, Iterator

import pytest

from loom_tui.demo_azure.launcher import DemoAzureHandle, start_demo_azure


@pytest.fixture
def demo(tmp_path) -> Iterator[DemoAzureHandle]:
    handle = start_demo_azure(tmp_path, action_seconds=0.6)
    try:
        yield handle
    finally:
        handle.stop()


class SecretCredential:
    """The demo Azure's per-run bearer secret as an async token credential."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.scopes: list[tuple[str, ...]] = []

    async def get_token(self, *scopes: str, **kw: Any):
        from azure.core.credentials import AccessToken

        self.scopes.append(scopes)
        return AccessToken(self.secret, int(time.time()) + 3600)

    async def close(self) -> None:
        pass

    async def __aenter__(self):
        return self

    async def __aexit__(self, *a: Any) -> None:
        pass


def sdk_kwargs(handle: DemoAzureHandle, **extra: Any) -> dict[str, Any]:
    kw = {"base_url": handle.arm_endpoint, "credential_scopes": [handle.arm_endpoint + ".default"],
          "connection_verify": handle.ca_bundle}
    kw.update(extra)
    return kw


def auth(handle: DemoAzureHandle) -> dict[str, str]:
    return {"Authorization": f"Bearer {handle.secret}"}


async def get_json(handle: DemoAzureHandle, path: str, *, headers: dict[str, str] | None = None, method: str = "GET",
                   json: Any = None) -> tuple[int, Any, dict[str, str]]:
    """A raw https call (for routes without an SDK in the dependencies)."""
    import ssl

    import aiohttp

    ctx = ssl.create_default_context(cafile=handle.ca_bundle)
    url = path if path.startswith("https://") else handle.arm_endpoint.rstrip("/") + path
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=ctx)) as s:
        async with s.request(method, url, headers=headers if headers is not None else auth(handle), json=json) as r:
            text = await r.text()
            import json as _json

            return r.status, (_json.loads(text) if text else None), dict(r.headers)
