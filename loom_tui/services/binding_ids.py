"""The binding ids a ``[keys]`` table in the config file may name, known without importing Textual.

The console's keys are ``Binding(..., id="ws.delete")`` in ``app.py``, ``shell/``, ``screens/``, ``widgets/``;
the headless commands and ``loom doctor`` must not import those modules (they pull in Textual), so
the ids are read from their source with ``ast`` (only when a ``[keys]`` table exists) and the
area keys come from :mod:`loom_tui.areas`.  A test checks this set against the live bindings.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from loom_tui.areas import AREAS

_HERE = Path(__file__).resolve().parent.parent  # loom_tui/
_SOURCES = ("app.py", "shell", "screens", "widgets")


def _files() -> Iterable[Path]:
    for name in _SOURCES:
        path = _HERE / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(path.rglob("*.py"))


def _literals(tree: ast.Module) -> dict[str, object]:
    """Module-level ``NAME = <literal>`` assignments (``PANES = (("items", "i", "Items"), ...)``)."""
    found: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except (ValueError, SyntaxError, TypeError):
                pass
    return found


def _fill(fstring: ast.JoinedStr, env: dict[str, object]) -> str | None:
    out = []
    for part in fstring.values:
        if isinstance(part, ast.Constant):
            out.append(str(part.value))
        elif isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Name) and part.value.id in env:
            out.append(str(env[part.value.id]))
        else:
            return None
    return "".join(out)


def _loop_envs(comp: ast.AST, literals: dict[str, object]) -> list[dict[str, object]]:
    """The loop variables of ``(... for a, b in NAME)`` over a module-level literal, one dict per turn."""
    gens = getattr(comp, "generators", [])
    if len(gens) != 1 or not isinstance(gens[0].iter, ast.Name) or gens[0].iter.id not in literals:
        return []
    turns = literals[gens[0].iter.id]
    if not isinstance(turns, Iterable):  # a number or None: no loop over it runs
        return []
    target = gens[0].target
    names = [target.id] if isinstance(target, ast.Name) else [e.id for e in getattr(target, "elts", []) if isinstance(e, ast.Name)]
    envs = []
    for value in turns:
        values = [value] if isinstance(target, ast.Name) else list(value)
        if len(values) == len(names):
            envs.append(dict(zip(names, values)))
    return envs


def _ids_in(source: str) -> set[str]:
    tree = ast.parse(source)
    literals = _literals(tree)
    found: set[str] = set()
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name != "Binding":
            continue
        for kw in node.keywords:
            if kw.arg != "id":
                continue
            if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                found.add(kw.value.value)
            elif isinstance(kw.value, ast.JoinedStr):  # id=f"detail.{name}" in a loop over a literal
                comp = parents.get(node)
                while comp is not None and not isinstance(comp, (ast.GeneratorExp, ast.ListComp, ast.SetComp)):
                    comp = parents.get(comp)
                for env in _loop_envs(comp, literals) if comp is not None else []:
                    filled = _fill(kw.value, env)
                    if filled:
                        found.add(filled)
    return found


@lru_cache(maxsize=1)
def known_binding_ids() -> frozenset[str]:
    ids = {a.binding_id for a in AREAS}
    for path in _files():
        ids |= _ids_in(path.read_text(encoding="utf-8"))
    return frozenset(ids)


def unknown_binding_ids(keys: Iterable[str]) -> list[str]:
    """The ids of ``keys`` (a ``[keys]`` table) that name no binding of loom."""
    keys = list(keys)
    if not keys:
        return []
    known = known_binding_ids()
    return sorted(k for k in keys if k not in known)


def describe_unknown(unknown: list[str]) -> str:
    """One sentence for the console notice, the headless warning and the doctor line."""
    names = ", ".join(repr(k) for k in unknown)
    return (f"[keys] names {len(unknown)} binding id(s) loom does not have: {names}; "
            "they are ignored (`?` in the console shows each key; ids look like ws.delete or area.cost)")
