"""The pace of waiting on Azure: how long loom sleeps between polls, settles and retries.

Real Azure runs at real speed, so a real profile waits real seconds.  A simulated Azure (the demo
Azure on this machine) may run its clock faster — its pause takes 4 simulated seconds, its
deployment a few — and then loom's waits on it must shrink by the same factor, or a test of a
3-minute ADX stop takes three minutes.  :func:`loom_tui.wiring.pace_for` picks the pace from the
profile (only the local profile's demo Azure can be sped up, by ``LOOM_DEMO_SPEED``); services
and runners only ever ask the pace for a wait, never the profile.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass

SPEED_ENV = "LOOM_DEMO_SPEED"
MAX_SPEED = 1000.0


@dataclass(frozen=True)
class Pace:
    speed: float = 1.0  # simulated seconds per real second (1: real time)

    def seconds(self, wait: float) -> float:
        """``wait`` simulated seconds in real seconds."""
        return wait / self.speed

    async def sleep(self, wait: float) -> None:
        await asyncio.sleep(self.seconds(wait))


REAL_TIME = Pace()


def demo_speed(environ: "os._Environ[str] | dict[str, str] | None" = None) -> float:
    """``LOOM_DEMO_SPEED`` as a factor (1 when unset); a value that is not a number in
    (0, 1000] is refused with the variable named."""
    raw = (os.environ if environ is None else environ).get(SPEED_ENV, "").strip()
    if not raw:
        return 1.0
    try:
        speed = float(raw)
    except ValueError:
        speed = float("nan")
    if not (0 < speed <= MAX_SPEED):  # also refuses nan
        from loom_tui.errors import UsageError

        raise UsageError(f"{SPEED_ENV}={raw!r}: must be a number above 0 and at most {MAX_SPEED:g} (1 = real time)")
    return speed
