"""The demo Azure's state file failing under it: damaged, or the disk full.

Both are named with the file and what to do, and exit 1 (the store failed, not the input), where
they would otherwise reach the operator as "unexpected error" or a bare HTTP 500.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from loom_tui.errors import ServiceError


class DemoStateError(ServiceError):
    code = "demo-state"


class DemoStateDamaged(DemoStateError):
    code = "damaged"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"the demo Azure's state {path} cannot be read ({reason}). It holds only the demo estate and "
                         f"what was done to it: move it aside (mv {path} {path}.damaged) and the demo Azure seeds a "
                         "fresh estate at its next start")


class DemoStateFull(DemoStateError):
    code = "disk-full"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"the demo Azure could not write its state {path}: {reason}. Free space on that disk and "
                         "try again; nothing was changed")


DAMAGED = ("file is not a database", "malformed", "not a database", "file is encrypted")
FULL = ("disk is full", "database or disk is full", "disk i/o error")


def _storage_error(path: Path | None, exc: BaseException) -> DemoStateError | None:
    text = str(exc).lower()
    where = str(path) if path else ":memory:"
    if any(m in text for m in FULL):
        return DemoStateFull(where, str(exc))
    if any(m in text for m in DAMAGED):
        return DemoStateDamaged(where, str(exc))
    return None


@contextmanager
def storage_errors(path: Path | None) -> Iterator[None]:
    """Turn SQLite's damaged-file and disk-full errors into the errors above; others pass."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        mapped = _storage_error(path, exc)
        if mapped is None:
            raise
        raise mapped from None
