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

It also builds the run's context (:func:`open_context`): the store, the session (the local
profile's demo users, or the signed-in user), the directory, the clock (the one reading of the
demo's pinned day), the header's words and the seeded cost export, handed to the services as ports.
The commands that exist only for the demo tenant (``loom seed``, the personas) ask here too.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from pathlib import Path

    from loom_tui.azure.clients import AzureClients
    from loom_tui.config import Profile
    from loom_tui.domain.pace import Pace
    from loom_tui.domain.session import Session
    from loom_tui.services.context import AppContext
    from loom_tui.services.directory import Directory, StaticDirectory
    from loom_tui.services.principals import StaticPrincipals
    from loom_tui.store.port import DocumentStore

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


def resolve_profile(
    name: str | None = None, *, file: "Path | None" = None, env: "Mapping[str, str] | None" = None,
    flags: "Mapping[str, Any] | None" = None
) -> "Profile":
    """The named (or default) profile of the config file as it will be used: flags > environment
    (``AZURE_TENANT_ID``, ``AZURE_CLIENT_ID``, ``AZURE_SUBSCRIPTION_ID``) > the file.

    The embedded (local-store) profile has no Azure side, so it is returned as written and the
    override code in ``loom_tui.azure.profiles`` is imported only for Azure profiles: the start-up
    path of the default console loads nothing from ``loom_tui.azure``.  (It lives here, not in
    ``config``, because it branches on local or Azure, and ``azure.profiles`` imports ``config``.)"""
    from loom_tui.config import UnknownProfile, load_config

    cfg = load_config(file)
    chosen = name or cfg.default_profile
    if chosen not in cfg.profiles:
        raise UnknownProfile(cfg.file, "--profile", f"no profile named {chosen!r} (have: {', '.join(sorted(cfg.profiles))})")
    profile = cfg.profiles[chosen]
    if profile.is_local:
        return profile
    from loom_tui.azure.profiles import effective_profile  # lazy: see the docstring

    effective, _ = effective_profile(profile, env=env, flags=flags)
    return effective


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
    from loom_tui.demo_azure.estate_all import build_estate
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


# -- the context ---------------------------------------------------------------------------------

def header_label(profile: "Profile", demo: bool) -> str:
    """The header's store line: profile, store and cloud."""
    if profile.is_local:
        return f"{profile.name}: local store" + (", demo tenant" if demo else "")
    return f"{profile.name}: {profile.cloud}, Cosmos DB {profile.cosmos_database}"


def demo_directory() -> "StaticDirectory":
    """The demo tenant's users (the same the demo Azure's Graph serves)."""
    from loom_tui.local.demo import DEMO_DOMAIN, DEMO_USERS
    from loom_tui.services.directory import DirectoryUser, StaticDirectory

    return StaticDirectory([DirectoryUser(oid, f"{alias}@{DEMO_DOMAIN}", name) for oid, alias, name in DEMO_USERS],
                           name="demo tenant users")


def demo_principals() -> "StaticPrincipals":
    """The demo tenant's users, groups and service principals (the same the demo Azure's Graph serves)."""
    from loom_tui.local.demo import DEMO_DOMAIN, DEMO_GROUPS, DEMO_SERVICE_PRINCIPALS, DEMO_USERS
    from loom_tui.services.principals import Principal, StaticPrincipals

    return StaticPrincipals([Principal(oid, "User", name, f"{alias}@{DEMO_DOMAIN}") for oid, alias, name in DEMO_USERS]
                            + [Principal(oid, "Group", name) for oid, name, _ in DEMO_GROUPS]
                            + [Principal(oid, "ServicePrincipal", name) for oid, name in DEMO_SERVICE_PRINCIPALS])


def directory_for(session: "Session") -> "Directory":
    """The demo tenant has its built-in users; any other tenant none yet (no Graph user lookup)."""
    from loom_tui.local.demo import DEMO_TENANT
    from loom_tui.services.directory import NoDirectory

    return demo_directory() if session.tenant_id == DEMO_TENANT else NoDirectory()


def demo_cost_seed(tenant_id: str) -> Any:
    """Writes the demo tenant's 90 days of cost (a generated FOCUS export, ending the day before the
    given one) into the cost cache's folder and returns its path: the cost service imports it the
    first time cost is opened."""

    def write(folder: Any, day: Any) -> Any:
        from loom_tui.local.cost.demo_data import daily_rows, write_focus

        path = folder / "demo-export" / "focus-demo.csv"
        write_focus(path, daily_rows(demo_cost_resources(tenant_id), day))
        return path

    return write


def clock() -> Any:
    """The run's clock: the one reading of the demo's pinned day (``LOOM_DEMO_TODAY``)."""
    from loom_tui.domain.run_clock import Clock
    from loom_tui.domain.demo_day import pinned_day

    return Clock(pinned_day())


def context(profile: "Profile", store: "DocumentStore", session: "Session", *, demo: bool = False, **kw: Any) -> "AppContext":
    """The context of a run over an open ``store`` for ``session``, with the ports ``profile`` and
    ``demo`` (the local profile's demo tenant and its users) call for."""
    from loom_tui.local.demo import PERSONAS
    from loom_tui.services.context import AppContext

    kw.setdefault("directory", directory_for(session))
    kw.setdefault("clock", clock())
    return AppContext(profile=profile, store=store, session=session, personas=PERSONAS if demo else (),
                      label=header_label(profile, demo), azure_label=azure_label(profile),
                      cost_seed=demo_cost_seed(session.tenant_id) if demo else None,
                      connect=azure_clients, lookup=principal_lookup, **kw)


def needs_credential(profile: "Profile") -> bool:
    """A Cosmos profile without an account key reaches Cosmos DB as the signed-in user (AAD): the
    SDK asks the credential for ``https://<account-host>/.default``."""
    return profile.store == "cosmos" and not profile.cosmos_key


async def _open_store(profile: "Profile", data_dir: str | None, read_only: bool, store: Any, credential: Any) -> tuple[Any, Any]:
    """The run's store, open, and the credential it reaches Cosmos DB with (None: not needed)."""
    from loom_tui.services.context import close_credential
    from loom_tui.store.factory import make_store

    if store is None and credential is None and not profile.is_local and needs_credential(profile):
        from loom_tui.azure.credential import credential_for_profile

        credential = await credential_for_profile(profile)
    try:
        store = store or make_store(profile, data_dir=data_dir, credential=credential, read_only=read_only)
        await store.open()
    except BaseException:
        await close_credential(credential)
        raise
    return store, credential


async def _session(profile: "Profile", store: Any, persona: str | None, seed_demo: bool, notes: list[str]) -> "Session":
    """The local profile: the demo user of ``persona`` (seeding the demo tenant first unless it is
    there); any other: the signed-in user."""
    if profile.is_local:
        from loom_tui.local.demo import ensure_demo, persona_session

        # read-only writes nothing, the demo data included (the store must exist already)
        if seed_demo and not store.read_only and await ensure_demo(store):
            notes.append("created the local store and seeded the demo tenant")
        return persona_session(persona)
    from loom_tui.azure.session import session_for_profile

    return await session_for_profile(profile)


async def open_context(profile: "Profile", *, data_dir: str | None = None, read_only: bool = False, seed_demo: bool = True,
                       session: "Session | None" = None, store: "DocumentStore | None" = None, credential: Any = None,
                       repair: bool = True, persona: str | None = None) -> "AppContext":
    """Open the store and establish the session.  For an Azure profile ``credential`` is the
    signed-in ``AsyncTokenCredential`` (the console passes the one its sign-in filled, so a
    memory-only token cache still works); without one it comes from the profile's cached sign-in
    when the store needs it.  The context owns the credential from here on."""
    from loom_tui.services.context import close_credential

    if persona and not profile.is_local:
        from loom_tui.errors import UsageError

        raise UsageError(f"--as {persona}: personas are the local profile's demo users; profile {profile.name!r} signs in as you")
    read_only = read_only or profile.read_only
    store, credential = await _open_store(profile, data_dir, read_only, store, credential)
    notes: list[str] = []
    demo = session is None and profile.is_local
    try:
        if session is None:
            session = await _session(profile, store, persona, seed_demo, notes)
    except BaseException:
        await store.close()
        await close_credential(credential)
        raise
    if store.missing:
        notes.append(f"read-only: {len(store.missing)} containers do not exist and were not created "
                     f"({', '.join(store.missing)}); they read as empty")
    ctx = context(profile, store, session, demo=demo, read_only=read_only, notes=notes, credential=credential,
                  data_dir=data_dir, pace=pace_for(profile))
    if repair and not read_only:
        await _quick_repair(ctx)
    return ctx


async def _quick_repair(ctx: "AppContext") -> None:
    """Finish what a crash left half done (unfinished intents, workspaces stuck in Deleting) —
    cheap: two queries when there is nothing to do.  Never stops the start: a failure is a note."""
    from loom_tui.services.errors import ServiceError
    from loom_tui.store.errors import StoreError

    try:
        report = await ctx.repair.run(min_age_s=30.0)
    except (ServiceError, StoreError) as exc:
        ctx.notes.append(f"repair of half-done work failed: {exc}")
        return
    if report.fixed:
        ctx.notes.append(f"finished {len(report.fixed)} half-done write(s) from an earlier run (loom repair shows them)")


async def context_from_args(args: Any, **kw: Any) -> "AppContext":
    """The context of a headless command, from its ``--profile``, ``--data-dir``, ``--read-only``
    and ``--as``."""
    profile = resolve_profile(getattr(args, "profile", None))
    kw.setdefault("persona", getattr(args, "as_persona", None))
    ctx = await open_context(profile, data_dir=getattr(args, "data_dir", None), read_only=bool(getattr(args, "read_only", False)), **kw)
    # every headless command says when Azure throttles it, on stderr (stdout stays the data)
    ctx.throttle_listeners.append(_throttled_on_stderr)
    return ctx


def _throttled_on_stderr(event: Any) -> None:
    import sys

    from loom_tui.domain.text import visible

    print(visible(event.message), file=sys.stderr, flush=True)


# -- what only the demo tenant has ---------------------------------------------------------------

def signs_in(profile: "Profile") -> bool:
    """Whether a run on ``profile`` signs the operator in to Azure (a real profile), or acts as
    one of the local profile's demo users."""
    return not profile.is_local


def needs_no_sign_in(profile: "Profile", *, azure_flags: bool = False) -> bool:
    """``loom login``/``whoami``: the built-in local profile (the embedded store, the demo tenant's
    user) needs no sign-in; a local-store profile that names a credential, tenant, client or
    subscriptions (in the file, or as flags: ``azure_flags``) signs in like any other."""
    azure_side = profile.credential != "device-code" or profile.tenant_id or profile.client_id or profile.subscriptions or azure_flags
    return profile.is_local and not azure_side


def demo_user(persona: str | None = None) -> dict:
    """``loom whoami``/``login`` on the local profile: the demo tenant's user of ``persona``."""
    from loom_tui.local.demo import persona_session

    s = persona_session(persona)
    return {"persona": persona or "tenant-admin", "tenant_id": s.tenant_id, "user_oid": s.user_oid, "upn": s.upn,
            "name": s.display_name, "groups": list(s.groups), "tenant_admin": s.is_tenant_admin,
            "credential": "none (local profile: the demo tenant's user)"}


async def seed(ctx: "AppContext", *, workspaces: int, items_per_workspace: int, audit_days: int, seed: int) -> tuple[Any, bool]:
    """``loom seed`` on ``ctx``'s store: generated data for scale work (``workspaces`` > 0), else the
    demo tenant again and its demo Azure reset to its seed.  The result and whether the demo Azure
    was reset."""
    from loom_tui.local.demo import seed_demo, seed_scale

    if workspaces:
        return await seed_scale(ctx.store, workspaces=workspaces, items_per_workspace=items_per_workspace,
                                audit_days=audit_days, seed=seed), False
    result = await seed_demo(ctx.store)
    from loom_tui import paths
    from loom_tui.demo_azure.launcher import reset_demo_azure

    reset_demo_azure(paths.data_dir(ctx.data_dir or ctx.profile.data_dir))
    return result, True
