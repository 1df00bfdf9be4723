"""A DLZ deployment as an Operation (``ctx.operations``): one step per runner stage, ARM's error
text as the operation's error, and a resumer so a deployment left running by a process that died
(SSH drop, kill) is carried on by the next loom process from the stage it had reached."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from loom_tui.domain.dlz import DlzPlan
from loom_tui.errors import ServiceError
from loom_tui.services.operations import register_resumer

from .runner import STAGES
from .stage_events import StageEvent

if TYPE_CHECKING:
    from loom_tui.domain.operation import Operation
    from loom_tui.services.operations import OperationHandle

KIND = "dlz.deploy"


class DeployFailed(ServiceError):
    code = "deploy-failed"

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(f"{stage}: {message}")
        self.stage = stage
        self.message = f"{stage}: {message}"


async def _drive(handle: "OperationHandle", plan: DlzPlan, listener: Any = None) -> dict[str, Any]:
    from .registry import DlzRegistry
    from .run_context import runner_for

    ctx = handle.service.ctx

    async def on_event(ev: StageEvent) -> None:
        if listener is not None:
            r = listener(ev)
            if hasattr(r, "__await__"):
                await r
        state = ev.state if ev.state in ("running", "succeeded", "failed") else None
        await handle.step(ev.stage, state, progress=ev.progress, message=(ev.message or "")[:4000])

    runner = await runner_for(ctx, DlzRegistry(ctx.scoped, ctx.require_writable), plan, None, listener=on_event)
    ok = await runner.run()
    if not ok:
        failed = next((s for s in STAGES if (runner.stages.get(s) or {}).get("state") == "failed"), "deploy")
        raise DeployFailed(failed, runner.stages[failed].get("message") or "failed")
    return {"domain": plan.domain, "resourceGroup": plan.resource_group, "peering": runner.peering, "dnsLinks": len(runner.dns_links)}


async def running_for(ctx: Any, domain: str) -> "Operation | None":
    """The deployment of ``domain`` still running (in this process, another, or left by one that
    died — watching it takes it over)."""
    return next((o for o in await ctx.operations.running() if o.kind == KIND and o.target == domain), None)


async def follow_or_start(ctx: Any, plan: DlzPlan, listener: Any = None) -> "tuple[Operation, bool]":
    """The deployment of ``plan``'s domain: the one already running (watching it takes it over
    when its process is gone), else a new one; True when it was started here.  The CLI and the
    Setup screen both come in here, so a domain is never deployed twice at once."""
    op = await running_for(ctx, plan.domain)
    if op is not None:
        return op, False
    return await start(ctx, plan, listener), True


async def start(ctx: Any, plan: DlzPlan, listener: Any = None) -> "Operation":
    ctx.require_writable("deploying a DLZ")
    return await ctx.operations.start(KIND, plan.domain, steps=list(STAGES), run=lambda handle: _drive(handle, plan, listener))


async def _resume(handle: "OperationHandle") -> dict[str, Any]:
    from .registry import DlzRegistry

    ctx = handle.service.ctx
    rec = await DlzRegistry(ctx.scoped, ctx.require_writable).find(handle.op.target)
    if rec is None:  # stopped before the permissions passed: nothing was recorded, nothing deployed
        raise ServiceError(f"the deployment of DLZ {handle.op.target!r} stopped before its permissions were checked; "
                           "nothing was deployed or recorded: start it again")
    if rec.state == "deployed":  # finished meanwhile (another process resumed it): nothing left to do
        return {"domain": rec.domain, "resourceGroup": rec.resource_group, "peering": rec.peering, "dnsLinks": len(rec.dns_links)}
    if not rec.plan:
        raise ServiceError(f"the record of DLZ {handle.op.target!r} has no plan to resume with; run the deployment again")
    from .template import inline_of

    plan = DlzPlan.from_dict(rec.plan)
    inline_of(plan.template)  # an operator's file: the same bytes, or refused before anything runs
    return await _drive(handle, plan, None)


register_resumer(KIND, _resume)
