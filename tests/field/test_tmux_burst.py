"""Keys sent in one burst to the real ``loom`` in tmux (a slow SSH link delivers them that way)
land in the fields they were aimed at, in order — also the ones typed while the form opens."""

from __future__ import annotations

import re
import time

import pytest

from tests.support.tmux import Tmux, tmux  # noqa: F401  (fixture)

from .conftest import loom_bin

pytestmark = pytest.mark.tmux


def _field(pane: str, label: str) -> str:
    """The text of the input line under ``label`` in the form's box."""
    lines = pane.splitlines()
    for i, line in enumerate(lines):
        cells = line.split("│")
        # a label inside the form's box (the focused field's label starts with "›"), not the header
        # or the list behind
        if len(cells) > 2 and cells[1].strip().lstrip("›").strip().startswith(label):
            parts = lines[i + 1].split("│")  # the list behind the modal shows left and right of the box
            text = (parts[1] if len(parts) > 2 else parts[-1]).strip()
            return re.split(r"\s{2,}", text)[0]  # the value, without the box's scrollbar further right
    raise AssertionError(f"{label!r} not on screen:\n{pane}")


def test_a_burst_opens_the_form_and_fills_each_field_in_order(tmux: Tmux) -> None:
    s = tmux.start([loom_bin()], cols=80, rows=24, term="xterm", env={"NO_COLOR": "1"})
    s.wait_for("Active", timeout=60)
    # one send-keys call: "n" opens the form, the rest arrives while it is still being mounted
    s.send("n", *"Burst", "Tab", *"descr", "Tab", "F", "2", "Tab", *"hr")
    s.wait_for("New workspace", timeout=30)
    end = time.monotonic() + 30
    pane = s.capture()
    while time.monotonic() < end and ("Domain" not in pane or _field(pane, "Domain") != "hr"):
        time.sleep(0.1)
        pane = s.capture()
    assert _field(pane, "Name (required)") == "Burst"
    assert _field(pane, "Description") == "descr"
    assert _field(pane, "Capacity") == "F2"
    assert _field(pane, "Domain") == "hr"
