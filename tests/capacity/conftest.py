"""The demo Azure (real server, real SDK clients over https) for the Capacity tests.

``demo`` runs it on its own thread with quick actions (0.5 s from accepted to done, so the
transitions are observable and tests stay short); ``open_ctx`` opens a context on the local store
whose Azure clients point at it, built exactly as the wiring builds them for the local profile.
``deny`` / ``hang`` put a route in front of the others that refuses or never answers one path
(a resource group without a role, a resource group that times out)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from loom_tui.config import Profile

ADMIN_RG = "rg-csa-loom-admin-eastus2"


@pytest.fixture
async def demo(tmp_path: Path):
    from loom_tui.demo_azure.launcher import start_demo_azure

    handle = await asyncio.to_thread(start_demo_azure, tmp_path / "store", action_seconds=0.5)
    try:
        yield handle
    finally:
        await asyncio.to_thread(handle.stop)


@pytest.fixture
async def open_ctx(demo, tmp_path: Path):
    from loom_tui.azure.clients import AzureClients
    from loom_tui.wiring import open_context
    from loom_tui.wiring import StaticBearer, demo_cloud

    opened = []

    async def make(*, session=None, read_only: bool = False, timeout: float | None = None, **profile: object):
        prof = Profile(subscriptions=list(demo.subscriptions), admin_plane_rg=ADMIN_RG, **profile)  # type: ignore[arg-type]
        ctx = await open_context(prof, data_dir=str(tmp_path / "store"), session=session, read_only=read_only)
        ctx._azure = AzureClients(StaticBearer(demo.secret), demo_cloud(demo.arm_endpoint), extra_ca=demo.ca_bundle)
        ctx.operations.poll_interval = 0.2
        opened.append(ctx)
        return ctx

    yield make
    for ctx in opened:
        await ctx.close()


def _front(server, name: str, method: str, pattern: str, handler) -> None:
    server.router.add(name, method, pattern, handler)
    server.router.routes.insert(0, server.router.routes.pop())


def deny(server, path: str, action: str = "Microsoft.Resources/subscriptions/resourceGroups/resources/read") -> None:
    """403 AuthorizationFailed for GET ``path`` (as ARM words it), every time."""
    from loom_tui.demo_azure.responses import arm_error

    async def refuse(req):
        scope = path.split("/resources")[0]
        return arm_error(403, "AuthorizationFailed",
                         f"The client 'ops.admin@contoso-demo.example' with object id 'aa000001-0000-4000-8000-000000000001' "
                         f"does not have authorization to perform action '{action}' over scope '{scope}' or the scope is "
                         "invalid. If access was recently granted, please refresh your credentials.")

    _front(server, f"test.deny {path}", "GET", re.escape(path), refuse)


def hang(server, path: str, seconds: float = 30.0) -> None:
    from loom_tui.demo_azure.responses import arm_error

    async def never(req):
        await asyncio.sleep(seconds)
        return arm_error(504, "GatewayTimeout", "hung")

    _front(server, f"test.hang {path}", "GET", re.escape(path), never)
