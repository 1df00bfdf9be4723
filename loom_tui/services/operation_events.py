"""An operation's progress as events: :class:`StepChanged` when a step's state or message changes,
:class:`Finished` once, last, with the final record — the one diff of successive snapshots
(:meth:`OperationService.watch <loom_tui.services.operations.OperationService.watch>`) that the
CLI's progress lines, Capacity's progress callback and the DLZ screen all read.

A step's progress alone (a percentage moving) is not a change: it rides on the next event, so a
reader that prints one line per event prints a line when something is said, not per percent.  A
step still pending with nothing to say is not announced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import AsyncIterable, AsyncIterator, Union

from loom_tui.domain.operation import Operation, Step


@dataclass(frozen=True)
class StepChanged:
    index: int
    step: Step  # as the snapshot has it: its state, message and progress


@dataclass(frozen=True)
class Finished:
    op: Operation  # the last snapshot (as the user may see it)

    @property
    def outcome(self) -> str:
        """``succeeded``, ``failed``, ``cancelled``; ``unreadable`` for a record loom cannot read
        (the watch stops there), ``running`` when the watch ended before the operation did."""
        return "unreadable" if self.op.problems else self.op.state

    @property
    def ok(self) -> bool:
        return self.outcome == "succeeded"


OperationEvent = Union[StepChanged, Finished]


class StepDiff:
    """What is new in each snapshot against the ones before (per step index: state and message)."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[str, str]] = {}

    def changes(self, op: Operation) -> list[StepChanged]:
        out = []
        for i, step in enumerate(op.steps):
            key = (step.state, step.message)
            if self._seen.get(i, ("pending", "")) != key:
                out.append(StepChanged(i, step))
            self._seen[i] = key
        return out


async def events_of(snapshots: AsyncIterable[Operation]) -> AsyncIterator[OperationEvent]:
    """The events of a stream of snapshots, :class:`Finished` last (when the stream ends)."""
    diff = StepDiff()
    last: Operation | None = None
    async for last in snapshots:
        for ev in diff.changes(last):
            yield ev
    if last is not None:
        yield Finished(last)
