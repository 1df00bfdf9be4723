"""Which of the answers the official API specs allow the demo Azure gives (issue 21).

Real Azure answers one request several ways, all within the spec: Kusto's ``stop`` with 202 or
with 200 and ``Azure-AsyncOperation``, a Fabric ``PATCH`` with 202 + ``Location`` or with 200 and
the capacity ``Updating``, a deployment's validate with 200 or with 202 + ``Location``, a poll or
next link with ``:443`` spelled out.  Each place where the demo Azure could answer more than one
way is a *point* here with its *variants*, the first being the default (what loom has always been
shown).  The answer mode picks among them:

* ``""`` / ``"default"``: always the first variant (the default);
* ``"random"`` or ``"random:SEED"``: a seeded random choice at every request (the seed is chosen
  and logged when not given, so a failing run can be repeated with it);
* ``"point=variant,..."``: those points pinned (the others keep their default), e.g.
  ``kusto.stop=200-async,links=port``; may follow ``random[:SEED]`` with a comma.

The mode comes from ``LOOM_DEMO_ANSWERS`` (read by the launcher) or ``loom demo-azure serve
--answers``.  ``Answers.picked`` records every choice made (point, variant), for tests.
"""

from __future__ import annotations

import logging
import random as _random
import secrets
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

ANSWERS_ENV = "LOOM_DEMO_ANSWERS"
log = logging.getLogger("loom.demo_azure")

# point -> its variants (the first is the default).  Each names what the spec of that operation
# (tests/fixtures/specs) allows; README "The demo Azure's answers" lists them.
POINTS: dict[str, tuple[str, ...]] = {
    # Fabric suspend / resume (FabricCapacities_Suspend/_Resume): 200, or 202 + Location
    "fabric.suspend": ("202", "202-location", "200"),
    "fabric.resume": ("202", "202-location", "200"),
    # Fabric PATCH (FabricCapacities_Update): 200 with the capacity (provisioningState Updating), or 202 + Location
    "fabric.update": ("202", "202-location", "200-updating"),
    # Kusto stop / start (Clusters_Stop/_Start): 202, or 200 with Azure-AsyncOperation
    "kusto.stop": ("202", "200-async"),
    "kusto.start": ("202", "200-async"),
    # Synapse SQL pool pause / resume (SqlPools_Pause/_Resume): 202 + the pool, or 200 with it (Azure-AsyncOperation)
    "synapse.pause": ("202", "200-async"),
    "synapse.resume": ("202", "200-async"),
    # deployment validate / what-if (Deployments_ValidateAtSubscriptionScope, _WhatIfAtSubscriptionScope):
    # 200 with the result, or 202 + Location (the result at the Location URL)
    "deployments.validate": ("200", "202-location"),
    "deployments.whatif": ("200", "202-location"),
    # a deployment PUT (Deployments_CreateOrUpdateAtSubscriptionScope): 201 or 200, with Azure-AsyncOperation
    "deployments.put": ("201", "200"),
    # a deployment's status URL (operationStatuses) while it runs: no Retry-After (the SDK poller
    # keeps its own interval), or one (the value from "retry-after")
    "deployments.status": ("plain", "retry-after"),
    # poll URLs and next links: as the endpoint is spelled, or with the scheme's default port written out
    "links": ("plain", "port"),
    # Retry-After on status URLs while an operation runs, in seconds
    "retry-after": ("1", "2", "5"),
}


class AnswerModeError(ValueError):
    pass


@dataclass
class Answers:
    mode: str = ""
    seed: int | None = None
    pins: dict[str, str] = field(default_factory=dict)
    at_random: bool = False
    picked: list[tuple[str, str]] = field(default_factory=list)
    _rng: _random.Random = field(default_factory=_random.Random, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def parse(cls, text: str | None) -> "Answers":
        """``""``, ``default``, ``random[:SEED]``, ``point=variant,...`` (combinable with commas)."""
        out = cls(mode=(text or "").strip())
        for part in [p.strip() for p in out.mode.split(",") if p.strip()]:
            if part == "default":
                continue
            if part == "random" or part.startswith("random:"):
                out.at_random = True
                raw = part.partition(":")[2]
                if raw:
                    try:
                        out.seed = int(raw)
                    except ValueError:
                        raise AnswerModeError(f"{ANSWERS_ENV}: the seed in {part!r} is not a whole number") from None
                continue
            point, eq, variant = part.partition("=")
            if not eq or point not in POINTS:
                raise AnswerModeError(f"{ANSWERS_ENV}: {part!r} is not random[:SEED] or point=variant "
                                      f"(points: {', '.join(POINTS)})")
            if variant not in POINTS[point]:
                raise AnswerModeError(f"{ANSWERS_ENV}: {point} answers one of {', '.join(POINTS[point])}, not {variant!r}")
            out.pins[point] = variant
        if out.at_random:
            if out.seed is None:
                out.seed = secrets.randbelow(2**31)
            out._rng.seed(out.seed)
            log.info("demo Azure answers at random among the spec's variants; repeat with %s=random:%d", ANSWERS_ENV, out.seed)
        return out

    def pick(self, point: str) -> str:
        """The variant this request gets at ``point``."""
        variants = POINTS[point]
        if point in self.pins:
            choice = self.pins[point]
        elif self.at_random:
            with self._lock:
                choice = self._rng.choice(variants)
        else:
            choice = variants[0]
        self.picked.append((point, choice))
        return choice

    def describe(self) -> str:
        if self.at_random:
            return f"random:{self.seed}" + "".join(f",{k}={v}" for k, v in self.pins.items())
        return ",".join(f"{k}={v}" for k, v in self.pins.items()) or "default"

    # ------------------------------------------------------------ helpers for handlers

    def link(self, url: str) -> str:
        """A poll or next link as the ``links`` point picks: with the default port written out
        (``https://host:443/...``) when the URL has none."""
        if self.pick("links") != "port":
            return url
        parts = urlsplit(url)
        if parts.port is not None or parts.scheme not in ("http", "https"):
            return url
        port = 443 if parts.scheme == "https" else 80
        return urlunsplit((parts.scheme, f"{parts.hostname}:{port}", parts.path, parts.query, parts.fragment))

    def retry_after(self) -> str:
        return self.pick("retry-after")
