"""Deploying a DLZ, stage by stage: permissions → validate → what-if → deploy → peering (both
ways) → DNS links (concurrently) → record.

Every stage is idempotent, so a run that failed (or a process that was killed) starts again at the
first stage that has not succeeded (``run(start=...)``): an ARM deployment still running is watched
rather than started twice; a peering or a link that exists is simply PUT again (ARM answers 200).
Where a run starts is read from the deployment's Operation, the only store of stage states
(:func:`.operation.start_point`); the DLZ's record keeps the outcome, the plan, the peering and the
DNS links (:attr:`DlzRunner.stages` is this run's own, in memory).  ARM's error text travels in full.

Calls go through the run's :class:`~loom_tui.azure.clients.AzureClients`: validate, what-if,
create, peering and DNS links are raw ARM calls (``clients.send``) followed by the one poller
(:mod:`loom_tui.azure.lro`: whichever shape ARM answers in, Retry-After through the pace, one
deadline per kind, busy conflicts sent again); the deployment's per-operation progress is read at
each of the poller's reads, and an adopted DNS link still being made is followed by it too.  The
deployments SDK client (``azure-mgmt-resource-deployments``) builds the request bodies and reads
the deployment and its operations.

:data:`STAGES` is the table of stages, in order: name -> the function that runs it.  What a run
needs besides its clients, plan and record is one :class:`RunSetting` (who deploys, the portal,
the hub, the pace).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from loom_tui.azure import lro
from loom_tui.azure.errors import ArmError, arm_error_text
from loom_tui.domain.dlz import DlzPlan
from loom_tui.domain.pace import REAL_TIME, Pace

from .facts import PermissionReport
from .permissions import Deployer, check_permissions
from .registry import DlzRegistry
from .stage_events import Listener, StageEvent, StageFailed
from .template import inline_of
from .wrapper import deployment_body

STAGE_LABELS = {"permissions": "Permissions", "validate": "Validate", "what-if": "What-if", "deploy": "Deploy template",
                "peering": "Hub ↔ spoke peering", "dns": "Private DNS links", "record": "Record the DLZ"}
DEPLOYMENTS = "Microsoft.Resources/deployments"  # its api-version picked per cloud (api_versions.py)
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


def enum_text(v: Any) -> str:
    """An SDK enum or a plain string, as ARM spells it."""
    return str(getattr(v, "value", v) or "")


@dataclass(frozen=True)
class RunSetting:
    """Who deploys and where (whose roles the permissions stage checks, the portal its fixes link
    to, the hub's resource group: its VNet's when empty), and how waits on Azure go: real seconds
    on a real cloud, shorter on a sped-up demo Azure (``pace``); ``poll_seconds`` between reads
    when ARM sends no Retry-After."""

    deployer: Deployer
    portal: str
    hub_scope: str = ""
    poll_seconds: float = POLL_SECONDS
    pace: Pace = REAL_TIME


class DlzRunner:
    def __init__(self, clients: Any, plan: DlzPlan, registry: DlzRegistry, setting: RunSetting, *,
                 listener: Listener | None = None) -> None:
        self.clients = clients
        self.plan = plan
        self.registry = registry
        self.setting = setting
        self.pace = setting.pace
        self.poll_seconds = setting.poll_seconds
        self.hub_scope = setting.hub_scope or hub_scope_of(plan.hub_vnet_id)
        self.listener = listener
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
        await self.registry.save(self._plan_doc(), state=state, peering=self.peering, dns_links=self.dns_links)

    async def _follow(self, target: "lro.Target | None", on_progress: "lro.Notify | None" = None) -> "lro.PollState | None":
        """The one poller, at this run's pace (``poll_seconds`` when ARM sends no Retry-After)."""
        if target is None:
            return None
        return await lro.poll(self.clients, target, pace=self.pace, interval=self.poll_seconds, on_progress=on_progress)

    def _deployment_path(self, action: str = "") -> str:
        return f"/subscriptions/{self.plan.subscription_id}/providers/Microsoft.Resources/deployments/{self.plan.deployment_name}{action}"

    async def _post_and_follow(self, stage: str, action: str, body: Any) -> dict[str, Any]:
        """validate / what-if: POST, then (200 at once, or 202 + Location) the result's body."""
        response, target = await lro.begin(self.clients, "POST", self._deployment_path(action), await self._api(DEPLOYMENTS), body.as_dict(),
                                           pace=self.pace)
        final = await self._follow(target)
        if final is None:
            return response.body if isinstance(response.body, dict) else {}
        if final.outcome == "succeeded":
            return final.body if isinstance(final.body, dict) else {}
        if final.outcome == "unknown":
            raise StageFailed(stage, f"{final.note}; run it again")
        raise StageFailed(stage, arm_error_text(final.error) or f"ARM ended it {final.status}")

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

    async def _carry_on(self) -> None:
        """What the stages before a resumed run's start made, as the record keeps it: the peering
        and the DNS links (the record stage writes them again)."""
        rec = await self.registry.find(self.plan.domain)
        if rec is not None:
            self.peering = dict(rec.peering)
            self.dns_links = list(rec.dns_links)

    async def run(self, *, only: tuple[str, ...] | None = None, start: int = 0) -> bool:
        """Run the stages from the ``start``-th (an earlier run had them succeed; ``only`` a subset,
        for the review step's validate / what-if); True when every stage run succeeded.  A failure
        is recorded and reported, not raised."""
        names = list(STAGES)
        if only is None and start:
            await self._carry_on()
            for s in names[:start]:
                await self.emit(StageEvent(s, "succeeded", "done in an earlier run"))
        # nothing is recorded before the permissions stage passes: a refused identity leaves no
        # record behind (a record reserves the domain, its subscription and its address space)
        writes = only is None
        for stage in names[start:] if only is None else only:
            await self.emit(StageEvent(stage, "running"))
            try:
                msg = await STAGES[stage](self)
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
        who = self.setting.deployer
        rep = await check_permissions(self.clients, principal_id=who.principal_id, principal_label=who.label,
                                      principal_type=who.type, tenant_id=self.plan.tenant_id, portal=self.setting.portal,
                                      subscription_id=self.plan.subscription_id, hub_scope=self.hub_scope,
                                      role_assignments=int(self.plan.template.get("roleAssignments") or 0))
        self.permissions = rep
        if rep.error:
            raise StageFailed("permissions", f"the role check failed: {rep.error}")
        if not rep.ok:
            lines = [f"missing {c.role} on {c.scope}" for c in rep.missing] + list(rep.fixes) + list(rep.portal_links)
            raise StageFailed("permissions", "\n".join(lines))
        return f"{who.label} holds every role needed"

    async def stage_validate(self) -> str:
        result = await self._post_and_follow("validate", "/validate", self._deployment())
        err = result.get("error")
        if isinstance(err, dict) and err.get("code"):
            raise StageFailed("validate", arm_error_text(err))
        n = len(((result.get("properties") or {}).get("validatedResources")) or [])
        return f"ARM validated the template ({n} resources)"

    async def stage_what_if(self) -> str:
        result = await self._post_and_follow("what-if", "/whatIf", self._deployment(what_if=True))
        err = result.get("error")
        if isinstance(err, dict) and err.get("code"):
            raise StageFailed("what-if", arm_error_text(err))
        changes = []
        counts = {"Create": 0, "Modify": 0, "Delete": 0}
        other = 0
        for c in (result.get("properties") or {}).get("changes") or result.get("changes") or []:
            ct = str(c.get("changeType") or "")
            if ct in counts:
                counts[ct] += 1
            else:
                other += 1
            changes.append((ct, str(c.get("resourceId") or "")))
        order = {"Create": 0, "Modify": 1, "Delete": 2}
        changes.sort(key=lambda x: (order.get(x[0], 3), x[1]))
        self.what_if = WhatIfSummary(counts["Create"], counts["Modify"], counts["Delete"], other, tuple(changes))
        await self.emit(StageEvent("what-if", "running", self.what_if.headline, 1.0, self.what_if.lines()))
        return self.what_if.headline

    async def _deployment_now(self) -> dict[str, Any] | None:
        """The deployment's ``properties`` as ARM has them now (None: there is none)."""
        from azure.core.exceptions import ResourceNotFoundError

        try:
            return ((await self.clients.send("GET", self._deployment_path(), await self._api(DEPLOYMENTS))).body or {}).get("properties") or {}
        except (ArmError, ResourceNotFoundError) as exc:
            if getattr(exc, "status", None) == 404 or isinstance(exc, ResourceNotFoundError):
                return None
            raise

    async def _already_deployed(self, props: dict[str, Any]) -> bool:
        """This plan's deployment finished in an earlier run (the process died before recording
        it): Succeeded, with this plan's parameter values — nothing to start again.  A template of
        resource-group scope runs in the subscription deployment's nested one (same name, in the
        plan's resource group): its parameters are read there."""
        if str(props.get("provisioningState") or "") != "Succeeded":
            return False
        if self.plan.template.get("scope", "resourceGroup") != "subscription":
            path = (f"/subscriptions/{self.plan.subscription_id}/resourceGroups/{self.plan.resource_group}"
                    f"/providers/Microsoft.Resources/deployments/{self.plan.deployment_name}")
            try:
                props = ((await self.clients.send("GET", path, await self._api(DEPLOYMENTS))).body or {}).get("properties") or {}
            except ArmError:
                return False  # not readable: deploy again (an incremental deployment of the same values changes nothing)
            if str(props.get("provisioningState") or "") != "Succeeded":
                return False
        theirs = props.get("parameters") or {}
        ours = self.plan.template_parameters()
        return all(isinstance(theirs.get(k), dict) and theirs[k].get("value") == (v.get("value") if isinstance(v, dict) else v)
                   for k, v in ours.items())

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
        path = self._deployment_path()
        now = await self._deployment_now()
        target: lro.Target | None = None
        if now is not None and str(now.get("provisioningState") or "") in ("Running", "Accepted", "Creating", "Updating"):
            # a run killed mid-deploy: follow the deployment itself, don't start it twice
            target = lro.Target(lro.with_api_version(path, await self._api(DEPLOYMENTS)), "resource", "deployment")
        elif now is not None and await self._already_deployed(now):
            pass  # it ended meanwhile: read below, not started twice
        else:
            _, target = await lro.begin(self.clients, "PUT", path, await self._api(DEPLOYMENTS), self._deployment().as_dict(), pace=self.pace)
        expected = self._expected_operations()

        async def progress(state: "lro.PollState") -> None:  # at each read of the deployment: its operations so far
            if not state.done:
                lines, done, total = await self._operations_lines()
                await self.emit(StageEvent("deploy", "running", f"{done} of {max(total, expected)} operations finished",
                                           done / max(total, expected, 1), lines))

        followed = await self._follow(target, progress)
        # the deployment's own state decides (also when loom could not learn the end: its deadline passed)
        props = ((await self.clients.send("GET", path, await self._api(DEPLOYMENTS))).body or {}).get("properties") or {}
        final = str(props.get("provisioningState") or "")
        lines, done, total = await self._operations_lines()
        if final in ("Running", "Accepted", "Creating", "Updating") and followed is not None and followed.outcome == "unknown":
            raise StageFailed("deploy", f"{followed.note}; the deployment still reports {final} (decided from the deployment): "
                                        "run it again to keep following it")
        if final != "Succeeded":
            err = arm_error_text(props.get("error")) if isinstance(props.get("error"), dict) else ""
            failed = [ln for ln in lines if ln.startswith("Failed")]
            raise StageFailed("deploy", "\n".join([f"the deployment ended {final or 'without a state'}", err, *failed]).strip())
        await self.emit(StageEvent("deploy", "running", f"{done} of {total} operations finished", 1.0, lines))
        return f"deployment {self.plan.deployment_name} succeeded ({total} operations)"

    def _expected_operations(self) -> int:
        return 1  # unknown before ARM lists them (it depends on the template and its conditions)

    async def _put_and_wait(self, url: str, api: str, body: dict[str, Any]) -> dict[str, Any]:
        """PUT (busy conflicts sent again), follow it with the one poller, then the resource read
        back — whose own provisioningState decides when the poller could not learn the end."""
        _, target = await lro.begin(self.clients, "PUT", url, api, body, pace=self.pace)
        final = await self._follow(target)
        if final is not None and final.outcome in ("failed", "cancelled"):
            raise StageFailed("network", f"{arm_error_text(final.error) if final.error else final.status} ({url})")
        got = (await self.clients.send("GET", url, api)).body or {}
        if final is not None and final.outcome == "unknown":
            state = lro.provisioning_state(got) or "Succeeded"
            if state != "Succeeded":
                raise StageFailed("network", f"{final.note}; {short_id(url)} reports provisioningState {state} (decided from the resource)")
        return got

    async def stage_peering(self) -> str:
        from .network_stages import peer

        return await peer(self)

    async def stage_dns(self) -> str:
        from .network_stages import link_dns

        return await link_dns(self)

    async def stage_record(self) -> str:
        from .console_record import record_for_console

        await self.registry.save(self._plan_doc(), state="deployed", peering=self.peering, dns_links=self.dns_links)
        await record_for_console(self.registry.scoped, self._plan_doc())
        return "recorded in the store (and as the web console records a DLZ: the domain's binding, a landing zone)"


Stage = Callable[[DlzRunner], Awaitable[str]]

# the stages in the order they run: name -> the function that runs it (its message when it
# succeeds; StageFailed, ArmError or an SDK error when it does not)
STAGES: dict[str, Stage] = {
    "permissions": DlzRunner.stage_permissions,
    "validate": DlzRunner.stage_validate,
    "what-if": DlzRunner.stage_what_if,
    "deploy": DlzRunner.stage_deploy,
    "peering": DlzRunner.stage_peering,
    "dns": DlzRunner.stage_dns,
    "record": DlzRunner.stage_record,
}
