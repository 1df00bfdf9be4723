"""Who gets a budget alert: the operator running the check, and every contact email the tenant's
directory knows (others are emailed by Azure itself, not notified here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from loom_tui.services.context import AppContext


async def recipients(ctx: "AppContext", emails: Iterable[str]) -> list[str]:
    out = [ctx.session.user_oid]
    directory = ctx.directory
    for e in emails:
        user = await directory.by_upn(e)
        if user is not None and user.oid not in out:
            out.append(user.oid)
    return out
