"""Which audit events an operator asks for: by user, by action, since when (no I/O here).

``user`` matches part of the UPN, ignoring case ("dana" finds dana.steward@...); ``action`` is an
action or its start ("item" finds item.create, item.update, ...); ``since`` is a day or a time
(ISO 8601) or a span back from now ("7d", "12h").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from loom_tui.errors import ValidationError
from loom_tui.store.query import Filter, Op

_SPAN = re.compile(r"^(\d{1,5})\s*([dhm])$", re.IGNORECASE)


def since_iso(text: str, now: datetime | None = None) -> str:
    """``text`` as the ISO time events must be at or after ('' for none)."""
    value = (text or "").strip()
    if not value:
        return ""
    span = _SPAN.match(value)
    if span:
        n, unit = int(span.group(1)), span.group(2).lower()
        delta = {"d": timedelta(days=n), "h": timedelta(hours=n), "m": timedelta(minutes=n)}[unit]
        at = (now or datetime.now(timezone.utc)) - delta
        return at.strftime("%Y-%m-%dT%H:%M:%S")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError("since", f"{value!r} is not a day or a time (2026-11-01, 2026-11-01T09:30) or a span (7d, 12h)") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc)
    return parsed.strftime("%Y-%m-%dT%H:%M:%S") if ("T" in value or " " in value) else parsed.strftime("%Y-%m-%d")


@dataclass(frozen=True)
class AuditFilter:
    user: str = ""
    action: str = ""
    since: str = ""  # as given; see since_iso

    @property
    def active(self) -> bool:
        return bool(self.user.strip() or self.action.strip() or self.since.strip())

    def conds(self) -> tuple:
        out: list = []
        if self.user.strip():
            out.append(Filter("upn", Op.ICONTAINS, self.user.strip()))
        if self.action.strip():
            out.append(Filter("action", Op.STARTSWITH, self.action.strip().lower()))
        at = since_iso(self.since)
        if at:
            out.append(Filter("at", Op.GE, at))
        return tuple(out)

    def describe(self) -> str:
        parts = []
        if self.user.strip():
            parts.append(f"user ~ {self.user.strip()}")
        if self.action.strip():
            parts.append(f"action {self.action.strip().lower()}*")
        if self.since.strip():
            parts.append(f"since {self.since.strip()}")
        return ", ".join(parts)
