"""The layer contract of loom_tui, checked over EVERY module of the package (walked with ``ast``).

The import graph holds every ``import`` / ``from ... import`` of every module, at module level and
inside functions (lazy imports run too), except under ``if TYPE_CHECKING:`` (``typed=True`` keeps
those too: the cycle rule and the direct-import rules count them).  Importing ``a.b.c`` also runs
``a`` and ``a.b``, so parent packages are edges as well.

Three kinds of rule:

* :class:`Rule` forbids a set of modules to *reach* (directly or through other loom modules) a set
  of targets, like an import-linter "forbidden" contract; a violation is reported with its chain.
* :class:`Direct` says what a set of modules may import *themselves* (an allowed set, a forbidden
  set, or both), for rules that reaching would make meaningless (every screen reaches the store
  through its services; the console reaches the demo through ``wiring``).
* :func:`cycle_violations`: no import cycle outside :data:`ALLOWED_CYCLES`, which names each
  remaining cycle exactly, so it can only shrink.
"""

from __future__ import annotations

import ast
import sys
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PACKAGE = "loom_tui"

# the Textual side of the line, and the entry point that chooses between the console and a command
UI = ("loom_tui.app", "loom_tui.run_tui", "loom_tui.shell", "loom_tui.screens", "loom_tui.widgets")
ENTRY = ("loom_tui.cli", "loom_tui.__main__")


@dataclass(frozen=True)
class Rule:
    name: str
    modules: tuple[str, ...]  # prefixes the rule applies to
    forbidden: tuple[str, ...]  # prefixes (loom modules or external packages) they must not reach
    exempt: tuple[str, ...] = ()  # prefixes among ``modules`` the rule does not apply to


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, package: str, typed: bool = False) -> set[str]:
    """Dotted names a module imports (``from a import b`` gives ``a`` and ``a.b``); ``typed``: the
    ones under ``if TYPE_CHECKING:`` as well."""
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            if not typed and _is_type_checking(node.test):
                for child in node.orelse:
                    self.visit(child)
                return
            self.generic_visit(node)

        def visit_Import(self, node: ast.Import) -> None:
            found.update(alias.name for alias in node.names)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.add(mod)
            found.update(f"{mod}.{alias.name}" for alias in node.names)

    Visitor().visit(tree)
    return found


@lru_cache(maxsize=4096)
def _source_imports(source: str, package: str, typed: bool = False) -> frozenset[str]:
    """``_imports`` of one module's source (the same file in a planted copy is parsed once)."""
    return frozenset(_imports(ast.parse(source), package, typed))


def import_graph(root: Path, *, typed: bool = False) -> dict[str, set[str]]:
    """``module -> modules it imports``: loom modules by full name, anything else by its top name
    (``textual``, ``azure``).  ``root`` is the package folder (``.../loom_tui``); ``typed``: the
    ``TYPE_CHECKING`` imports are edges too."""
    files = {_module_name(root, p): p for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for target in _source_imports(path.read_text(encoding="utf-8"), package, typed):
            top = target.split(".")[0]
            if top != root.name:
                edges.add(top)
                continue
            # the module itself (a name imported from a package may be a submodule, or not)
            while target and target not in files:
                target = target.rpartition(".")[0]
            parts = target.split(".")
            edges.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        edges.discard(name)
        graph[name] = edges
    return graph


def chain(graph: dict[str, set[str]], start: str, forbidden: tuple[str, ...]) -> list[str] | None:
    """The shortest import chain from ``start`` to a forbidden module, or ``None``."""
    seen = {start: ""}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph.get(node, ())):
            if nxt in seen:
                continue
            seen[nxt] = node
            if _under(nxt, forbidden):
                path = [nxt]
                while path[-1] != start:
                    path.append(seen[path[-1]])
                return path[::-1]
            if nxt in graph:
                queue.append(nxt)
    return None


def violations(graph: dict[str, set[str]], rules: tuple[Rule, ...]) -> list[str]:
    out = []
    for rule in rules:
        for module in sorted(graph):
            if not _under(module, rule.modules) or _under(module, rule.exempt):
                continue
            found = chain(graph, module, rule.forbidden)
            if found:
                out.append(f"{rule.name}: " + " -> ".join(found))
    return out


@dataclass(frozen=True)
class Direct:
    """What the modules under ``modules`` may import themselves: with ``allowed`` set, only those
    prefixes (loom modules by name, external packages by their top name; ``stdlib``: Python's own
    modules too); never anything under ``forbidden``."""

    name: str
    modules: tuple[str, ...]
    allowed: tuple[str, ...] | None = None
    forbidden: tuple[str, ...] = ()
    exempt: tuple[str, ...] = ()
    stdlib: bool = False

    def breaks(self, target: str) -> bool:
        if _under(target, self.forbidden):
            return True
        if self.allowed is None or target == PACKAGE or _under(target, self.allowed):  # PACKAGE: the parent of all
            return False
        return not (self.stdlib and target in sys.stdlib_module_names)


def direct_violations(graph: dict[str, set[str]], rules: tuple[Direct, ...]) -> list[str]:
    """``"<rule>: <module> -> <import>"`` for every import a :class:`Direct` rule does not allow."""
    out = []
    for rule in rules:
        for module in sorted(graph):
            if _under(module, rule.modules) and not _under(module, rule.exempt):
                out.extend(f"{rule.name}: {module} -> {t}" for t in sorted(graph[module]) if rule.breaks(t))
    return out


def cycles(graph: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The import cycles among loom modules: each strongly connected component of more than one
    module, as its sorted names (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(t for t in graph[root] if t in graph)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            nxt = next(edges, None)
            if nxt is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(tuple(sorted(component)))
            elif nxt not in index:
                index[nxt] = low[nxt] = len(index)
                stack.append(nxt)
                on_stack.add(nxt)
                work.append((nxt, iter(sorted(t for t in graph[nxt] if t in graph))))
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
    return sorted(found)


def _loop(graph: dict[str, set[str]], component: tuple[str, ...]) -> list[str]:
    """One shortest loop from the component's first module back to it."""
    start, members = component[0], set(component)
    seen: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(seen[path[-1]])
                return [*path[::-1], start]
            if nxt not in seen and nxt != start:
                seen[nxt] = node
                queue.append(nxt)
    return list(component)


def cycle_violations(graph: dict[str, set[str]], allowed: tuple[tuple[str, ...], ...]) -> list[str]:
    """Every cycle not named in ``allowed`` (with one loop through it, to read), and every entry of
    ``allowed`` that is no longer a cycle as written (a cycle that shrank or went: the list shrinks)."""
    found = cycles(graph)
    out = []
    for component in found:
        if component not in allowed:
            out.append("import cycle: " + " -> ".join(_loop(graph, component)) + f" (of {len(component)}: {', '.join(component)})")
    out.extend("allowed cycle is gone or changed, shrink ALLOWED_CYCLES: " + ", ".join(c) for c in allowed if c not in found)
    return out


_IMPORT_ALL = """
import importlib, json, sys, traceback
below, rest = json.loads(sys.argv[1])
failed = []
def load(names):
    for name in names:
        try:
            importlib.import_module(name)
        except BaseException as exc:
            failed.append(name + ": " + traceback.format_exception_only(exc)[-1].strip())
load(below)
textual = sorted(m for m in sys.modules if m.split(".")[0] == "textual")
load(rest)
print(json.dumps({"failed": failed, "textual": textual}))
"""


def import_every_module(root: Path, below_ui: tuple[str, ...]) -> dict[str, list[str]]:
    """Import every module of the package at ``root`` in a fresh interpreter, the ones below the UI
    (not under ``below_ui``'s exemptions) first: ``failed`` names each module that did not import
    (with its error), ``textual`` the Textual modules loaded once the modules below the UI were."""
    import json
    import subprocess

    names = sorted(import_graph(root))
    below = [m for m in names if not _under(m, below_ui)]
    rest = [m for m in names if _under(m, below_ui)]
    done = subprocess.run([sys.executable, "-c", _IMPORT_ALL, json.dumps([below, rest])], capture_output=True, text=True,
                          check=True, cwd=root.parent)
    return json.loads(done.stdout.strip().splitlines()[-1])


BELOW_UI_EXEMPT = (*UI, *ENTRY)
SCREENS_SIDE = ("loom_tui.screens", "loom_tui.widgets", "loom_tui.app", "loom_tui.run_tui", "loom_tui.shell", *ENTRY)

RULES = (
    Rule("nothing below screens/widgets/app imports textual", (PACKAGE,), ("textual", *UI), exempt=BELOW_UI_EXEMPT),
    Rule("the error family imports nothing of loom", ("loom_tui.errors",), (PACKAGE,), exempt=()),
    Rule("services never import screens/widgets/app/commands", ("loom_tui.services",), (*SCREENS_SIDE, "loom_tui.commands")),
    Rule("domain imports nothing from services/store/azure/local/screens",
         ("loom_tui.domain",), ("loom_tui.services", "loom_tui.store", "loom_tui.azure", "loom_tui.local", "loom_tui.demo_azure",
                               "loom_tui.commands", "loom_tui.formats", *SCREENS_SIDE)),
    Rule("store and azure never import services/screens/commands",
         ("loom_tui.store", "loom_tui.azure"), ("loom_tui.services", "loom_tui.commands", *SCREENS_SIDE)),
    Rule("local (the embedded default's providers) never imports services/screens/commands",
         ("loom_tui.local",), ("loom_tui.services", "loom_tui.commands", *SCREENS_SIDE)),
    Rule("demo_azure imports nothing from services/screens/commands",
         ("loom_tui.demo_azure",), ("loom_tui.services", "loom_tui.commands", *SCREENS_SIDE)),
)

# what a screen may import itself: the services it asks, the domain's types, the error family, the
# UI around it (screens, widgets) and the console's plain-data registries it shows (the areas, the
# key vocabulary); of the outside world Textual, Rich and Python's standard library (and ``loom_tui``
# itself, the parent package every import runs).  Never the store, Azure, the local providers,
# wiring, the commands or the app.
SCREENS_IMPORT = ("loom_tui.services", "loom_tui.domain", "loom_tui.errors", "loom_tui.screens", "loom_tui.widgets",
                  "loom_tui.areas", "loom_tui.key_vocabulary", "textual", "rich")
DEMO = ("loom_tui.demo_azure", "loom_tui.local.demo")
SCREENS_RULE = "screens import only services, domain, errors, widgets (textual, rich, stdlib)"
DEMO_RULE = "only wiring imports demo_azure and local.demo"
# the one formatter sits below the services and the commands, which both use it (the Cost export,
# every ``-o``): it formats the domain's values and raises the error family, nothing else of loom
FORMATS_RULE = "formats imports only domain and errors (yaml, jmespath, stdlib)"

DIRECT = (
    Direct(SCREENS_RULE, ("loom_tui.screens",),
           allowed=SCREENS_IMPORT, stdlib=True),
    Direct(DEMO_RULE, (PACKAGE,), forbidden=DEMO,
           # the demo Azure's own modules, and ``loom demo-azure`` (which runs the demo Azure, not
           # chooses it)
           exempt=("loom_tui.wiring", "loom_tui.demo_azure", "loom_tui.commands.demo_azure")),
    Direct(FORMATS_RULE, ("loom_tui.formats",),
           allowed=("loom_tui.formats", "loom_tui.domain", "loom_tui.errors", "yaml", "jmespath"), stdlib=True),
)

# direct imports that break a DIRECT rule today, each to go (the test fails on one that is gone, so
# this list only shrinks)
KNOWN_DIRECT: tuple[str, ...] = ()

# the import cycles of today (TYPE_CHECKING imports included), each named exactly; a new one fails,
# and so does one that shrank or went until its line here is changed: this list only shrinks
ALLOWED_CYCLES: tuple[tuple[str, ...], ...] = ()


if __name__ == "__main__":  # python -m tests.support.layers: today's cycles and direct breaks, to write the lists above from
    _graph = import_graph(Path(__file__).resolve().parents[2] / PACKAGE, typed=True)
    for _cycle in cycles(_graph):
        print(_cycle)
    for _line in direct_violations(_graph, DIRECT):
        print(_line)
