"""Wiring: the ONLY place that decides, from the profile, how this run reaches Azure.

* A real profile: the signed-in credential (the context's, else the profile's cached sign-in) and
  the profile's cloud (built-in or registered custom cloud).
* The local profile: the demo Azure on this machine (:mod:`loom_tui.demo_azure`), started lazily
  — only when an area first asks for Azure, so the console opens as fast as before — on its own
  thread; its endpoint is treated as a custom cloud, its per-run secret is the bearer token
  (:class:`StaticBearer`) and its CA is trusted by the run's session.  The estate's subscriptions,
  Admin Plane and DLZ resource groups are filled into the profile from what the demo Azure lists.

Everything above (services, screens) gets the same :class:`~loom_tui.azure.clients.AzureClients`
either way and cannot tell which it is.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from loom_tui.azure.clients import AzureClients
    from loom_tui.config import Profile
    from loom_tui.domain.pace import Pace
    from loom_tui.services.context import AppContext

log = logging.getLogger("loom.wiring")

DEMO_CLOUD = "DemoAzure"
DEMO_LABEL = "demo Azure (on this machine)"
ADMIN_RG_PREFIX = "rg-csa-loom-admin-"
DLZ_RG_PREFIX = "rg-csa-loom-dlz-"


def azure_label(profile: "Profile") -> str:
    """What the header adds about the Azure side of the run: the demo Azure on this machine for
    the local profile; nothing for a real one (its cloud is already in the store line)."""
    return DEMO_LABEL if profile.is_local else ""


def pace_for(profile: "Profile") -> "Pace":
    """How fast this run's Azure is: the local profile's demo Azure runs ``LOOM_DEMO_SPEED`` times
    real time (tests speed it up; its launcher reads the same variable), a real cloud in real time."""
    from loom_tui.domain.pace import REAL_TIME, Pace, demo_speed

    return Pace(demo_speed()) if profile.is_local else REAL_TIME


class StaticBearer:
    """An ``AsyncTokenCredential`` handing out one fixed token (the demo Azure's per-run secret)."""

    def __init__(self, token: str, lifetime: int = 24 * 3600) -> None:
        self._token = token
        self._expires = int(time.time()) + lifetime

    async def get_token(self, *scopes: str, **kw: Any) -> Any:
        from azure.core.credentials import AccessToken

        return AccessToken(self._token, self._expires)

    async def get_token_info(self, *scopes: str, options: dict | None = None) -> Any:
        from azure.core.credentials import AccessTokenInfo

        return AccessTokenInfo(self._token, self._expires)

    async def close(self) -> None:
        return None

    async def __aenter__(self) -> "StaticBearer":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        return None


class DemoAzure:
    """The demo Azure of a run: the launcher's handle, stopped when the context closes."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    async def close(self) -> None:
        stop = getattr(self.handle, "stop", None)
        if stop is not None:
            result = await asyncio.to_thread(stop)
            if inspect.isawaitable(result):
                await result


async def start_demo(data_dir: Any) -> Any:
    """``loom_tui.demo_azure.launcher.start_demo_azure(data_dir)`` off the event loop."""
    from loom_tui.demo_azure.launcher import start_demo_azure

    if inspect.iscoroutinefunction(start_demo_azure):
        return await start_demo_azure(data_dir)
    return await asyncio.to_thread(start_demo_azure, data_dir)


def demo_cloud(arm_endpoint: str) -> Any:
    """The demo Azure as a custom cloud: Resource Manager on loopback, nothing else reachable."""
    from loom_tui.azure.clouds import Cloud

    arm = arm_endpoint if arm_endpoint.endswith("/") else arm_endpoint + "/"
    return Cloud(DEMO_CLOUD, arm.rstrip("/"), arm, "", "core.demo.invalid", None, source=arm)


async def azure_clients(ctx: "AppContext") -> "AzureClients":
    """The run's ``AzureClients`` for ``ctx`` (the context owns what this returns)."""
    from loom_tui.azure.clients import AzureClients

    profile = ctx.profile
    if profile.is_local:
        from loom_tui import paths

        handle = await start_demo(paths.data_dir(ctx.data_dir or profile.data_dir))
        ctx.own(DemoAzure(handle))
        from loom_tui.logs import register_secret

        register_secret(handle.secret)
        clients = AzureClients(StaticBearer(handle.secret), demo_cloud(handle.arm_endpoint), concurrency=profile.azure_concurrency,
                               extra_ca=handle.ca_bundle, listeners=ctx.throttle_listeners)
        if not profile.powerbi_endpoint:  # the demo Azure serves the Power BI REST API it has too
            profile.powerbi_endpoint = handle.arm_endpoint.rstrip("/")
        if not profile.graph_endpoint:  # and the demo tenant's Microsoft Graph (users, groups, memberships)
            profile.graph_endpoint = handle.arm_endpoint.rstrip("/")
        try:
            await fill_estate(profile, clients)
        except BaseException:
            await clients.close()
            raise
        return clients
    from loom_tui.azure.clouds import get_cloud

    if ctx.credential is None:
        from loom_tui.azure.credential import credential_for_profile

        ctx.credential = await credential_for_profile(profile)
    return AzureClients(ctx.credential, get_cloud(profile.cloud), concurrency=profile.azure_concurrency, listeners=ctx.throttle_listeners)


async def principal_lookup(ctx: "AppContext") -> Any:
    """Where member grants resolve names: Microsoft Graph at the profile's cloud's endpoint (the
    demo Azure's for the local profile), or ``NoGraph`` for a cloud with none."""
    from loom_tui.azure.graph import GraphLookup, graph_for_cloud
    from loom_tui.services.principals import NoGraph

    clients = await ctx.azure()  # the local profile: starts the demo Azure and sets graph_endpoint
    api = graph_for_cloud(clients.cloud.name, ctx.profile.graph_endpoint)
    return GraphLookup(clients, api) if api else NoGraph(clients.cloud.name)


async def fill_estate(profile: "Profile", clients: "AzureClients") -> None:
    """``subscriptions``, ``admin_plane_rg`` and ``dlz_rgs`` of the demo estate, as ARM lists them
    (the names follow the CSA Loom convention ``rg-csa-loom-admin-*`` / ``rg-csa-loom-dlz-*``)."""
    from loom_tui.azure.arm import list_subscriptions

    subs = [s.subscription_id for s in await list_subscriptions(clients)]
    admin: str | None = None
    dlz: list[str] = []
    from loom_tui.azure.api_versions import pick

    for sub in subs:
        api = await pick(clients, "Microsoft.Resources/resourceGroups", path=f"/subscriptions/{sub}")
        groups = [str(g.get("name") or "") async for g in clients.pages(f"/subscriptions/{sub}/resourcegroups", api)]
        for name in sorted(groups):
            if name.lower().startswith(ADMIN_RG_PREFIX) and admin is None:
                admin = name
            elif name.lower().startswith(DLZ_RG_PREFIX):
                dlz.append(name)
    profile.subscriptions = subs
    profile.admin_plane_rg = admin
    profile.dlz_rgs = dlz
    log.info("demo Azure: %d subscriptions, admin plane %s, %d DLZ resource groups", len(subs), admin, len(dlz))


def demo_cost_resources(tenant_id: str) -> list:
    """The demo tenant's cost lines (``loom_tui.local.cost.demo_data``), following the demo Azure's
    estate as seeded: the same resources, SKUs and states the Capacity area lists."""
    from loom_tui.demo_azure.estate import build_estate
    from loom_tui.local.cost.demo_data import demo_resources
    from loom_tui.local.demo import demo_workspaces

    return demo_resources(demo_workspaces(), build_estate().resources, tenant_id)


async def init_store(profile: "Profile", *, data_dir: str | None = None, account_id: str | None = None,
                     on_step: Any = None) -> dict[str, Any]:
    """``loom store init`` for ``profile``: what it created and how.  The embedded store makes its
    tables itself; a Cosmos profile with an account key (the emulator) creates through the data
    plane; otherwise — and always with ``account_id`` — through Azure Resource Manager
    (:mod:`loom_tui.services.store_init`), the only way on an account with local auth disabled."""
    from loom_tui.store.factory import make_store

    if profile.store != "cosmos":
        store = make_store(profile, data_dir=data_dir)
        await store.open()
        await store.close()
        return {"store": store.describe(), "via": "embedded", "created": [], "existing": [], "account": None}
    if profile.cosmos_key and not account_id:
        store = make_store(profile)
        made = await store.init_with_key()  # type: ignore[attr-defined]
        return {"store": store.describe(), "via": "data plane (account key)", "created": made,
                "existing": [], "account": None}
    from loom_tui.azure.clients import AzureClients
    from loom_tui.azure.clouds import get_cloud
    from loom_tui.azure.credential import credential_for_profile
    from loom_tui.services.store_init import find_account, init_through_arm

    credential = await credential_for_profile(profile)
    clients = AzureClients(credential, get_cloud(profile.cloud), concurrency=profile.azure_concurrency)
    try:
        if not account_id:
            from loom_tui.azure.arm import list_subscriptions

            subs = list(profile.subscriptions) or [s.subscription_id for s in await list_subscriptions(clients)]
            account_id = await find_account(clients, profile.cosmos_endpoint or "", subs)
        result = await init_through_arm(clients, account_id, profile.cosmos_database, pace=pace_for(profile), on_step=on_step)
    finally:
        await clients.close()
        close = getattr(credential, "close", None)
        if close is not None:
            await close()
    return {"store": f"Cosmos DB {profile.cosmos_endpoint} database {profile.cosmos_database}", "via": "Azure Resource Manager",
            "created": result.created, "existing": result.existing, "account": result.account_id}
