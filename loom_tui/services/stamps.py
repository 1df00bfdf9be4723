"""A strictly increasing stamp for ordering documents written in the same millisecond.

Timestamps are stored with millisecond precision (as the web console does), so two comments or
two searches typed quickly tie; ordering by ``createdAt`` alone would then fall back to the
random id.  ``stamp()`` is nanoseconds since the epoch, bumped to stay strictly increasing within
the process, and is stored beside the timestamp as ``seq``.
"""

from __future__ import annotations

import threading
import time

_lock = threading.Lock()
_last = 0


def stamp() -> int:
    global _last
    with _lock:
        _last = max(_last + 1, time.time_ns())
        return _last
