"""The layers, over every module of loom_tui (not a hand-kept list): see tests/support/layers.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.layers import BELOW_UI_EXEMPT, PACKAGE, RULES, Rule, import_graph, violations

ROOT = Path(__file__).resolve().parent.parent / PACKAGE


def test_every_module_keeps_to_its_layer():
    graph = import_graph(ROOT)
    assert len(graph) > 80  # every module was walked, not a few
    assert violations(graph, RULES) == []


def test_the_walk_sees_every_module_and_lazy_imports():
    graph = import_graph(ROOT)
    files = {p for p in ROOT.rglob("*.py") if "__pycache__" not in p.parts}
    assert len(graph) == len(files)
    # a lazy import inside a function is an edge (cli imports the TUI only when it opens it)
    assert "loom_tui.run_tui" in graph["loom_tui.cli"]
    assert "textual" in graph["loom_tui.app"]


def _planted(tmp_path: Path, rel: str, source: str) -> dict[str, set[str]]:
    copy = tmp_path / PACKAGE
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    return import_graph(copy)


@pytest.mark.parametrize("rel, source, rule", [
    ("services/_planted.py", "def f():\n    import textual.widgets\n", "nothing below screens/widgets/app imports textual"),
    ("services/_planted.py", "from loom_tui.screens.help import HelpScreen\n", "services never import screens/widgets/app/commands"),
    ("services/_planted.py", "from ..commands import common\n", "services never import screens/widgets/app/commands"),
    ("domain/_planted.py", "from loom_tui.store import errors\n", "domain imports nothing from services/store/azure/local/screens"),
    ("store/_planted.py", "from loom_tui.services.errors import ServiceError\n", "store and azure never import services/screens/commands"),
    ("azure/_planted.py", "from loom_tui.services import context\n", "store and azure never import services/screens/commands"),
    ("demo_azure/_planted.py", "from loom_tui.services.roles import MEMBER_ROLES\n", "demo_azure imports nothing from services/screens/commands"),
    ("errors_helper.py", "import loom_tui.app\n", "nothing below screens/widgets/app imports textual"),
    ("local/_planted.py", "from loom_tui.services.errors import ServiceError\n",
     "local (the embedded default's providers) never imports services/screens/commands"),
    ("commands/_planted.py", "from loom_tui.widgets.flash import FlashLine\n", "nothing below screens/widgets/app imports textual"),
])
def test_a_planted_violation_fails(tmp_path, rel, source, rule):
    found = violations(_planted(tmp_path, rel, source), RULES)
    planted = PACKAGE + "." + rel.removesuffix(".py").replace("/", ".")
    assert any(v.startswith(rule + ": " + planted + " ->") for v in found), found


def test_a_violation_through_another_module_is_found():
    graph = {"loom_tui.domain.x": {"loom_tui.paths"}, "loom_tui.paths": {"loom_tui.services.y"}, "loom_tui.services.y": set()}
    rule = Rule("domain", ("loom_tui.domain",), ("loom_tui.services",))
    assert violations(graph, (rule,)) == ["domain: loom_tui.domain.x -> loom_tui.paths -> loom_tui.services.y"]


def test_type_checking_imports_are_not_edges(tmp_path):
    graph = _planted(tmp_path, "services/_planted.py",
                     "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from loom_tui.app import LoomApp\n")
    assert violations(graph, RULES) == []


def test_importing_every_module_below_the_ui_loads_no_textual():
    """The same rule at run time (catches imports the AST cannot see, e.g. importlib)."""
    below = [m for m in import_graph(ROOT) if not any(m == p or m.startswith(p + ".") for p in BELOW_UI_EXEMPT)]
    # a module that cannot be imported at all (a half-landed package) is not a layering question
    code = ("import importlib, sys\n"
            f"for m in {below!r}:\n"
            "    try:\n        importlib.import_module(m)\n"
            "    except ImportError as exc:\n        print('cannot import', m, exc, file=sys.stderr)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
