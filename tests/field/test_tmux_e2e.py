"""The real ``loom`` command in a real terminal (tmux): areas by key, 80x24, 16 colours, NO_COLOR,
a too-small window, and the SSH drop (tmux kill-session)."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from tests.support.tmux import Tmux, tmux  # noqa: F401  (fixture)

from .conftest import REPO, loom_bin

pytestmark = pytest.mark.tmux

AREAS = {"workspaces": ("1", "Workspaces"), "capacity": ("2", "Capacity"), "usage": ("3", "Usage"), "cost": ("4", "Cost"), "dlz": ("5", "DLZ")}
READY = "Active"  # a state badge of a demo workspace row: the rows are loaded and painted
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def _colours(pane: str) -> set[tuple[str, ...]]:
    """Every colour the pane uses, as ("16", n) / ("256", n) / ("rgb", r, g, b)."""
    out: set[tuple[str, ...]] = set()
    for params in SGR.findall(pane):
        p = [x for x in params.split(";") if x != ""]
        i = 0
        while i < len(p):
            n = int(p[i])
            if n in (38, 48) and i + 1 < len(p):
                if p[i + 1] == "5":
                    out.add(("256", p[i + 2]))
                    i += 3
                    continue
                if p[i + 1] == "2":
                    out.add(("rgb", p[i + 2], p[i + 3], p[i + 4]))
                    i += 5
                    continue
            if 30 <= n <= 37 or 40 <= n <= 47 or 90 <= n <= 97 or 100 <= n <= 107:
                out.add(("16", str(n)))
            i += 1
    return out


def _is_grey(c: tuple[str, ...]) -> bool:
    if c[0] == "rgb":
        return c[1] == c[2] == c[3]
    if c[0] == "256":
        n = int(c[1])
        return n in (0, 7, 8, 15, 16, 231) or 232 <= n <= 255
    n = int(c[1]) % 10
    return n in (0, 7)  # black, white/grey (30/37, 40/47, 90/97, 100/107)


def _start(tmux: Tmux, *, cols: int = 80, rows: int = 24, term: str = "xterm-256color", **env: str):
    s = tmux.start([loom_bin()], cols=cols, rows=rows, term=term, env=env)
    return s


def test_all_five_areas_by_key_at_80x24(tmux: Tmux) -> None:
    s = _start(tmux)
    s.wait_for(READY, timeout=30)
    bodies: dict[str, str] = {}
    for name, (key, label) in [*list(AREAS.items())[1:], ("workspaces", AREAS["workspaces"])]:
        s.send(key)
        pane = s.wait_for(f"[{key} {label}]")
        time.sleep(0.3)  # let the area paint its body
        lines = s.capture().splitlines()
        assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
        body = "\n".join(lines[2:-1]).strip()
        assert body, f"the {label} area shows nothing:\n{pane}"
        bodies[name] = body
    # every area shows its own body, not the previous area's
    assert len(set(bodies.values())) == len(AREAS), bodies
    s.send("?")
    s.wait_for("Keys")
    s.send("Escape")
    s.send("C-q")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and "[1 Workspaces]" in s.capture():
        time.sleep(0.05)
    assert "[1 Workspaces]" not in s.capture(), "ctrl+q did not quit"


def test_sixteen_colour_terminal_uses_only_sixteen_colours(tmux: Tmux) -> None:
    rich = _start(tmux, COLORTERM="truecolor")
    rich.wait_for(READY, timeout=30)
    assert any(c[0] in ("rgb", "256") for c in _colours(rich.capture(escapes=True))), "control run shows no rich colour: test cannot tell"
    rich.kill()
    for env in ({"TERM": "xterm"}, {"TERM": "xterm-256color", "COLORTERM": "truecolor", "TEXTUAL_COLOR_SYSTEM": "standard"}):
        term = env.pop("TERM")
        s = _start(tmux, term=term, **env)
        pane = s.wait_for(READY, timeout=30)
        colours = _colours(s.capture(escapes=True))
        assert colours and all(c[0] == "16" for c in colours), (term, env, sorted(colours))
        assert "Active" in pane  # state is text, not colour
        s.kill()


def test_no_color_shows_no_hue_and_keeps_state_as_text(tmux: Tmux) -> None:
    s = _start(tmux, COLORTERM="truecolor", NO_COLOR="1")
    pane = s.wait_for(READY, timeout=30)
    colours = _colours(s.capture(escapes=True))
    hues = sorted(c for c in colours if not _is_grey(c))
    assert not hues, f"NO_COLOR=1 but the pane uses colours {hues}"
    assert "Active" in pane and "Suspended" in pane


def test_too_small_terminal_asks_for_a_resize(tmux: Tmux) -> None:
    s = _start(tmux, cols=60, rows=20)
    pane = s.wait_for_any(["resize", "Resize", "RESIZE"], timeout=4)
    assert "80" in pane and "24" in pane, pane
    s.resize(80, 24)
    s.wait_for(READY, timeout=10)


def _gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"  # a zombie is not running


@pytest.mark.serial  # a 2 s promise: measured on a machine nobody else is loading
def test_ssh_drop_exits_within_two_seconds_and_saves_state(tmux: Tmux) -> None:
    s = _start(tmux)
    s.wait_for(READY, timeout=30)
    s.send("2")
    s.wait_for("[2 Capacity]")
    pid = s.pane_pid()
    assert not _gone(pid)
    t0 = time.perf_counter()
    s.kill()  # what a dropped SSH connection does to the programs in it
    while not _gone(pid) and time.perf_counter() - t0 < 5:
        time.sleep(0.02)
    took = time.perf_counter() - t0
    assert _gone(pid), "loom still running 5 s after its terminal went away"
    assert took < 2.0, f"loom took {took:.2f} s to exit"
    file = Path(os.environ["LOOM_STATE_DIR"]) / "resume.json"
    assert file.exists(), "no resume state saved"
    state = json.loads(file.read_text())
    assert state.get("area") in ("capacity", "Capacity"), state
