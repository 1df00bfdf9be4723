"""No stored text can drive the terminal: the real ``loom`` on a pty, a workspace whose name holds
OSC 52 (clipboard), OSC 8 (link) and CSI 2J (clear screen) written into the store by another
writer; the raw bytes the terminal receives never carry them — they show as visible escapes."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from loom_tui.config import Profile
from loom_tui.wiring import open_context
from loom_tui.services.workspaces.items import ItemInput
from loom_tui.services.workspaces.service import WorkspaceInput
from tests.field.conftest import child_env, loom_bin
from tests.field.ptyrun import PtyProcess, plain

CLIP = "cm0gLXJmIH4="  # base64 of "rm -rf ~"
HOSTILE = f"zqx \x1b]52;c;{CLIP}\x07 \x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\ \x1b[2J\u202eend\u200b"
FORBIDDEN = (f"\x1b]52;c;{CLIP}".encode(), b"\x1b]8;;http://evil.example/", b"\x07 \x1b]8", "\u202e".encode(), "\u200b".encode())


def _seed() -> tuple[str, str]:
    async def go():
        ctx = await open_context(Profile())
        try:
            ws = await ctx.workspaces.create(WorkspaceInput(name="zqx plain", description="x"))
            item = await ctx.items.create(ws.id, ItemInput("notebook", "zqx item"))
            # another writer (the web console, a script) stored what loom's validation refuses
            doc = (await ctx.scoped.workspace(ws.id)).doc
            doc.update(name=HOSTILE, description=HOSTILE)
            await ctx.store.upsert("workspaces", doc)
            it = await ctx.store.get("items", ws.id, item.id)
            it["displayName"] = HOSTILE
            await ctx.store.upsert("items", it)
            return ws.id, item.id
        finally:
            await ctx.close()

    return asyncio.run(go())


def _raw(p: PtyProcess) -> bytes:
    with p._lock:  # noqa: SLF001
        return bytes(p._buf)  # noqa: SLF001


def _assert_clean(p: PtyProcess) -> None:
    raw = _raw(p)
    for bad in FORBIDDEN:
        assert bad not in raw, f"{bad!r} reached the terminal"


def _write(p: PtyProcess, keys: str) -> None:
    os.write(p.master, keys.encode())


def test_edit_form_and_rename_prompt_never_write_stored_escapes() -> None:
    _seed()
    env = child_env(TERM="xterm-256color", COLUMNS="120", LINES="40")
    p = PtyProcess([loom_bin()], env=env, cols=120, rows=40)
    try:
        p.wait_for("zqx", timeout=40)
        _assert_clean(p)
        assert "\\x1b]52;c;" in plain(p.output)  # the table shows the escape, visibly
        _write(p, "/")
        time.sleep(0.3)
        _write(p, "zqx")
        p.wait_for("1 workspace ·")
        _write(p, "\r")
        time.sleep(0.3)
        _write(p, "e")
        p.wait_for("Edit workspace")
        p.wait_for("Capacity (F2")  # the whole form, its fields filled from the stored document
        _assert_clean(p)
    finally:
        p.kill()


def test_headless_delete_prompt_shows_escapes() -> None:
    ws_id, _ = _seed()
    env = child_env(TERM="xterm-256color")
    p = PtyProcess([loom_bin(), "workspaces", "delete", ws_id], env=env)
    try:
        p.wait_for("Type the workspace name")
        time.sleep(0.2)
        _assert_clean(p)
        assert "\\x1b]52;c;" in plain(p.output)
        _write(p, "no\r")
        p.proc.wait(20)
    finally:
        p.kill()
    assert p.proc.returncode == 1
