"""A DLZ deployment as an Operation (``ctx.operations``): one step per runner stage — the only
store of a deployment's stages (the DLZ's record keeps its outcome) — ARM's error text as the
operation's error, and a resumer so a deployment left running by a process that died (SSH drop,
kill) is carried on by the next loom process from the stage it had reached.  A deployment started
again after one that failed starts where that one stopped (:func:`start_point`, for both)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from loom_tui.domain.dlz import DlzPlan
from loom_tui.errors import ServiceError
from loom_tui.services.operations import register_resumer

from .runner import STAGES
from .stage_events import StageEvent

if TYPE_CHECKING:
    from loom_tui.domain.operation import Operation
    from loom_tui.services.operation_handle import Journal
    from loom_tui.services.operations import OperationHandle

KIND = "dlz.deploy"


class DeployFailed(ServiceError):
    code = "deploy-failed"

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(f"{stage}: {message}")
        self.stage = stage
        self.message = f"{stage}: {message}"


def stages_of(op: "Operation") -> dict[str, dict[str, str]]:
    """The stages ``op`` reached, as ``{stage: {state, message}}`` (the pending ones left out)."""
    return {s.name: {"state": s.state, "message": s.message} for s in op.steps if s.state != "pending"}


async def latest(operations: "Journal", domain: str) -> "Operation | None":
    """The newest deployment of ``domain`` the user may see (None: none is kept)."""
    ops = await operations.history(KIND, domain, limit=1)
    return ops[0] if ops else None


async def start_point(operations: "Journal", domain: str) -> int:
    """Where the deployment of ``domain`` starts: the first stage not succeeded in the newest of
    its deployments that got anywhere — a deployment resumed after its process died: its own
    steps; a new one: the run before it.  0 when that run finished (a deployment again, from the
    start) or when none is kept: every stage is idempotent, so starting over is safe."""
    for op in await operations.history(KIND, domain):
        done = {s.name for s in op.steps if s.state == "succeeded"}
        if not done:
            continue  # stopped before a stage succeeded (or the one starting now): the one before says more
        if op.state == "succeeded":
            return 0
        return next((i for i, name in enumerate(STAGES) if name not in done), len(STAGES) - 1)
    return 0


async def _drive(handle: "OperationHandle", plan: DlzPlan, listener: Any = None) -> dict[str, Any]:
    from .run_context import RunContext, runner_for

    async def on_event(ev: StageEvent) -> None:
        if listener is not None:
            r = listener(ev)
            if hasattr(r, "__await__"):
                await r
        state = ev.state if ev.state in ("running", "succeeded", "failed") else None
        await handle.step(ev.stage, state, progress=ev.progress, message=(ev.message or "")[:4000])

    run = RunContext.of(handle.service)
    # only a run whose record is still there and unfinished is carried on: after ``loom dlz forget``
    # (no record) or a finished one, a deployment starts over, from the permissions
    rec = await run.registry().find(plan.domain)
    start = await start_point(handle.service, plan.domain) if rec is not None and rec.state != "deployed" else 0
    runner = await runner_for(run, plan, None, listener=on_event)
    ok = await runner.run(start=start)
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
    DLZ screen both come in here, so a domain is never deployed twice at once."""
    op = await running_for(ctx, plan.domain)
    if op is not None:
        return op, False
    return await start(ctx, plan, listener), True


async def start(ctx: Any, plan: DlzPlan, listener: Any = None) -> "Operation":
    ctx.require_writable("deploying a DLZ")
    return await ctx.operations.start(KIND, plan.domain, steps=list(STAGES), run=lambda handle: _drive(handle, plan, listener))


async def _resume(handle: "OperationHandle") -> dict[str, Any]:
    """A deployment taken over from a process that died: the record's plan (its template's same
    bytes), from the stage :func:`start_point` says — the same path as a deployment started again."""
    from .run_context import RunContext

    rec = await RunContext.of(handle.service).registry().find(handle.op.target)
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
