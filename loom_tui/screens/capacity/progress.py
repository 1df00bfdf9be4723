"""How a long read is going, in words: elapsed seconds and the retries Azure made it wait."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class LoadProgress:
    started: float = field(default_factory=time.monotonic)
    retries: int = 0
    last: str = ""  # the last retry, as the throttle policy words it

    def retried(self, message: str) -> None:
        self.retries += 1
        self.last = message

    def words(self) -> str:
        text = f"{int(time.monotonic() - self.started)} s"
        if self.retries:
            text += f" · {self.retries} retr{'y' if self.retries == 1 else 'ies'} (last: {self.last})"
        return text
