"""Cost data cannot drive the terminal (issue 22 item 1), checked where the attack landed: the
real ``loom`` on a pty, the Cost screen open on a currency, resource and service that hold OSC 52
(clipboard, with the ST terminator that survives where BEL is stripped, upper-case base64 that
survives ``upper()``) and a bidi override. The raw bytes the terminal receives — what tmux would
act on — never carry them; the screen shows them as visible escapes."""

from __future__ import annotations

import asyncio
import os
from datetime import date

from loom_tui.config import Profile
from loom_tui.local.cost import db
from loom_tui.wiring import open_context
from tests.field.conftest import child_env, loom_bin
from tests.field.ptyrun import PtyProcess, plain

TODAY = "2026-11-20"
CLIP = "QUFBQUFB"  # upper-case base64: unchanged by upper()
OSC52_ST = f"\x1b]52;c;{CLIP}\x1b\\"
OSC52_BEL = f"\x1b]52;c;{CLIP}\x07"
CURRENCY = f"U{OSC52_ST}\u202e"
NAME = f"zqxres {OSC52_BEL} {OSC52_ST}"
FORBIDDEN = (f"\x1b]52;c;{CLIP}".encode(), "\u202e".encode())


def _plant() -> None:
    """Rows another source wrote into the cost database (loom's import refuses such a currency)."""
    async def go():
        ctx = await open_context(Profile())
        try:
            await ctx.cost.ensure_seeded()
            return ctx.cost.db_path
        finally:
            await ctx.close()

    path = asyncio.run(go())
    with db.connect(path) as con:
        con.execute("INSERT INTO cost (date, actual, amortized, currency, resource_id, resource_name, service, source, file_id) "
                    "VALUES (?, 9999999, 9999999, ?, ?, ?, ?, 'exports', 999)",
                    [date(2026, 11, 19), CURRENCY, f"/subscriptions/x/resourcegroups/rg/providers/p/t/{NAME}", NAME, NAME])


def test_the_cost_screen_never_sends_cost_data_escapes_to_the_terminal(monkeypatch) -> None:
    monkeypatch.setenv("LOOM_DEMO_TODAY", TODAY)  # the planted day is in this month, here and in the child
    _plant()
    env = child_env(TERM="xterm-256color", COLUMNS="120", LINES="40")
    p = PtyProcess([loom_bin()], env=env, cols=120, rows=40)
    try:
        p.wait_for("Workspaces", timeout=40)
        os.write(p.master, b"4")
        p.wait_for("\\x1b]52", timeout=60)  # the Cost screen, open on the currency with the most cost, shows it escaped
        with p._lock:  # noqa: SLF001
            raw = bytes(p._buf)  # noqa: SLF001
        for bad in FORBIDDEN:
            assert bad not in raw, f"{bad!r} reached the terminal"
        assert "\\x1b]52;c;QUFB" in plain(p.output)
    finally:
        p.kill()
