"""What a deployment needs of the run, for the DLZ service and the deployment's Operation alike:
one :class:`RunContext` (the store, the gate, the Azure clients, the profile and the pace) — the
DLZ service takes it from the app's context, the resumer of a deployment left running from the
operations service — and what is read from it: the Azure clients, the profile's cloud, who
deploys, the hub's scope and the runner built from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from loom_tui.domain.dlz import DlzPlan

from .facts import DeployFacts
from .permissions import Deployer
from .registry import DlzRegistry
from .runner import DlzRunner, RunSetting
from .stage_events import Listener

if TYPE_CHECKING:
    from loom_tui.config import Profile
    from loom_tui.domain.pace import Pace
    from loom_tui.domain.session import Session
    from loom_tui.store.scoped import ScopedStore

    from loom_tui.services.roles import Gate


@dataclass(frozen=True)
class RunContext:
    scoped: "ScopedStore"
    gate: "Gate"
    azure: Callable[[], Awaitable[Any]]  # the run's Azure clients, made on first use
    profile: "Profile"  # its cloud, and the deploy service principal it names
    pace: "Pace"

    @classmethod
    def of(cls, source: Any) -> "RunContext":
        """From anything that holds these (the app's context, the operations service)."""
        return cls(source.scoped, source.gate, source.azure, source.profile, source.pace)

    @property
    def session(self) -> "Session":
        return self.scoped.session

    def require_writable(self, action: str = "this change") -> None:
        self.gate.require_writable(action)

    def registry(self) -> DlzRegistry:
        return DlzRegistry(self.scoped, self.require_writable)


async def clients_of(run: RunContext) -> Any:
    return await run.azure()


def cloud_of(run: RunContext) -> Any:
    from loom_tui.azure.clouds import get_cloud

    return get_cloud(run.profile.cloud)


def hub_scope(facts: DeployFacts) -> str:
    if not facts.admin_subscription_id:
        return ""
    return f"/subscriptions/{facts.admin_subscription_id}/resourceGroups/{facts.admin_resource_group}"


def deployer_of(run: RunContext) -> Deployer:
    """Whose roles a deployment needs: ``(object id, label, principal type)`` of the profile's
    deploy service principal (``deploy_principal_id``) when it names one, else the signed-in
    identity's."""
    p, s = run.profile, run.session
    if p.deploy_principal_id:
        label = p.deploy_principal_name or p.deploy_principal_id
        return Deployer(p.deploy_principal_id, f"service principal {label}", "ServicePrincipal")
    return Deployer(s.user_oid, s.upn, "User")


async def runner_for(run: RunContext, plan: DlzPlan, facts: DeployFacts | None, *,
                     listener: Listener | None = None, poll_seconds: float = 1.0) -> DlzRunner:
    clients = await clients_of(run)
    own = getattr(clients, "cloud", None)
    portal = facts.portal if facts is not None else (own.portal if own is not None else cloud_of(run).portal)
    setting = RunSetting(deployer_of(run), portal, hub_scope(facts) if facts is not None else "", poll_seconds, run.pace)
    return DlzRunner(clients, plan, run.registry(), setting, listener=listener)
