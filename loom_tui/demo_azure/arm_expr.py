"""ARM template language expressions: tokens and the parse tree (pure, no evaluation).

``[concat('a', parameters('b'))]``, property access (``.name``, ``['name']``, ``[0]``), and
user-defined function calls (``__bicep.adoptMode(...)``, as Bicep compiles ``func``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .arm_errors import invalid

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[(),.\[\]]))")
MAX_EXPRESSION = 64 * 1024  # characters; ARM's own limit on an expression is far below a template's 4 MB


def _tokens(text: str) -> list[tuple[str, str]]:
    if len(text) > MAX_EXPRESSION:
        raise invalid(f"The template language expression is longer than {MAX_EXPRESSION} characters")
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise invalid(f"The template language expression '{text}' is not valid: unexpected character at position {pos}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


@dataclass
class Call:
    name: str  # "concat", or "namespace.member" for a user-defined function
    args: list[Any]


@dataclass
class Access:
    target: Any
    key: Any  # a Lit name (property) or an expression (index)


@dataclass
class Lit:
    value: Any


class Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def peek(self, ahead: int = 0) -> tuple[str, str] | None:
        j = self.i + ahead
        return self.toks[j] if j < len(self.toks) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        t = self.peek()
        if t is None or (value is not None and t[1] != value):
            raise invalid(f"The template language expression '{self.text}' is not valid: expected '{value or 'more'}'")
        self.i += 1
        return t

    def parse(self) -> Any:
        node = self.expr()
        if self.peek() is not None:
            raise invalid(f"The template language expression '{self.text}' is not valid: unexpected '{self.peek()[1]}'")
        return node

    def expr(self, depth: int = 0) -> Any:
        if depth > 64:
            raise invalid(f"The template language expression '{self.text[:80]}…' is nested too deeply")
        kind, val = self.take()
        if kind == "str":
            node: Any = Lit(val[1:-1].replace("''", "'"))
        elif kind == "num":
            node = Lit(int(val))
        elif kind == "name":
            nxt, after = self.peek(), self.peek(1)
            if nxt and nxt[1] == "." and after and after[0] == "name" and (self.peek(2) or ("", ""))[1] == "(":
                self.take(".")
                val = f"{val}.{self.take()[1]}"  # namespace.member(...)
            self.take("(")
            args = []
            if self.peek() and self.peek()[1] != ")":
                args.append(self.expr(depth + 1))
                while self.peek() and self.peek()[1] == ",":
                    self.take(",")
                    args.append(self.expr(depth + 1))
            self.take(")")
            node = Call(val, args)
        else:
            raise invalid(f"The template language expression '{self.text}' is not valid: unexpected '{val}'")
        while self.peek() and self.peek()[1] in (".", "["):
            if self.take()[1] == ".":
                node = Access(node, Lit(self.take()[1]))
            else:
                key = self.expr(depth + 1)
                self.take("]")
                node = Access(node, key)
        return node


def is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("[") and value.endswith("]") and not value.startswith("[[")
