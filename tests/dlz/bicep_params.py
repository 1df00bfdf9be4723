"""The ``param`` declarations of a Bicep file (name, type, @allowed, @minValue/@maxValue, default
text), read with a small line parser: enough for the platform's landing-zone module, whose
parameters loom's fixtures must declare the same way."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

_PARAM = re.compile(r"^param\s+(?P<name>\w+)\s+(?P<type>\w+)(?:\s*=\s*(?P<default>.+?))?\s*$")


@dataclass
class BicepParam:
    name: str
    type: str
    default: str | None  # the Bicep text of the default, or None
    allowed: list | None = None
    min_value: int | None = None
    max_value: int | None = None
    secure: bool = False
    description: str = ""
    extra: dict = field(default_factory=dict)


def read_params(path: Path) -> dict[str, BicepParam]:
    lines = path.read_text(encoding="utf-8").splitlines()
    out: dict[str, BicepParam] = {}
    pending: dict = {}
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("@allowed("):
            block = line
            while block.count("[") > block.count("]"):
                i += 1
                block += "\n" + lines[i].strip()
            items = re.findall(r"'((?:[^'\\]|\\.)*)'", block[block.index("["):])
            pending["allowed"] = items
        elif line.startswith("@minValue("):
            pending["min_value"] = int(line[len("@minValue("):-1])
        elif line.startswith("@maxValue("):
            pending["max_value"] = int(line[len("@maxValue("):-1])
        elif line.startswith("@secure("):
            pending["secure"] = True
        elif line.startswith("@description("):
            m = re.match(r"@description\('(.*)'\)$", line)
            pending["description"] = m.group(1) if m else ""
        else:
            m = _PARAM.match(line)
            if m:
                out[m["name"]] = BicepParam(m["name"], m["type"], m["default"], **pending)
                pending = {}
            elif line and not line.startswith("#") and not line.startswith("//"):
                pending = {}
        i += 1
    return out


def literal_default(text: str | None):
    """A Bicep literal default as Python (strings, numbers, booleans, {} and []); ``...`` for an
    expression (compared by hand)."""
    if text is None:
        return None
    if text in ("true", "false"):
        return text == "true"
    if text in ("{}", "[]"):
        return ast.literal_eval(text)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"'[^'$]*'", text):
        return text[1:-1]
    return ...
