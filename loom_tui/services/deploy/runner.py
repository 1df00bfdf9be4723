"""Deploying a DLZ, stage by stage: permissions → validate → what-if → deploy → peering (both
ways) → DNS links (concurrently) → record.

Every stage is idempotent, so a run that failed (or a process that was killed) starts again at the
first stage that has not succeeded: an ARM deployment still running is watched rather than
started twice; a peering or a link that exists is simply PUT again (ARM answers 200).  Stage
states are kept in the DLZ's record in the store.  ARM's error text travels in full.

Calls go through the run's :class:`~loom_tui.azure.clients.AzureClients`: the deployments SDK
client (``azure-mgmt-resource-deployments``) for validate / what-if / create and the deployment
operations; ``clients.send`` (the same pipeline) for peering, DNS links and role assignments,
which have no SDK in the house.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from loom_tui.azure.errors import ArmError, arm_error_text
from loom_tui.domain.dlz import DlzPlan
from loom_tui.domain.pace import REAL_TIME, Pace

from .facts import PermissionReport
from .permissions import check_permissions
from .registry import DlzRegistry
from .template import inline_of
from .wrapper import deployment_body

STAGES = ("permissions", "validate", "what-if", "deploy", "peering", "dns", "record")
STAGE_LABELS = {"permissions": "Permissions", "validate": "Validate", "what-if": "What-if", "deploy": "Deploy template",
                "peering": "Hub ↔ spoke peering", "dns": "Private DNS links", "record": "Record the DLZ"}
POLL_SECONDS = 1.0


def short_id(rid: str) -> str:
    """A resource id without its subscription and group: ``Microsoft.Network/virtualNetworks/x``."""
    if "/providers/" in rid:
        return rid.rsplit("/providers/", 1)[1]
    parts = rid.rstrip("/").split("/")
    return f"resource group {parts[-1]}" if len(parts) >= 5 and parts[-2].lower() == "resourcegroups" else rid


def hub_scope_of(hub_vnet_id: str) -> str:
    """The hub's resource group scope, from its VNet id."""
    low = hub_vnet_id.lower()
    i = low.find("/providers/")
    return hub_vnet_id[:i] if i > 0 else ""


class StageFailed(Exception):
    def __init__(self, stage: str, message: str) -> None:
        super().__init__(message)
        self.stage = stage
        self.message = message


@dataclass
class StageEvent:
    stage: str
    state: str  # running | succeeded | failed | skipped
    message: str = ""
    progress: float | None = None  # 0..1 where known
    lines: list[str] = field(default_factory=list)  # per-operation lines, what-if list, missing roles, ...


@dataclass(frozen=True)
class WhatIfSummary:
    create: int
    modify: int
    delete: int
    other: int
    changes: tuple[tuple[str, str], ...]  # (change type, resource id)

    def lines(self) -> list[str]:
        return [f"{ct:<8} {short_id(rid)}" for ct, rid in self.changes]

    @property
    def headline(self) -> str:
        return f"{self.create} to create, {self.modify} to modify, {self.delete} to delete, {self.other} unchanged"


Listener = Callable[[StageEvent], Awaitable[None] | None]


def enum_text(v: Any) -> str:
    """An SDK enum or a plain string, as ARM spells it."""
    return str(getattr(v, "value", v) or "")


class DlzRunner:
    def __init__(self, clients: Any, plan: DlzPlan, registry: DlzRegistry, *,
                 principal_id: str, principal_label: str, principal_type: str = "User", portal: str,
                 hub_scope: str = "", listener: Listener | None = None, poll_seconds: float = POLL_SECONDS,
                 pace: Pace = REAL_TIME) -> None:
        self.clients = clients
        self.pace = pace  # waits on Azure: real seconds on a real cloud, shorter on a sped-up demo Azure
        self.plan = plan
        self.registry = registry
        self.principal_id = principal_id
        self.principal_label = principal_label
        self.principal_type = principal_type
        self.portal = portal
        self.hub_scope = hub_scope or hub_scope_of(plan.hub_vnet_id)
        self.listener = listener
        self.poll_seconds = poll_seconds
        self.stages: dict[str, dict[str, Any]] = {}
        self.permissions: PermissionReport | None = None
        self.what_if: WhatIfSummary | None = None
        self.peering: dict[str, str] = {}
        self.dns_links: list[dict[str, str]] = []

    # ------------------------------------------------------------ plumbing

    async def emit(self, ev: StageEvent) -> None:
        self.stages[ev.stage] = {"state": ev.state, "message": ev.message}
        if self.listener is not None:
            r = self.listener(ev)
            if asyncio.iscoroutine(r):
                await r

    def _plan_doc(self) -> dict[str, Any]:
        return self.plan.to_dict()  # with its template's source: a resumed run deploys the same one

    async def save(self, state: str) -> None:
        await self.registry.save(self._plan_doc(), state=state, stages=self.stages, peering=self.peering, dns_links=self.dns_links)

    def _sdk_poll(self) -> float:
        """The SDK poller's wait when ARM sends no Retry-After (its own default is 30 s)."""
        return self.pace.seconds(self.poll_seconds)

    async def deployments(self) -> Any:
        """The SDK's deployments client at the api-version this cloud offers (api_versions.py)."""
        import functools

        from azure.mgmt.resource.deployments.aio import DeploymentsMgmtClient

        from loom_tui.azure.api_versions import pick

        api = await pick(self.clients, "Microsoft.Resources/deployments", path=f"/subscriptions/{self.plan.subscription_id}")
        return self.clients.client(functools.partial(DeploymentsMgmtClient, api_version=api), self.plan.subscription_id,
                                   kind=f"deployments@{api}")

    async def _api(self, rtype: str) -> str:
        from loom_tui.azure.api_versions import pick

        return await pick(self.clients, rtype, path=f"/subscriptions/{self.plan.subscription_id}")

    def _deployment(self, what_if: bool = False) -> Any:
        from azure.mgmt.resource.deployments import models as m

        template, spec, params = deployment_body(self.plan, inline_of(self.plan.template))
        link = m.TemplateLink(id=spec) if spec else None
        if what_if:
            return m.DeploymentWhatIf(location=self.plan.region, properties=m.DeploymentWhatIfProperties(
                mode="Incremental", template=template, template_link=link, parameters=params))
        return m.Deployment(location=self.plan.region, tags={"loomTenantId": self.plan.tenant_id, "loomDomain": self.plan.domain},
                            properties=m.DeploymentProperties(mode="Incremental", template=template, template_link=link, parameters=params))

    # ------------------------------------------------------------ the run

    async def resume_point(self) -> int:
        """The first stage not yet succeeded, from the stored record."""
        rec = await self.registry.find(self.plan.domain)
        if rec is None or rec.state == "deployed":
            return 0
        self.stages = dict(rec.stages)
        self.peering = dict(rec.peering)
        self.dns_links = list(rec.dns_links)
        for i, s in enumerate(STAGES):
            if (rec.stages.get(s) or {}).get("state") != "succeeded":
                return i
        return len(STAGES) - 1

    async def run(self, *, only: tuple[str, ...] | None = None, resume: bool = True) -> bool:
        """Run the stages (``only`` a subset, for the review step's validate / what-if); True
        when every stage run succeeded.  A failure is recorded and reported, not raised."""
        stages = only or STAGES
        start = 0
        if only is None and resume:
            start = await self.resume_point()
            for s in STAGES[:start]:
                await self.emit(StageEvent(s, "succeeded", "done in an earlier run"))
        # nothing is recorded before the permissions stage passes: a refused identity leaves no
        # record behind (a record reserves the domain, its subscription and its address space)
        writes = only is None
        for stage in stages[start:] if only is None else stages:
            await self.emit(StageEvent(stage, "running"))
            try:
                msg = await getattr(self, "stage_" + stage.replace("-", "_"))()
            except StageFailed as exc:
                return await self._stage_failed(stage, exc.message, writes)
            except ArmError as exc:
                return await self._stage_failed(stage, arm_error_text(exc), writes)
            except Exception as exc:  # an SDK HttpResponseError: ARM's text in full
                from azure.core.exceptions import AzureError

                if not isinstance(exc, AzureError):
                    raise
                return await self._stage_failed(stage, arm_error_text(exc), writes)
            await self.emit(StageEvent(stage, "succeeded", msg or ""))
            if writes and stage != "record":
                await self.save("deploying")
        return True

    async def _stage_failed(self, stage: str, message: str, writes: bool) -> bool:
        await self.emit(StageEvent(stage, "failed", message))
        if writes and stage != "permissions":
            await self.save("failed")
        return False

    # ------------------------------------------------------------ stages

    async def stage_permissions(self) -> str:
        rep = await check_permissions(self.clients, principal_id=self.principal_id, principal_label=self.principal_label,
                                      principal_type=self.principal_type, tenant_id=self.plan.tenant_id, portal=self.portal,
                                      subscription_id=self.plan.subscription_id, hub_scope=self.hub_scope,
                                      role_assignments=int(self.plan.template.get("roleAssignments") or 0))
        self.permissions = rep
        if rep.error:
            raise StageFailed("permissions", f"the role check failed: {rep.error}")
        if not rep.ok:
            lines = [f"missing {c.role} on {c.scope}" for c in rep.missing] + list(rep.fixes) + list(rep.portal_links)
            raise StageFailed("permissions", "\n".join(lines))
        return f"{self.principal_label} holds every role needed"

    async def stage_validate(self) -> str:
        poller = await (await self.deployments()).deployments.begin_validate_at_subscription_scope(self.plan.deployment_name, self._deployment(),
                                                                                          polling_interval=self._sdk_poll())
        result = await poller.result()
        err = getattr(result, "error", None)
        if err is not None and getattr(err, "code", None):
            raise StageFailed("validate", arm_error_text(err))
        n = len(getattr(getattr(result, "properties", None), "validated_resources", None) or [])
        return f"ARM validated the template ({n} resources)"

    async def stage_what_if(self) -> str:
        poller = await (await self.deployments()).deployments.begin_what_if_at_subscription_scope(self.plan.deployment_name,
                                                                                          self._deployment(what_if=True),
                                                                                          polling_interval=self._sdk_poll())
        result = await poller.result()
        err = getattr(result, "error", None)
        if err is not None and getattr(err, "code", None):
            raise StageFailed("what-if", arm_error_text(err))
        changes = []
        counts = {"Create": 0, "Modify": 0, "Delete": 0}
        other = 0
        for c in getattr(result, "changes", None) or []:
            ct = str(getattr(c.change_type, "value", c.change_type))
            if ct in counts:
                counts[ct] += 1
            else:
                other += 1
            changes.append((ct, str(c.resource_id)))
        order = {"Create": 0, "Modify": 1, "Delete": 2}
        changes.sort(key=lambda x: (order.get(x[0], 3), x[1]))
        self.what_if = WhatIfSummary(counts["Create"], counts["Modify"], counts["Delete"], other, tuple(changes))
        await self.emit(StageEvent("what-if", "running", self.what_if.headline, 1.0, self.what_if.lines()))
        return self.what_if.headline

    async def _deployment_state(self) -> str | None:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            d = await (await self.deployments()).deployments.get_at_subscription_scope(self.plan.deployment_name)
        except ResourceNotFoundError:
            return None
        return enum_text(getattr(d.properties, "provisioning_state", ""))

    async def _operations_lines(self) -> tuple[list[str], int, int]:
        dc = (await self.deployments())
        lines, done, total = [], 0, 0
        nested: list[str] = []

        def take(p: Any) -> None:
            nonlocal done, total
            tr = p.target_resource
            if (getattr(tr, "resource_type", "") or "") == "Microsoft.Resources/deployments":
                nested.append(tr.resource_name)  # a module: its own operations are listed below
                return
            total += 1
            done += enum_text(p.provisioning_state) in ("Succeeded", "Failed")
            lines.append(self._op_line(p))

        async for op in dc.deployment_operations.list_at_subscription_scope(self.plan.deployment_name):
            take(op.properties)
        seen: set[str] = set()
        while nested:
            name = nested.pop(0)
            if name in seen:
                continue
            seen.add(name)
            try:
                async for op in dc.deployment_operations.list(self.plan.resource_group, name):
                    take(op.properties)
            except Exception as exc:  # the nested deployment may not be listable yet
                from azure.core.exceptions import ResourceNotFoundError

                if not isinstance(exc, ResourceNotFoundError):
                    raise
        return lines, done, total

    @staticmethod
    def _op_line(p: Any) -> str:
        tr = p.target_resource
        state = enum_text(p.provisioning_state) or "?"
        line = f"{state:<10} {getattr(tr, 'resource_type', '')} {getattr(tr, 'resource_name', '')}"
        sm = getattr(p, "status_message", None)
        err = getattr(sm, "error", None) if sm is not None else None
        if state == "Failed" and err is not None:
            line += f" — {getattr(err, 'code', '')}: {getattr(err, 'message', '')}"
        return line

    async def stage_deploy(self) -> str:
        state = await self._deployment_state()
        dc = (await self.deployments())
        if state in ("Running", "Accepted", "Creating", "Updating"):
            poll_task = asyncio.create_task(self._wait_deployment())  # a run killed mid-deploy: watch it, don't start it twice
        else:
            poller = await dc.deployments.begin_create_or_update_at_subscription_scope(self.plan.deployment_name, self._deployment(),
                                                                                      polling_interval=self._sdk_poll())
            poll_task = asyncio.create_task(poller.result())
        expected = self._expected_operations()
        try:
            while not poll_task.done():
                lines, done, total = await self._operations_lines()
                await self.emit(StageEvent("deploy", "running", f"{done} of {max(total, expected)} operations finished",
                                           done / max(total, expected, 1), lines))
                await asyncio.wait({poll_task}, timeout=self.pace.seconds(self.poll_seconds))
            result = poll_task.result()
        except BaseException:
            poll_task.cancel()
            raise
        lines, done, total = await self._operations_lines()
        final = enum_text(getattr(getattr(result, "properties", None), "provisioning_state", ""))
        if final != "Succeeded":
            err = arm_error_text(getattr(getattr(result, "properties", None), "error", None))
            failed = [ln for ln in lines if ln.startswith("Failed")]
            raise StageFailed("deploy", "\n".join([f"the deployment ended {final or 'without a state'}", err, *failed]).strip())
        await self.emit(StageEvent("deploy", "running", f"{done} of {total} operations finished", 1.0, lines))
        return f"deployment {self.plan.deployment_name} succeeded ({total} operations)"

    def _expected_operations(self) -> int:
        return 1  # unknown before ARM lists them (it depends on the template and its conditions)

    async def _wait_deployment(self) -> Any:
        while True:
            d = await (await self.deployments()).deployments.get_at_subscription_scope(self.plan.deployment_name)
            if enum_text(d.properties.provisioning_state) in ("Succeeded", "Failed", "Canceled"):
                return d
            await self.pace.sleep(self.poll_seconds)

    async def _put_and_wait(self, url: str, api: str, body: dict[str, Any]) -> dict[str, Any]:
        """PUT, then poll Azure-AsyncOperation (or Location) until the operation ends; the
        resource read back."""
        resp = await self.clients.send("PUT", url, api, json=body)
        poll = resp.header("azure-asyncoperation") or (resp.header("location") if resp.status == 202 else None)
        while poll:
            status = await self.clients.send("GET", poll)
            s = str((status.body or {}).get("status") or "") if isinstance(status.body, dict) else ""
            if status.status == 200 and (s in ("Succeeded", "") and not status.header("azure-asyncoperation")):
                break
            if s in ("Failed", "Canceled"):
                err = (status.body or {}).get("error") or {}
                raise StageFailed("network", f"{err.get('code', s)}: {err.get('message', '')} ({url})")
            if s == "Succeeded":
                break
            await self.pace.sleep(min(float(status.header("retry-after") or self.poll_seconds), 5 * self.poll_seconds))
        return (await self.clients.send("GET", url, api)).body or {}

    async def stage_peering(self) -> str:
        from .network_stages import peer

        return await peer(self)

    async def stage_dns(self) -> str:
        from .network_stages import link_dns

        return await link_dns(self)

    async def stage_record(self) -> str:
        await self.registry.save(self._plan_doc(), state="deployed", stages={**self.stages, "record": {"state": "succeeded", "message": ""}},
                                 peering=self.peering, dns_links=self.dns_links)
        return "recorded in the store"
