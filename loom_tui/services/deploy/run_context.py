"""What a deployment needs from the run's context, for the Setup service and the deployment's
Operation alike (the resumer of a deployment left running has only the context): the Azure
clients, the profile's cloud, who deploys, the hub's scope and the runner built from them."""

from __future__ import annotations

from typing import Any

from loom_tui.domain.dlz import DlzPlan

from .facts import DeployFacts
from .permissions import Deployer
from .registry import DlzRegistry
from .runner import DlzRunner, RunSetting
from .stage_events import Listener


async def clients_of(ctx: Any) -> Any:
    azure = getattr(ctx, "azure", None)
    if azure is None:
        from loom_tui.errors import ServiceError

        raise ServiceError("this build has no Azure Resource Manager clients wired in, so the estate cannot be read")
    return await azure()


def cloud_of(ctx: Any) -> Any:
    from loom_tui.azure.clouds import get_cloud

    return get_cloud(ctx.profile.cloud)


def hub_scope(facts: DeployFacts) -> str:
    if not facts.admin_subscription_id:
        return ""
    return f"/subscriptions/{facts.admin_subscription_id}/resourceGroups/{facts.admin_resource_group}"


def deployer_of(ctx: Any) -> Deployer:
    """Whose roles a deployment needs: ``(object id, label, principal type)`` of the profile's
    deploy service principal (``deploy_principal_id``) when it names one, else the signed-in
    identity's."""
    p, s = ctx.profile, ctx.session
    if getattr(p, "deploy_principal_id", None):
        label = p.deploy_principal_name or p.deploy_principal_id
        return Deployer(p.deploy_principal_id, f"service principal {label}", "ServicePrincipal")
    return Deployer(s.user_oid, s.upn, "User")


async def runner_for(ctx: Any, registry: DlzRegistry, plan: DlzPlan, facts: DeployFacts | None, *,
                     listener: Listener | None = None, poll_seconds: float = 1.0) -> DlzRunner:
    clients = await clients_of(ctx)
    own = getattr(clients, "cloud", None)
    portal = facts.portal if facts is not None else (own.portal if own is not None else cloud_of(ctx).portal)
    setting = RunSetting(deployer_of(ctx), portal, hub_scope(facts) if facts is not None else "", poll_seconds, ctx.pace)
    return DlzRunner(clients, plan, registry, setting, listener=listener)
