"""The application context: the store, the session and the services, wired once at start-up.

Which adapters are used is decided here, from the profile; nothing else branches on "am I local?".
The TUI and every headless command open the same context.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from loom_tui.config import Profile, resolve_profile
from loom_tui.domain.pace import REAL_TIME, Pace
from loom_tui.domain.session import Session
from loom_tui.store.port import DocumentStore
from loom_tui.store.scoped import ScopedStore

from loom_tui.errors import ReadOnlyError

if TYPE_CHECKING:
    from loom_tui.azure.clients import AzureClients

    from .audit import AuditService
    from .capacity.service import CapacityService
    from .comments import CommentService
    from .cost.budgets import BudgetService
    from .cost.service import CostService
    from .folders import FolderService
    from .items import ItemService
    from .grants import GrantService
    from .members import MemberService
    from .notifications import NotificationService
    from .operations import OperationService
    from .prefs import PrefsService
    from .roles import RoleService
    from .usage import UsageService
    from .workspaces import WorkspaceService


@dataclass
class AppContext:
    profile: Profile
    store: DocumentStore
    session: Session
    read_only: bool = False
    demo: bool = False  # the embedded demo tenant is in use
    notes: list[str] = field(default_factory=list)  # things to tell the operator once (seeded, ...)
    # the signed-in AsyncTokenCredential of an Azure profile (None for the embedded store); the
    # context owns it and closes it last
    credential: Any = None
    # the --data-dir of this run (None: the profile's, else the default); the cost cache and the demo Azure's state live there
    data_dir: str | None = None
    # how long waits on Azure really take (wiring: real time, or a sped-up demo Azure's pace)
    pace: Pace = REAL_TIME
    _azure: Any = field(default=None, repr=False)
    _principals: Any = field(default=None, repr=False)  # the principal lookup of member grants (wiring)
    _azure_lock: Any = field(default=None, repr=False)
    _owned: list[Any] = field(default_factory=list, repr=False)  # closed (in reverse) when the context closes
    # called with every throttling wait of the run's Azure clients (``loom_tui.azure.throttle.Throttled``)
    throttle_listeners: list[Any] = field(default_factory=list, repr=False)

    async def azure(self) -> "AzureClients":
        """The run's Azure clients, made on first use (see :mod:`loom_tui.wiring`: for the local
        profile this starts the demo Azure on this machine)."""
        if self._azure is None:
            import asyncio

            if self._azure_lock is None:
                self._azure_lock = asyncio.Lock()
            async with self._azure_lock:
                if self._azure is None:
                    from loom_tui.wiring import azure_clients

                    self._azure = await azure_clients(self)
        return self._azure

    @property
    def azure_started(self) -> bool:
        """Whether Azure was reached in this run (nothing is started before an area needs it)."""
        return self._azure is not None

    def own(self, resource: Any) -> Any:
        """Close ``resource`` (anything with an async ``close()``) when the context closes."""
        self._owned.append(resource)
        return resource

    @cached_property
    def scoped(self) -> ScopedStore:
        return ScopedStore(self.store, self.session)

    def require_writable(self, action: str = "this change") -> None:
        """The single read-only gate of the service layer."""
        if self.read_only:
            raise ReadOnlyError(action)

    @cached_property
    def audit(self) -> "AuditService":
        from .audit import AuditService

        return AuditService(self.scoped)

    @cached_property
    def workspaces(self) -> "WorkspaceService":
        from .workspaces import WorkspaceService

        return WorkspaceService(self)

    @cached_property
    def items(self) -> "ItemService":
        from .items import ItemService

        return ItemService(self)

    @cached_property
    def folders(self) -> "FolderService":
        from .folders import FolderService

        return FolderService(self)

    @cached_property
    def members(self) -> "MemberService":
        from .members import MemberService

        return MemberService(self)

    async def principals(self) -> Any:
        """The run's principal lookup for member grants (Microsoft Graph; see ``wiring.principal_lookup``)."""
        if self._principals is None:
            from loom_tui.wiring import principal_lookup

            self._principals = await principal_lookup(self)
        return self._principals

    @cached_property
    def grants(self) -> "GrantService":
        from .grants import GrantService

        return GrantService(self)

    @cached_property
    def comments(self) -> "CommentService":
        from .comments import CommentService

        return CommentService(self)

    @cached_property
    def notifications(self) -> "NotificationService":
        from .notifications import NotificationService

        return NotificationService(self)

    @cached_property
    def prefs(self) -> "PrefsService":
        from .prefs import PrefsService

        return PrefsService(self)

    @cached_property
    def roles(self) -> "RoleService":
        from .roles import RoleService

        return RoleService(self)

    @cached_property
    def capacity(self) -> "CapacityService":
        from .capacity.service import CapacityService

        return CapacityService(self)

    @cached_property
    def usage(self) -> "UsageService":
        from .usage import UsageService

        return UsageService(self)

    @cached_property
    def budgets(self) -> "BudgetService":
        from .cost.budgets import BudgetService

        return BudgetService(self)

    @cached_property
    def cost(self) -> "CostService":
        from .cost.service import CostService

        return CostService(self)

    @cached_property
    def operations(self) -> "OperationService":
        from .operations import OperationService

        return OperationService(self)

    def where(self) -> str:
        """Header text: profile, store and cloud."""
        if self.profile.is_local:
            return f"{self.profile.name}: local store" + (", demo tenant" if self.demo else "")
        return f"{self.profile.name}: {self.profile.cloud}, Cosmos DB {self.profile.cosmos_database}"

    def azure_where(self) -> str:
        """Header text for the Azure side when the store line does not say it (the demo Azure)."""
        from loom_tui.wiring import azure_label

        return azure_label(self.profile)

    async def close(self) -> None:
        try:
            if "operations" in self.__dict__:  # stop polling here; running ones resume in the next process
                await self.operations.close()
            if self._azure is not None:
                azure, self._azure = self._azure, None
                await azure.close()
            while self._owned:
                await self._owned.pop().close()
        finally:
            try:
                await self.store.close()
            finally:
                await _close_credential(self.credential)


async def _close_credential(credential: Any) -> None:
    close = getattr(credential, "close", None)
    if close is not None:
        await close()


def needs_credential(profile: Profile) -> bool:
    """A Cosmos profile without an account key reaches Cosmos DB as the signed-in user (AAD): the
    SDK asks the credential for ``https://<account-host>/.default``."""
    return profile.store == "cosmos" and not profile.cosmos_key


async def open_context(
    profile: Profile,
    *,
    data_dir: str | None = None,
    read_only: bool = False,
    seed_demo: bool = True,
    session: Session | None = None,
    store: DocumentStore | None = None,
    credential: Any = None,
    repair: bool = True,
    persona: str | None = None,
) -> AppContext:
    """Open the store and establish the session.  For an Azure profile ``credential`` is the
    signed-in ``AsyncTokenCredential`` (the console passes the one its sign-in filled, so a
    memory-only token cache still works); without one it comes from the profile's cached sign-in
    when the store needs it.  The context owns the credential from here on."""
    from loom_tui.store.factory import make_store

    if persona and not profile.is_local:
        from loom_tui.errors import UsageError

        raise UsageError(f"--as {persona}: personas are the local profile's demo users; profile {profile.name!r} signs in as you")
    if store is None and credential is None and not profile.is_local and needs_credential(profile):
        from loom_tui.azure.credential import credential_for_profile

        credential = await credential_for_profile(profile)
    try:
        read_only = read_only or profile.read_only
        store = store or make_store(profile, data_dir=data_dir, credential=credential, read_only=read_only)
        await store.open()
    except BaseException:
        await _close_credential(credential)
        raise
    notes: list[str] = []
    demo = False
    try:
        if session is None:
            if profile.is_local:
                from loom_tui.local.demo import ensure_demo, persona_session

                session = persona_session(persona)
                demo = True
                # read-only writes nothing, the demo data included (the store must exist already)
                if seed_demo and not store.read_only and await ensure_demo(store):
                    notes.append("created the local store and seeded the demo tenant")
            else:
                from loom_tui.azure.session import session_for_profile

                session = await session_for_profile(profile)
    except BaseException:
        await store.close()
        await _close_credential(credential)
        raise
    if store.missing:
        notes.append(f"read-only: {len(store.missing)} containers do not exist and were not created "
                     f"({', '.join(store.missing)}); they read as empty")
    from loom_tui.wiring import pace_for

    ctx = AppContext(profile=profile, store=store, session=session, read_only=read_only, demo=demo, notes=notes,
                     credential=credential, data_dir=data_dir, pace=pace_for(profile))
    if repair and not read_only:
        await _quick_repair(ctx)
    return ctx


async def _quick_repair(ctx: AppContext) -> None:
    """Finish what a crash left half done (unfinished intents, workspaces stuck in Deleting) —
    cheap: two queries when there is nothing to do.  Never stops the start: a failure is a note."""
    from loom_tui.store.errors import StoreError

    from .errors import ServiceError
    from .repair import RepairService

    try:
        report = await RepairService(ctx).run(min_age_s=30.0)
    except (ServiceError, StoreError) as exc:
        ctx.notes.append(f"repair of half-done work failed: {exc}")
        return
    if report.fixed:
        ctx.notes.append(f"finished {len(report.fixed)} half-done write(s) from an earlier run (loom repair shows them)")


async def context_from_args(args: argparse.Namespace, **kw: Any) -> AppContext:
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
