"""The layer contract of loom_tui, checked over EVERY module of the package (walked with ``ast``).

The import graph holds every ``import`` / ``from ... import`` of every module, at module level and
inside functions (lazy imports run too), except under ``if TYPE_CHECKING:``.  Importing
``a.b.c`` also runs ``a`` and ``a.b``, so parent packages are edges as well.  A rule forbids a
set of modules to *reach* (directly or through other loom modules) a set of targets, like an
import-linter "forbidden" contract; a violation is reported with its import chain.
"""

from __future__ import annotations

import ast
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


def _imports(tree: ast.AST, package: str) -> set[str]:
    """Dotted names a module imports (``from a import b`` gives ``a`` and ``a.b``)."""
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            if _is_type_checking(node.test):
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
def _source_imports(source: str, package: str) -> frozenset[str]:
    """``_imports`` of one module's source (the same file in a planted copy is parsed once)."""
    return frozenset(_imports(ast.parse(source), package))


def import_graph(root: Path) -> dict[str, set[str]]:
    """``module -> modules it imports``: loom modules by full name, anything else by its top name
    (``textual``, ``azure``).  ``root`` is the package folder (``.../loom_tui``)."""
    files = {_module_name(root, p): p for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for target in _source_imports(path.read_text(encoding="utf-8"), package):
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


BELOW_UI_EXEMPT = (*UI, *ENTRY)
SCREENS_SIDE = ("loom_tui.screens", "loom_tui.widgets", "loom_tui.app", "loom_tui.run_tui", "loom_tui.shell", *ENTRY)

RULES = (
    Rule("nothing below screens/widgets/app imports textual", (PACKAGE,), ("textual", *UI), exempt=BELOW_UI_EXEMPT),
    Rule("the error family imports nothing of loom", ("loom_tui.errors",), (PACKAGE,), exempt=()),
    Rule("services never import screens/widgets/app/commands", ("loom_tui.services",), (*SCREENS_SIDE, "loom_tui.commands")),
    Rule("domain imports nothing from services/store/azure/local/screens",
         ("loom_tui.domain",), ("loom_tui.services", "loom_tui.store", "loom_tui.azure", "loom_tui.local", "loom_tui.demo_azure",
                               "loom_tui.commands", *SCREENS_SIDE)),
    Rule("store and azure never import services/screens/commands",
         ("loom_tui.store", "loom_tui.azure"), ("loom_tui.services", "loom_tui.commands", *SCREENS_SIDE)),
    Rule("local (the embedded default's providers) never imports services/screens/commands",
         ("loom_tui.local",), ("loom_tui.services", "loom_tui.commands", *SCREENS_SIDE)),
    Rule("demo_azure imports nothing from services/screens/commands",
         ("loom_tui.demo_azure",), ("loom_tui.services", "loom_tui.commands", *SCREENS_SIDE)),
)
