"""Issue 22 item 11 in the console: corrupt operation records in the shared store (a bad
``startedAt``, ``owner: 12345``, ``steps: null`` and random corruptions of every field) show in the
``o`` panel as "unreadable (field: reason)"; opening one shows what could be read; nothing crashes
and cancel is refused for them."""

from __future__ import annotations

import random

from loom_tui.app import LoomApp
from loom_tui.domain.operation import Operation, OperationError, Step
from loom_tui.screens.operations import OperationScreen, OperationsPanel
from loom_tui.widgets.virtual_table import VirtualTable

from .helpers import screen_text, wait_for, wait_ready

BASE = Operation("op-base", "capacity.pause", "/subscriptions/s/resourceGroups/r/providers/Microsoft.Fabric/capacities/cap1",
                 "ops.admin@contoso-demo.example", "2026-11-27T09:00:00.000Z", steps=(Step("read state", "succeeded", 1.0),
                 Step("pause", "running", 0.5, "InProgress"), Step("confirm")), poll_url="/x", poll_step=1, owner="host:1",
                 heartbeat_at=1.0, error=OperationError("Code", "message", 409))
BAD_VALUES = [None, 12345, -1, 1e308, True, "", "yesterday", "\x1b]52;c;SGVsbG8=\x07[red]", [], [None, 3],
              {"a": {"b": [1, {"c": None}]}}, {"name": 5, "state": "exploded", "progress": "half"}, "2026-13-45T99:99:99Z"]


def corrupted(n: int, seed: int = 22) -> list[dict]:
    """``n`` records, each with one to four fields replaced or removed (the same every run)."""
    rng = random.Random(seed)
    fields = sorted(BASE.to_doc("t"))
    out = []
    for i in range(n):
        doc = BASE.to_doc("t") | {"id": f"bad-{i:02d}"}
        for key in rng.sample([f for f in fields if f not in ("id", "tenantId")], rng.randint(1, 4)):
            if rng.random() < 0.2:
                doc.pop(key)
            else:
                doc[key] = rng.choice(BAD_VALUES)
        out.append(doc)
    return out


async def test_the_panel_shows_corrupt_records_as_unreadable_and_never_crashes():
    app = LoomApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        tid = app.ctx.session.tenant_id
        named = [BASE.to_doc(tid) | {"id": "bad-time", "startedAt": "yesterday"}, BASE.to_doc(tid) | {"id": "bad-owner", "owner": 12345},
                 BASE.to_doc(tid) | {"id": "bad-steps", "steps": None, "pollStep": None}]
        for doc in [*named, *corrupted(40)]:
            await app.ctx.scoped.tenant_upsert("operations", {**doc, "tenantId": tid})
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OperationsPanel))
        panel = app.screen
        table = panel.query_one(VirtualTable)
        await wait_for(pilot, lambda: table.row_count == 43)
        ops = {o.id: o for o in panel.rows}
        assert ops["bad-owner"].unreadable == "unreadable (owner: not text (int))"
        assert "unreadable" in screen_text(app)
        for _ in range(table.row_count):  # every row's detail line, through the keys
            await pilot.press("down")
        await pilot.press("home")
        await wait_for(pilot, lambda: table.current is not None)
        target = next(i for i in range(table.row_count) if table.row(i).id == "bad-time")
        for _ in range(target):
            await pilot.press("down")
        await wait_for(pilot, lambda: "unreadable (startedAt: not an ISO 8601 time)" in screen_text(app))
        await pilot.press("c")  # cancel: refused for an unreadable record, said on the status line
        await wait_for(pilot, lambda: "not cancelled: the record is unreadable" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, OperationScreen) and "steps" in screen_text(app))
        assert "unreadable (startedAt: not an ISO 8601 time)" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, OperationsPanel))
        assert app.is_running
