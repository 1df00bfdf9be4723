"""What a deployment's stages say: :class:`StageEvent` (a stage running, done, failed or skipped,
with its progress and lines) to the run's :data:`Listener`, and :class:`StageFailed` when a stage
cannot finish.  The runner and its network stages both speak them, so they live below both."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Awaitable, Callable


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


Listener = Callable[[StageEvent], Awaitable[None] | None]
