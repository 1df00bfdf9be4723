"""``NO_COLOR=1`` means no colour codes at all (issue 24 item 16): the real ``loom`` on a pty sends
no SGR colour parameter (foreground, background; 16, 256 or true colour), while state stays
readable (reverse video, the cursor mark, ASCII borders); a ticked checkbox differs from an
unticked one without colour."""

from __future__ import annotations

import re

from loom_tui.app import LoomApp
from tests.field.conftest import child_env, loom_bin
from tests.field.ptyrun import PtyProcess
from tests.ui.helpers import wait_for, wait_ready

SGR = re.compile(rb"\x1b\[([0-9;:]*)m")


def colour_params(raw: bytes) -> list[str]:
    """Every SGR sequence that sets a colour (30–37, 38, 39 is the default and allowed, 40–47, 48,
    90–97, 100–107)."""
    bad = []
    for m in SGR.finditer(raw):
        params = [p for p in re.split(rb"[;:]", m.group(1)) if p]
        i = 0
        while i < len(params):
            n = int(params[i] or b"0")
            if n in (38, 48, 58):
                bad.append(m.group(0).decode())
                break
            if 30 <= n <= 37 or 40 <= n <= 47 or 90 <= n <= 97 or 100 <= n <= 107:
                bad.append(m.group(0).decode())
                break
            i += 1
    return bad


def test_no_color_sends_no_colour_codes() -> None:
    env = child_env(TERM="xterm-256color", COLORTERM="truecolor", NO_COLOR="1", COLUMNS="80", LINES="24")
    p = PtyProcess([loom_bin()], env=env, cols=80, rows=24)
    try:
        p.wait_for("Workspaces", timeout=40)
        p.wait_for("›", timeout=20)  # the cursor row, marked without colour
        with p._lock:  # noqa: SLF001
            raw = bytes(p._buf)  # noqa: SLF001
        assert SGR.search(raw), "the screen was drawn"
        assert colour_params(raw) == []
        assert b"\x1b[7m" in raw or b";7m" in raw or b"7;" in raw  # reverse video still marks state
    finally:
        p.kill()


async def test_a_ticked_box_differs_from_an_unticked_one_without_colour(monkeypatch):
    from loom_tui.widgets.tickbox import TickBox

    monkeypatch.setenv("NO_COLOR", "1")
    app = LoomApp()
    assert app.has_class("-no-color") and not any(type(f).__name__ == "Monochrome" for f in app._filters)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: bool(app.screen.query(TickBox)))
        box = app.screen.query_one(TickBox)
        off = box.render().plain
        box.value = True
        await pilot.pause()
        on = box.render().plain
        assert "▐ ▌" in off and "▐X▌" in on
        # a one-line field stays one line, and an empty one shows its bounds: underlined to its width
        from textual.widgets import Input

        empty = next(i for i in app.screen.query(Input) if not i.value and not i.has_focus)
        assert empty.size.height == 1
        cells = [(seg.text, seg.style) for seg in empty.render_line(0) if seg.text]
        assert sum(len(t) for t, _ in cells) >= empty.size.width - 2
        assert all(st is not None and st.underline for t, st in cells), cells[:3]
