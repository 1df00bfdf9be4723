"""The official Azure REST API specs kept in ``tests/fixtures/specs`` (see its MANIFEST.md), as a
book of operations: which operation a request is (path template, method, api-version), and its
parameters and responses with every ``$ref`` resolvable.

The fixtures keep the upstream layout (``specification/<service>/resource-manager/...``), so the
specs' relative ``$ref``s (``../../../common-types/...``) resolve as they do upstream.  Every file
is registered in one ``referencing.Registry`` under its ``file://`` URI.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ROOT = Path(__file__).resolve().parents[2] / "fixtures" / "specs"
METHODS = ("get", "put", "post", "patch", "delete", "head")
# where MANIFEST.json names an enum value the spec's own examples use but its schema does not list,
# the schema carries it under this key (check.py accepts it)
EXAMPLE_VALUES = "x-loom-example-values"


def escape(token: str) -> str:
    """One JSON pointer token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


@dataclass
class Operation:
    file: Path
    uri: str  # the file's URI in the registry
    api_version: str
    method: str  # upper case
    template: str  # "/subscriptions/{subscriptionId}/..."
    raw: dict[str, Any]  # the operation object as written
    path_params: list[dict[str, Any]] = field(default_factory=list)  # the path item's shared parameters

    @property
    def operation_id(self) -> str:
        return str(self.raw.get("operationId", f"{self.method} {self.template}"))

    @property
    def pointer(self) -> str:
        return f"{self.uri}#/paths/{escape(self.template)}/{self.method.lower()}"

    @property
    def long_running(self) -> bool:
        return bool(self.raw.get("x-ms-long-running-operation"))

    @property
    def final_state_via(self) -> str | None:
        return (self.raw.get("x-ms-long-running-operation-options") or {}).get("final-state-via")

    @property
    def responses(self) -> dict[str, Any]:
        return self.raw.get("responses") or {}

    def literal_length(self) -> int:
        """How specific the template is (more literal characters win over ``{scope}``)."""
        return len(re.sub(r"\{[^}]+\}", "", self.template))


class SpecBook:
    """Every spec file under ``root`` (one Registry); operations by (method, api-version)."""

    def __init__(self, root: Path = ROOT) -> None:
        self.root = root
        self.files: dict[str, dict[str, Any]] = {}
        resources = []
        for path in sorted((root / "specification").rglob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            uri = path.resolve().as_uri()
            self.files[uri] = doc
            self._example_values(path, doc)
            resources.append((uri, Resource(contents=doc, specification=DRAFT4)))
        self.registry: Registry = Registry().with_resources(resources).crawl()
        self.operations: list[Operation] = []
        for uri, doc in self.files.items():
            version = str((doc.get("info") or {}).get("version", ""))
            for template, item in (doc.get("paths") or {}).items():
                shared = item.get("parameters") or []
                for method in METHODS:
                    if method in item:
                        self.operations.append(Operation(Path(uri.removeprefix("file://")), uri, version, method.upper(),
                                                         template, item[method], shared))

    def _example_values(self, path: Path, doc: dict[str, Any]) -> None:
        entry = _manifest(self.root).get(path.relative_to(self.root).as_posix(), {})
        for pointer, said in (entry.get("example_values") or {}).items():
            node: Any = doc
            for token in pointer.removeprefix("#/").split("/"):
                node = node[token.replace("~1", "/").replace("~0", "~")]
            node[EXAMPLE_VALUES] = list(said["values"])

    # ------------------------------------------------------------ lookup

    def resolve(self, uri: str, node: Any) -> tuple[Any, str]:
        """``node`` (maybe a ``$ref``) read from the document at ``uri`` -> (contents, its URI with pointer)."""
        hops = 0
        while isinstance(node, dict) and "$ref" in node:
            target = urljoin(uri, node["$ref"])
            node = self.registry.resolver().lookup(target).contents
            uri = target
            hops += 1
            if hops > 32:
                raise ValueError(f"$ref loop at {uri}")
        return node, uri

    def parameters(self, op: Operation) -> list[tuple[dict[str, Any], str]]:
        """Every parameter of ``op`` resolved (path item's first, the operation's override by
        name+in), each with the URI of its own location (for its body schema's refs)."""
        out: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        base = op.pointer.rsplit("/", 1)[0]
        for where, params in ((base + "/parameters", op.path_params), (op.pointer + "/parameters", op.raw.get("parameters") or [])):
            for i, p in enumerate(params):
                node, uri = self.resolve(op.uri, p)
                if uri == op.uri:  # not a $ref: its own place in the operation
                    uri = f"{where}/{i}"
                out[(node.get("name", ""), node.get("in", ""))] = (node, uri)
        return list(out.values())

    @lru_cache(maxsize=None)
    def pattern(self, op_index: int) -> re.Pattern[str]:
        op = self.operations[op_index]
        skip = {p["name"] for p, _ in self.parameters(op) if p.get("in") == "path" and p.get("x-ms-skip-url-encoding")}
        out, pos = "", 0
        for m in re.finditer(r"\{([^}]+)\}", op.template):
            out += re.escape(op.template[pos:m.start()])
            name = m.group(1)
            group = re.sub(r"\W", "_", name)
            out += f"(?P<{group}>.+?)" if name in skip else f"(?P<{group}>[^/]+)"
            pos = m.end()
        out += re.escape(op.template[pos:])
        return re.compile("^" + out + "/?$", re.IGNORECASE)

    def candidates(self, method: str, path: str) -> list[tuple[Operation, dict[str, str]]]:
        """Operations of any api-version whose template matches ``path`` (``method`` too)."""
        found = []
        for i, op in enumerate(self.operations):
            if op.method != method.upper():
                continue
            m = self.pattern(i).match(path)
            if m:
                found.append((op, m.groupdict()))
        return found

    def find(self, method: str, path: str, api_version: str | None) -> tuple[Operation | None, dict[str, str], str]:
        """The operation for a request, its path values, and (when none) why."""
        matches = self.candidates(method, path)
        if not matches:
            other = sorted({op.method for i, op in enumerate(self.operations) if self.pattern(i).match(path)})
            if other:
                return None, {}, f"{method} is not an operation of {path} in the specs kept (only {', '.join(other)})"
            return None, {}, f"no spec file kept for {method} {path}"
        same = [(op, g) for op, g in matches if op.api_version == (api_version or "")]
        if not same:
            versions = sorted({op.api_version for op, _ in matches})
            return None, {}, f"no spec file kept for api-version {api_version} of {method} {path} (kept: {', '.join(versions)})"
        same.sort(key=lambda t: -t[0].literal_length())
        op, groups = same[0]
        return op, groups, ""

    @cached_property
    def versions(self) -> dict[str, list[str]]:
        """operationId -> the api-versions kept for it."""
        out: dict[str, set[str]] = {}
        for op in self.operations:
            out.setdefault(op.operation_id, set()).add(op.api_version)
        return {k: sorted(v) for k, v in out.items()}


_BOOK: SpecBook | None = None


@lru_cache(maxsize=4)
def _manifest(root: Path) -> dict[str, Any]:
    path = root / "MANIFEST.json"
    return json.loads(path.read_text(encoding="utf-8")).get("files", {}) if path.exists() else {}


def book() -> SpecBook:
    """The one SpecBook of a test run (loading and crawling the specs takes a moment)."""
    global _BOOK
    if _BOOK is None:
        _BOOK = SpecBook()
    return _BOOK
