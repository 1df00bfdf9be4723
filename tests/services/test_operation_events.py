"""The one diff of operation snapshots into events (services/operation_events.py): what each
snapshot adds, once, and the end with its outcome."""

from __future__ import annotations

from dataclasses import replace

import pytest

from loom_tui.domain.operation import Operation, OperationError, Step
from loom_tui.services.operation_events import Finished, StepChanged, StepDiff, events_of


def op(*steps: Step, state: str = "running", **kw) -> Operation:
    return Operation(id="op1", kind="capacity.pause", target="/x", started_by="a@b", started_at="2026-01-01T00:00:00Z",
                     state=state, steps=steps, **kw)


async def stream(*snaps: Operation):
    for s in snaps:
        yield s


async def collect(*snaps: Operation) -> list:
    return [ev async for ev in events_of(stream(*snaps))]


def said(events) -> list[tuple]:
    return [(e.index, e.step.name, e.step.state, e.step.message) if isinstance(e, StepChanged) else ("end", e.outcome) for e in events]


async def test_pending_steps_say_nothing_and_a_running_one_is_announced():
    events = await collect(op(Step("a"), Step("b")), op(Step("a", "running"), Step("b")))
    assert said(events) == [(0, "a", "running", ""), ("end", "running")]


async def test_a_step_added_in_a_later_snapshot_is_announced():
    events = await collect(op(Step("a", "running")), op(Step("a", "running"), Step("b", "running", message="started")))
    assert said(events) == [(0, "a", "running", ""), (1, "b", "running", "started"), ("end", "running")]


async def test_state_and_message_changes_are_events_progress_alone_is_not():
    events = await collect(op(Step("a", "running", 0.1)), op(Step("a", "running", 0.5)),
                           op(Step("a", "running", 0.6, "half way")), op(Step("a", "succeeded", 1.0, "half way")))
    assert said(events)[:-1] == [(0, "a", "running", ""), (0, "a", "running", "half way"), (0, "a", "succeeded", "half way")]
    assert [e.step.progress for e in events if isinstance(e, StepChanged)] == [0.1, 0.6, 1.0]  # the progress rides on the event


async def test_a_pending_step_with_a_message_is_announced():
    events = await collect(op(Step("a", message="waiting for the capacity")))
    assert said(events) == [(0, "a", "pending", "waiting for the capacity"), ("end", "running")]


async def test_a_repeated_snapshot_adds_nothing():
    one = op(Step("a", "running", 0.2, "x"), Step("b"))
    events = await collect(one, one, replace(one), op(Step("a", "running", 0.2, "x"), Step("b")))
    assert said(events) == [(0, "a", "running", "x"), ("end", "running")]
    diff = StepDiff()
    assert len(diff.changes(one)) == 1 and diff.changes(one) == [] and diff.changes(replace(one)) == []


@pytest.mark.parametrize("state", ["succeeded", "failed", "cancelled"])
async def test_finished_comes_once_last_with_the_final_record_and_its_outcome(state):
    error = OperationError("Boom", "[bold]no[/bold]") if state != "succeeded" else None
    last = op(Step("a", "succeeded"), Step("b", "failed" if state == "failed" else "succeeded"), state=state, error=error,
              result={"changed": True} if state == "succeeded" else None)
    events = await collect(op(Step("a", "running"), Step("b")), last)
    ends = [e for e in events if isinstance(e, Finished)]
    assert len(ends) == 1 and events[-1] is ends[0]
    assert ends[0].op is last and ends[0].outcome == state and ends[0].ok == (state == "succeeded")
    # the steps the last snapshot changed come before the end
    assert said(events)[1:-1] == [(0, "a", "succeeded", ""), (1, "b", last.steps[1].state, "")]


async def test_an_unreadable_record_ends_as_unreadable():
    events = await collect(replace(op(Step("a", "running")), problems=("steps: not a list",)))
    assert isinstance(events[-1], Finished) and events[-1].outcome == "unreadable" and not events[-1].ok


async def test_no_snapshot_no_events():
    assert await collect() == []
