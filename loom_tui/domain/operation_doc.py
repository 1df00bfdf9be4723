"""The one reader of stored operation records, tolerant of anything (issue 22 item 11).

The ``operations`` container is shared by every console of a tenant: one bad document — a
``startedAt`` that is not a time, ``owner: 12345``, ``steps: null``, written by a bug, a script or
an attacker — must not take them all down.  :func:`parse_operation` never raises: each field that
cannot be read becomes a problem (``"startedAt: not an ISO 8601 time"``), the rest is kept, and
the record shows as "unreadable (field: reason; …)" wherever operations are listed.  Nothing
drives an unreadable record (no takeover, no cancel): it is shown, never acted on.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

POLL_MODES = ("status", "location", "resource")


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time as an aware UTC datetime; None when it is not one (a time without a zone
    is taken as UTC, as the console writes them with ``Z``)."""
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=timezone.utc)


class _Reader:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.problems: list[str] = []

    def bad(self, name: str, reason: str) -> None:
        self.problems.append(f"{name}: {reason}")

    def text(self, name: str, *, default: str = "", optional: bool = False) -> Any:
        value = self.doc.get(name)
        if value is None:
            return None if optional else default
        if isinstance(value, str):
            return value
        self.bad(name, f"not text ({type(value).__name__})")
        return None if optional else default

    def time(self, name: str, *, optional: bool = False) -> str | None:
        value = self.doc.get(name)
        if value is None and optional:
            return None
        if parse_time(value) is None:
            self.bad(name, "missing" if value is None else "not an ISO 8601 time")
            return None if optional else ""
        return value

    def number(self, name: str, *, integer: bool = False) -> Any:
        value = self.doc.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)) or value != value:
            self.bad(name, "not a whole number" if integer else "not a number")
            return None
        return value if integer else float(value)


def _steps(r: _Reader, step_cls: Any, states: tuple[str, ...]) -> tuple[Any, ...]:
    raw = r.doc.get("steps", [])
    if not isinstance(raw, list):
        r.bad("steps", "not a list" if raw is not None else "null")
        return ()
    out = []
    for i, s in enumerate(raw):
        if not isinstance(s, dict):
            r.bad(f"steps[{i}]", "not an object")
            continue
        name, state, message, progress = s.get("name"), s.get("state", "pending"), s.get("message") or "", s.get("progress")
        if not isinstance(name, str):
            r.bad(f"steps[{i}].name", "not text")
            name = str(name) if name is not None else ""
        if state not in states:
            r.bad(f"steps[{i}].state", "not a step state")
            state = "pending"
        if not isinstance(message, str):
            r.bad(f"steps[{i}].message", "not text")
            message = ""
        if progress is not None and (isinstance(progress, bool) or not isinstance(progress, (int, float)) or not 0 <= progress <= 1):
            r.bad(f"steps[{i}].progress", "not a number from 0 to 1")
            progress = None
        out.append(step_cls(name, state, float(progress) if progress is not None else None, message))
    return tuple(out)


def _error(r: _Reader, error_cls: Any) -> Any:
    err = r.doc.get("error")
    if err is None:
        return None
    if not isinstance(err, dict):
        r.bad("error", "not an object")
        return error_cls("Unreadable", "the stored error is not an object")
    code, message, status = err.get("code", ""), err.get("message", ""), err.get("status")
    if not isinstance(code, str) or not isinstance(message, str):
        r.bad("error", "code or message not text")
    if status is not None and (isinstance(status, bool) or not isinstance(status, int)):
        r.bad("error.status", "not a whole number")
        status = None
    return error_cls(str(code), str(message), status)


def parse_operation(doc: Any, cls: Any, step_cls: Any, error_cls: Any, states: tuple[str, ...], step_states: tuple[str, ...]) -> Any:
    """``cls`` (``Operation``) from a stored document, whatever it holds (see the module doc)."""
    if not isinstance(doc, dict):
        return cls(id="?", kind="", target="", started_by="", started_at="", state="unreadable", problems=("document: not an object",))
    r = _Reader(doc)
    op_id = doc.get("id")
    if not isinstance(op_id, str) or not op_id:
        r.bad("id", "missing" if op_id is None else "not text")
        op_id = str(op_id) if op_id is not None else "?"
    state = doc.get("state", "running")
    if state not in states:
        r.bad("state", "not an operation state")
        state = "unreadable"
    steps = _steps(r, step_cls, step_states)
    poll_step = r.number("pollStep", integer=True)
    if poll_step is not None and not 0 <= poll_step < len(steps):
        r.bad("pollStep", "no such step")
        poll_step = None
    poll_mode = r.text("pollMode", optional=True)
    if poll_mode is not None and poll_mode not in POLL_MODES:
        r.bad("pollMode", "not a poll mode")
        poll_mode = None
    params = doc.get("params") or {}
    if not isinstance(params, dict):
        r.bad("params", "not an object")
        params = {}
    cancel = doc.get("cancelRequested", False)
    if not isinstance(cancel, bool):
        r.bad("cancelRequested", "not true or false")
        cancel = bool(cancel) if isinstance(cancel, (int, float, str)) else False
    return cls(
        id=op_id, kind=r.text("kind"), target=r.text("target"), started_by=r.text("startedBy"), started_at=r.time("startedAt"),
        state=state, steps=steps, poll_url=r.text("pollUrl", optional=True) or None, poll_step=poll_step, poll_mode=poll_mode,
        poll_kind=r.text("pollKind", optional=True), params=params, result=doc.get("result"), error=_error(r, error_cls),
        finished_at=r.time("finishedAt", optional=True), updated_at=r.text("updatedAt", optional=True), owner=r.text("owner", optional=True),
        heartbeat_at=r.number("heartbeatAt"), cancel_requested=cancel, cancel_url=r.text("cancelUrl", optional=True) or None,
        etag=doc.get("_etag") if isinstance(doc.get("_etag"), str) else None, problems=tuple(r.problems),
    )
