"""What the DLZ screen and ``loom dlz`` ask for: facts, plans, permission checks, drafts, the
DLZ records and the runner, wired from the context (its store, session, profile and Azure clients)."""

from __future__ import annotations

from typing import Any

from loom_tui.domain.dlz import DlzAnswers, DlzPlan

from .drafts import DraftService
from .facts import DeployFacts, PermissionReport
from .permissions import Deployer, check_permissions
from .plan import build_plan
from .registry import DlzRecord, DlzRegistry
from .run_context import RunContext, clients_of, cloud_of, deployer_of, hub_scope, runner_for
from .runner import DlzRunner
from .stage_events import Listener


class DlzService:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.run = RunContext.of(ctx)
        self.drafts = DraftService(ctx.scoped, ctx.require_writable)
        self.registry = DlzRegistry(ctx.scoped, ctx.require_writable)

    async def clients(self) -> Any:
        return await clients_of(self.run)

    def cloud(self) -> Any:
        return cloud_of(self.run)

    async def facts(self, *, draft_id: str = "", regions_for: list[str] | None = None) -> DeployFacts:
        from .estate_reader import read_facts

        recorded = [r.as_existing() for r in await self.registry.list()]
        s = self.ctx.session
        facts = await read_facts(await self.clients(), tenant_id=s.tenant_id, cloud=self.cloud(),
                                 admin_rg=self.ctx.profile.admin_plane_rg, capacity_admins=[s.upn], recorded=recorded,
                                 regions_for=regions_for)
        owners = await self.drafts.owners_of_others(draft_id)
        facts.draft_domains, facts.draft_owners = set(owners), owners
        return facts

    async def plan(self, answers: DlzAnswers, facts: DeployFacts | None = None) -> tuple[DlzPlan, DeployFacts]:
        facts = facts or await self.facts(regions_for=[answers.subscription_id] if answers.subscription_id else None)
        return build_plan(answers, facts, await self.template(answers, facts)), facts

    async def template(self, answers: DlzAnswers, facts: DeployFacts) -> Any:
        """The template the answers choose (``template``): the Admin Plane's template spec, a file,
        or the shipped one."""
        from .template import resolve

        return await resolve(await self.clients(), answers.template, facts)

    def hub_scope(self, facts: DeployFacts) -> str:
        return hub_scope(facts)

    def deployer(self) -> Deployer:
        """Whose roles a deployment needs (see :func:`.run_context.deployer_of`)."""
        return deployer_of(self.run)

    async def check_permissions(self, subscription_id: str, facts: DeployFacts, role_assignments: int = 0) -> PermissionReport:
        """``role_assignments``: how many the template holds (they need a role that may assign roles)."""
        oid, label, kind = self.deployer()
        return await check_permissions(await self.clients(), principal_id=oid, principal_label=label, principal_type=kind,
                                       tenant_id=self.ctx.session.tenant_id, portal=facts.portal, subscription_id=subscription_id,
                                       hub_scope=self.hub_scope(facts), role_assignments=role_assignments)

    async def runner(self, plan: DlzPlan, facts: DeployFacts | None, *, listener: Listener | None = None,
                     poll_seconds: float = 1.0) -> DlzRunner:
        return await runner_for(self.run, plan, facts, listener=listener, poll_seconds=poll_seconds)

    async def start_deploy(self, plan: DlzPlan, *, listener: Listener | None = None) -> Any:
        """Deploy as an Operation (``o`` shows it; a process that dies leaves it to be resumed).
        The plan carries its template's source, so a resumed run deploys the same one."""
        from .operation import start

        return await start(self.ctx, plan, listener)

    async def follow_or_start(self, plan: DlzPlan, *, listener: Listener | None = None) -> tuple[Any, bool]:
        """The deployment of ``plan``'s domain already running, else a new one (True: started);
        see :func:`.operation.follow_or_start`."""
        from .operation import follow_or_start

        return await follow_or_start(self.ctx, plan, listener)

    async def stages(self, domain: str) -> dict[str, dict[str, str]]:
        """The stages of the newest deployment of ``domain`` (its operation's steps, the only place
        they are kept): ``{stage: {state, message}}``, empty when no deployment of it is kept."""
        from .operation import latest, stages_of

        op = await latest(self.ctx.operations, domain)
        return stages_of(op) if op is not None else {}

    async def dlzs(self) -> list[DlzRecord]:
        return await self.registry.list()

    async def dlz(self, domain: str) -> DlzRecord:
        return await self.registry.get(domain)

    async def forget(self, domain: str) -> DlzRecord:
        """``loom dlz forget``: remove loom's record of a DLZ — a failed or stale one that holds
        a name — without touching Azure.  Tenant admins only; refused while its deployment runs;
        audited (tenant-level trail)."""
        from loom_tui.errors import ConflictError, Forbidden
        from loom_tui.store.scoped import TENANT_SETTINGS_ITEM

        from .operation import running_for

        s = self.ctx.session
        if not s.is_tenant_admin:
            raise Forbidden(f"only tenant admins may forget a DLZ record; {s.upn} is not one")
        self.ctx.require_writable("forgetting a DLZ record")
        if await running_for(self.ctx, domain) is not None:
            raise ConflictError(f"the deployment of DLZ {domain!r} is running; wait for it (loom operations wait) before forgetting it")
        rec = await self.registry.forget(domain)
        audit = self.ctx.audit
        event = audit.event(item_type="dlz", action="dlz.forget",
                            summary=f"forgot the record of DLZ {domain} ({rec.state}; Azure untouched)",
                            changes={"state": [rec.state, None], "subscriptionId": [rec.subscription_id, None],
                                     "addressSpace": [rec.address_space, None]})
        await audit.write(None, TENANT_SETTINGS_ITEM.format(tid=s.tenant_id), event)
        return rec

