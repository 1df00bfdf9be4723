"""The layers, over every module of loom_tui (not a hand-kept list): see tests/support/layers.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.layers import (
    ALLOWED_CYCLES,
    BELOW_UI_EXEMPT,
    DEMO_RULE,
    DIRECT,
    FORMATS_RULE,
    KNOWN_DIRECT,
    PACKAGE,
    RULES,
    SCREENS_RULE,
    Rule,
    cycle_violations,
    cycles,
    direct_violations,
    import_every_module,
    import_graph,
    violations,
)

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


def _plant(tmp_path: Path, rel: str, source: str) -> Path:
    """A copy of the package with ``source`` written at ``rel``: the copy's folder."""
    copy = tmp_path / PACKAGE
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    return copy


def _planted(tmp_path: Path, rel: str, source: str, *, typed: bool = False) -> dict[str, set[str]]:
    return import_graph(_plant(tmp_path, rel, source), typed=typed)


def _module(rel: str) -> str:
    return PACKAGE + "." + rel.removesuffix(".py").replace("/", ".")


@pytest.mark.parametrize("rel, source, rule", [
    ("services/_planted.py", "def f():\n    import textual.widgets\n", "nothing below screens/widgets/app imports textual"),
    ("services/_planted.py", "from loom_tui.screens.modals.help import HelpScreen\n", "services never import screens/widgets/app/commands"),
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
    assert any(v.startswith(rule + ": " + _module(rel) + " ->") for v in found), found


def test_a_violation_through_another_module_is_found():
    graph = {"loom_tui.domain.x": {"loom_tui.paths"}, "loom_tui.paths": {"loom_tui.services.y"}, "loom_tui.services.y": set()}
    rule = Rule("domain", ("loom_tui.domain",), ("loom_tui.services",))
    assert violations(graph, (rule,)) == ["domain: loom_tui.domain.x -> loom_tui.paths -> loom_tui.services.y"]


def test_type_checking_imports_are_not_edges(tmp_path):
    graph = _planted(tmp_path, "services/_planted.py",
                     "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from loom_tui.app import LoomApp\n")
    assert violations(graph, RULES) == []


def test_every_module_imports_directly_only_what_its_rule_allows():
    """Screens import only services, domain, errors and the UI; only wiring imports the demo.  The
    imports that break a rule today are named in KNOWN_DIRECT, which may only shrink."""
    found = direct_violations(import_graph(ROOT, typed=True), DIRECT)
    assert [v for v in found if v not in KNOWN_DIRECT] == []
    assert [k for k in KNOWN_DIRECT if k not in found] == [], "gone: remove these lines from KNOWN_DIRECT"


@pytest.mark.parametrize("rel, source, rule", [
    ("screens/_planted.py", "from loom_tui.store import errors\n", SCREENS_RULE),
    ("screens/_planted.py", "def f():\n    from loom_tui.local.demo import PERSONAS\n", SCREENS_RULE),
    ("screens/_planted.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from loom_tui.wiring import build\n", SCREENS_RULE),
    ("screens/_planted.py", "import azure.core\n", SCREENS_RULE),
    ("screens/_planted.py", "from loom_tui.commands.common import fail\n", SCREENS_RULE),
    ("services/_planted.py", "from loom_tui.local.demo import PERSONAS\n", DEMO_RULE),
    ("app_planted.py", "def f():\n    import loom_tui.demo_azure.launcher\n", DEMO_RULE),
    ("commands/_planted.py", "from loom_tui.demo_azure import estate\n", DEMO_RULE),
    ("formats/_planted.py", "from loom_tui.services.cost import records\n", FORMATS_RULE),
    ("formats/_planted.py", "def f():\n    from loom_tui.commands.output import emit\n", FORMATS_RULE),
])
def test_a_planted_direct_import_fails(tmp_path, rel, source, rule):
    found = direct_violations(_planted(tmp_path, rel, source, typed=True), DIRECT)
    assert any(v.startswith(rule + ": " + _module(rel) + " -> ") for v in found), found


def test_what_a_screen_may_import_is_allowed():
    graph = {"loom_tui.screens.x": {"loom_tui", "loom_tui.services.roles", "loom_tui.domain.text", "loom_tui.errors", "textual",
                                    "rich", "asyncio", "loom_tui.widgets.flash", "loom_tui.screens.base", "__future__"}}
    assert direct_violations(graph, DIRECT) == []


def test_no_import_cycle_outside_the_allow_list():
    """TYPE_CHECKING imports count (a cycle through type hints is still one concept split in two)."""
    assert cycle_violations(import_graph(ROOT, typed=True), ALLOWED_CYCLES) == []


def _plant_cycle(tmp_path: Path) -> Path:
    """A copy with ``_planted_a`` importing ``_planted_b``, which imports it back for type hints only."""
    copy = _plant(tmp_path, "_planted_a.py", "from loom_tui import _planted_b\n")
    (copy / "_planted_b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from loom_tui import _planted_a\n")
    return copy


def test_a_planted_cycle_fails(tmp_path):
    found = cycle_violations(import_graph(_plant_cycle(tmp_path), typed=True), ALLOWED_CYCLES)
    assert [f for f in found if "_planted" in f] == ["import cycle: loom_tui._planted_a -> loom_tui._planted_b -> loom_tui._planted_a "
                     "(of 2: loom_tui._planted_a, loom_tui._planted_b)"]


def test_a_type_checking_cycle_is_a_cycle_only_to_the_cycle_rule(tmp_path):
    copy = _plant_cycle(tmp_path)
    assert ("loom_tui._planted_a", "loom_tui._planted_b") in cycles(import_graph(copy, typed=True))
    assert ("loom_tui._planted_a", "loom_tui._planted_b") not in cycles(import_graph(copy))


def test_an_allowed_cycle_that_went_fails():
    graph = {"loom_tui.a": {"loom_tui.b"}, "loom_tui.b": set()}
    assert cycle_violations(graph, (("loom_tui.a", "loom_tui.b"),)) == [
        "allowed cycle is gone or changed, shrink ALLOWED_CYCLES: loom_tui.a, loom_tui.b"]


def test_every_module_imports_and_below_the_ui_loads_no_textual():
    """Every module imports in a fresh interpreter (one that does not is a failure, not a skip), and
    importing every module below the UI loads no Textual (the layer rule at run time: it catches
    imports the AST cannot see, e.g. importlib)."""
    result = import_every_module(ROOT, BELOW_UI_EXEMPT)
    assert result == {"failed": [], "textual": []}


def test_a_module_that_fails_to_import_fails(tmp_path):
    copy = _plant(tmp_path, "services/_planted.py", "from loom_tui.domain import no_such_module\n")
    (copy / "screens" / "_planted_ui.py").write_text("raise RuntimeError('broken at import')\n")
    failed = import_every_module(copy, BELOW_UI_EXEMPT)["failed"]
    assert [f.split(":")[0] for f in failed] == ["loom_tui.services._planted", "loom_tui.screens._planted_ui"], failed
