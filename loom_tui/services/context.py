"""The application context: the run's ports (store, session, Azure, directory, clock) and its
services, in one record that closes what it owns.

:mod:`loom_tui.wiring` builds it (``wiring.open_context``) and is the only place that decides,
from the profile, which ports it holds; nothing here knows which profile it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from loom_tui.config import Profile
from loom_tui.domain.run_clock import Clock
from loom_tui.domain.pace import REAL_TIME, Pace
from loom_tui.domain.session import Session
from loom_tui.store.port import DocumentStore
from loom_tui.store.scoped import ScopedStore

from loom_tui.services.directory import Directory, NoDirectory

if TYPE_CHECKING:
    from loom_tui.azure.clients import AzureClients

    from loom_tui.services.audit import AuditService
    from .capacity.service import CapacityService
    from loom_tui.services.workspaces.comments import CommentService
    from .cost.budgets import BudgetService
    from .cost.service import CostService
    from loom_tui.services.workspaces.folders import FolderService
    from loom_tui.services.workspaces.items import ItemService
    from loom_tui.services.workspaces.grants import GrantService
    from loom_tui.services.workspaces.members import MemberService
    from loom_tui.services.notifications import NotificationService
    from loom_tui.services.operations import OperationService
    from loom_tui.services.prefs import PrefsService
    from loom_tui.services.repair import RepairService
    from loom_tui.services.roles import Gate
    from loom_tui.services.usage import UsageService
    from .v1tenant import V1TenantService
    from loom_tui.services.workspaces.service import WorkspaceService


@dataclass
class AppContext:
    profile: Profile
    store: DocumentStore
    session: Session
    read_only: bool = False
    notes: list[str] = field(default_factory=list)  # things to tell the operator once (seeded, ...)
    # the signed-in AsyncTokenCredential of an Azure profile (None for the embedded store); the
    # context owns it and closes it last
    credential: Any = None
    # the --data-dir of this run (None: the profile's, else the default); the cost cache and a local Azure's state live there
    data_dir: str | None = None
    # how long waits on Azure really take (wiring: real time, or a sped-up demo Azure's pace)
    pace: Pace = REAL_TIME
    # who the tenant's users are (mentions, member bindings), and the run's time (wiring)
    directory: Directory = field(default_factory=NoDirectory)
    clock: Clock = field(default_factory=Clock)
    # the users this run may act as (``loom --as``; none: the profile signs in as you)
    personas: tuple[str, ...] = ()
    # the header's words for the store and for the Azure side (wiring)
    label: str = ""
    azure_label: str = ""
    # writes the tenant's seeded cost export (FOCUS csv) into a folder for a day and returns its
    # path, or None: none is seeded
    cost_seed: Callable[[Any, Any], Any] | None = field(default=None, repr=False)
    # wiring's makers of the run's Azure clients and principal lookup, called on first use
    connect: Callable[["AppContext"], Awaitable["AzureClients"]] | None = field(default=None, repr=False)
    lookup: Callable[["AppContext"], Awaitable[Any]] | None = field(default=None, repr=False)
    _azure: Any = field(default=None, repr=False)
    _principals: Any = field(default=None, repr=False)  # the principal lookup of member grants (wiring)
    _azure_lock: Any = field(default=None, repr=False)
    _owned: list[Any] = field(default_factory=list, repr=False)  # closed (in reverse) when the context closes
    # called with every throttling wait of the run's Azure clients (``loom_tui.azure.throttle.Throttled``)
    throttle_listeners: list[Any] = field(default_factory=list, repr=False)

    async def azure(self) -> "AzureClients":
        """The run's Azure clients, made on first use by the maker wiring gave (it may start a
        whole Azure on this machine: nothing is started before an area needs it)."""
        if self._azure is None:
            import asyncio

            if self.connect is None:
                raise RuntimeError("this context was built without Azure (wiring.context gives it)")
            if self._azure_lock is None:
                self._azure_lock = asyncio.Lock()
            async with self._azure_lock:
                if self._azure is None:
                    self._azure = await self.connect(self)
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

    @cached_property
    def gate(self) -> "Gate":
        """The session's permission gate (read-only switch and workspace roles): what services get."""
        from loom_tui.services.roles import Gate

        return Gate(self.scoped, self.read_only)

    def require_writable(self, action: str = "this change") -> None:
        """The single read-only gate of the service layer (:meth:`Gate.require_writable`)."""
        self.gate.require_writable(action)

    @cached_property
    def audit(self) -> "AuditService":
        from loom_tui.services.audit import AuditService

        return AuditService(self.scoped)

    @cached_property
    def workspaces(self) -> "WorkspaceService":
        from loom_tui.services.workspaces.service import WorkspaceService

        return WorkspaceService(self.scoped, self.gate)

    @cached_property
    def items(self) -> "ItemService":
        from loom_tui.services.workspaces.items import ItemService

        return ItemService(self.scoped, self.gate)

    @cached_property
    def folders(self) -> "FolderService":
        from loom_tui.services.workspaces.folders import FolderService

        return FolderService(self.scoped, self.gate)

    @cached_property
    def members(self) -> "MemberService":
        from loom_tui.services.workspaces.members import MemberService

        return MemberService(self.scoped, self.gate, self.directory)

    async def principals(self) -> Any:
        """The run's principal lookup for member grants (Microsoft Graph; see ``wiring.principal_lookup``)."""
        if self._principals is None:
            if self.lookup is None:
                raise RuntimeError("this context was built without a principal lookup (wiring.context gives it)")
            self._principals = await self.lookup(self)
        return self._principals

    @cached_property
    def grants(self) -> "GrantService":
        from loom_tui.services.workspaces.grants import GrantService

        return GrantService(self.scoped, self.gate, self.members, self.principals)

    @cached_property
    def comments(self) -> "CommentService":
        from loom_tui.services.workspaces.comments import CommentService

        return CommentService(self.scoped, self.gate, self.directory)

    @cached_property
    def notifications(self) -> "NotificationService":
        from loom_tui.services.notifications import NotificationService

        return NotificationService(self.scoped, self.gate)

    @cached_property
    def prefs(self) -> "PrefsService":
        from loom_tui.services.prefs import PrefsService

        return PrefsService(self.scoped, self.gate)

    @property
    def roles(self) -> "Gate":
        """The session's role in a workspace, by id (the screens ask it what to offer)."""
        return self.gate

    @cached_property
    def v1tenant(self) -> "V1TenantService":
        from .v1tenant import V1TenantService

        return V1TenantService(self.scoped, self.gate, self.directory)

    @cached_property
    def repair(self) -> "RepairService":
        from loom_tui.services.repair import RepairService

        return RepairService(self.scoped, self.gate, self.workspaces)

    @cached_property
    def capacity(self) -> "CapacityService":
        from .capacity.service import CapacityService

        return CapacityService(self.scoped, self.gate, self.azure, self.operations, self.profile, lambda: self.cost)

    @cached_property
    def usage(self) -> "UsageService":
        from loom_tui.services.usage import UsageService

        return UsageService(self.scoped, self.clock.now)

    @cached_property
    def budgets(self) -> "BudgetService":
        from .cost.budgets import BudgetService

        return BudgetService(self.scoped, self.gate, self.azure, self.profile, self.directory, self.clock.today)

    @cached_property
    def cost(self) -> "CostService":
        from .cost.service import CostService, db_path_for

        return CostService(self.scoped, self.gate, self.azure, self.profile, today=self.clock.today, pace=self.pace,
                           db_path=db_path_for(self.profile, self.data_dir), domain_names=lambda: self.workspaces.registry.names(),
                           inventory=lambda: self.capacity.inventory(), seed=self.cost_seed)

    @cached_property
    def operations(self) -> "OperationService":
        from loom_tui.services.operations import OperationService

        return OperationService(self.scoped, self.gate, self.azure, self.pace, self.profile)

    def where(self) -> str:
        """Header text: profile, store and cloud."""
        return self.label

    def azure_where(self) -> str:
        """Header text for the Azure side when the store line does not say it."""
        return self.azure_label

    async def __aenter__(self) -> "AppContext":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

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
                await close_credential(self.credential)


async def close_credential(credential: Any) -> None:
    """Close an ``AsyncTokenCredential`` (anything with an async ``close()``; None: nothing)."""
    close = getattr(credential, "close", None)
    if close is not None:
        await close()
