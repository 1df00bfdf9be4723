"""The result of one ``pause-idle`` run: every decision with its reason, what was paused, what
failed — as log lines, JSON and one notification."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from .autopause import Decision, describe


@dataclass
class PauseResult:
    resource_id: str
    name: str
    ok: bool
    message: str


@dataclass
class IdleRun:
    idle_for: timedelta
    threshold: float
    dry_run: bool
    decisions: list[Decision] = field(default_factory=list)
    results: list[PauseResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the inventory's partial-result lines

    @property
    def picked(self) -> list[Decision]:
        return [d for d in self.decisions if d.pause]

    @property
    def failed(self) -> bool:
        return any(not r.ok for r in self.results)

    def lines(self) -> list[str]:
        head = f"auto-pause: idle for {describe(self.idle_for)} under {self.threshold:g} %" + (" (dry run: nothing paused)" if self.dry_run else "")
        out = [head]
        for d in self.decisions:
            out.append(f"{d.verdict.upper():5} {d.resource.name} ({d.resource.type}, {d.resource.resource_group}): {d.reason}")
        for r in self.results:
            out.append(f"{'PAUSED' if r.ok else 'FAILED'} {r.name}: {r.message}")
        out += [f"warning: {w}" for w in self.warnings]
        out.append(self.summary())
        return out

    def summary(self) -> str:
        n = len(self.picked)
        if self.dry_run:
            return f"{n} of {len(self.decisions)} capacities would be paused"
        ok = sum(1 for r in self.results if r.ok)
        failed = len(self.results) - ok
        return f"{ok} of {len(self.decisions)} capacities paused" + (f", {failed} failed" if failed else "")

    def to_json(self) -> dict:
        return {
            "idleFor": describe(self.idle_for),
            "threshold": self.threshold,
            "dryRun": self.dry_run,
            "decisions": [{"id": d.resource.id, "name": d.resource.name, "type": d.resource.type, "decision": d.verdict,
                           "reason": d.reason, "peak": d.peak} for d in self.decisions],
            "results": [{"id": r.resource_id, "name": r.name, "ok": r.ok, "message": r.message} for r in self.results],
            "warnings": self.warnings,
            "summary": self.summary(),
        }
