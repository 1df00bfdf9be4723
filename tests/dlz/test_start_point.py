"""Where a DLZ deployment starts (services/dlz/operation.start_point), from the steps of the
domain's deployments alone — the only store of stage states: the newest that got anywhere says;
none kept (pruned, never run) or the last one finished: from the start."""

from __future__ import annotations

from dataclasses import replace

from loom_tui.domain.operation import Operation, Step
from loom_tui.services.dlz.operation import KIND, start_point, stages_of
from loom_tui.services.dlz.runner import STAGES


class Kept:
    """The operations service as start_point reads it: the domain's deployments, newest first."""

    def __init__(self, *ops: Operation) -> None:
        self.ops = ops
        self.asked: list[tuple[str, str]] = []

    async def history(self, kind: str, target: str, limit: int = 50) -> list[Operation]:
        self.asked.append((kind, target))
        return [o for o in self.ops if o.kind == kind and o.target == target][:limit]


def deployment(n_done: int, state: str = "failed", then: str = "failed", domain: str = "claims") -> Operation:
    """A deployment of ``domain`` whose first ``n_done`` stages succeeded, the next one ``then``."""
    steps = [Step(name, "succeeded" if i < n_done else then if i == n_done else "pending") for i, name in enumerate(STAGES)]
    return Operation(id=f"op{n_done}{state}", kind=KIND, target=domain, started_by="a@b", started_at="2026-01-01T00:00:00Z",
                     state=state, steps=tuple(steps))


async def test_none_kept_starts_at_the_first_stage():
    kept = Kept()
    assert await start_point(kept, "claims") == 0
    assert kept.asked == [(KIND, "claims")]


async def test_a_new_deployment_starts_where_the_one_before_it_stopped():
    fresh = deployment(0, state="running", then="pending")
    assert await start_point(Kept(fresh, deployment(3)), "claims") == 3  # the new one (nothing done yet) says nothing
    assert await start_point(Kept(fresh, deployment(5, then="running", state="running")), "claims") == 5


async def test_a_resumed_deployment_starts_from_its_own_steps():
    resumed = deployment(4, state="running", then="running")
    assert await start_point(Kept(resumed, deployment(2)), "claims") == 4


async def test_after_a_finished_deployment_it_starts_again_from_the_first_stage():
    done = deployment(len(STAGES), state="succeeded")
    assert await start_point(Kept(done), "claims") == 0
    assert await start_point(Kept(deployment(0, state="failed"), done), "claims") == 0  # refused at permissions since


async def test_every_stage_done_but_not_finished_records_again():
    assert await start_point(Kept(deployment(len(STAGES), state="running")), "claims") == len(STAGES) - 1


async def test_other_domains_and_kinds_are_not_read():
    other = deployment(3, domain="pricing")
    scale = replace(deployment(3), kind="capacity.scale")
    assert await start_point(Kept(other, scale), "claims") == 0


def test_stages_of_leaves_out_the_pending_ones():
    op = deployment(2)
    op = op.with_step(0, message="fine")
    assert stages_of(op) == {"permissions": {"state": "succeeded", "message": "fine"}, "validate": {"state": "succeeded", "message": ""},
                             "what-if": {"state": "failed", "message": ""}}
