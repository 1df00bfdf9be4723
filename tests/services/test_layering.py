"""The services of this area never pull Textual in (the CLI and tests run them without a UI)."""

from __future__ import annotations

import subprocess
import sys

MODULES = ("items", "folders", "members", "comments", "notifications", "prefs", "roles", "directory", "wsdoc", "stamps")


def test_services_do_not_import_textual():
    code = "; ".join(f"import loom_tui.services.{m}" for m in MODULES) + "; import loom_tui.commands.items, loom_tui.commands.members"
    code += "; import sys; print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
