"""Who gets a budget alert: the operator running the check, and every contact email the tenant's
directory knows (others are emailed by Azure itself, not notified here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from loom_tui.services.directory import Directory


async def recipients(user_oid: str, directory: "Directory", emails: Iterable[str]) -> list[str]:
    """``user_oid`` (the operator), then the object id of each email the directory knows."""
    out = [user_oid]
    for e in emails:
        user = await directory.by_upn(e)
        if user is not None and user.oid not in out:
            out.append(user.oid)
    return out
