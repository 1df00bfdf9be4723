"""The machine side of the one formatter (:mod:`loom_tui.formats`): a command's data as a
JSON-native document, printed as JSON or YAML, and ``--query`` (JMESPath) over it.

* :func:`plain` turns what commands hand over (dataclasses, dates, tuples, Enums) into JSON's
  types; a :class:`~decimal.Decimal` stays one, so money keeps every digit its source had.
* :func:`json_text` prints a ``Decimal`` as the exact number it holds (``0.000011139``, never a
  rounded float), so rows sum exactly to a total computed from the same Decimals.
* Hostile characters (C0, C1, DEL, bidi, zero-width) never reach the output raw: they are escapes
  (``\\u202e``) in JSON, and ``\\x85`` / ``\\u202e`` escapes in YAML (such a document is
  written ASCII-only).
"""

from __future__ import annotations

import json as _json
import secrets
from dataclasses import fields, is_dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from loom_tui.domain.text import has_hostile, json_escaped
from loom_tui.errors import UsageError


def plain(value: Any) -> Any:
    """``value`` with only JSON's types (dict, list, str, int, float, bool, None) and Decimal."""
    if value is None or isinstance(value, (str, bool, int, float, Decimal)):
        return value
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    return str(value)


def decimal_text(d: Decimal) -> str:
    """A Decimal's exact digits, without an exponent or trailing zeros (``20.050000`` -> ``20.05``)."""
    if not d.is_finite():
        return str(d)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _tokenise(value: Any, found: dict[str, str], nonce: str) -> Any:
    """``value`` (already plain) with each finite Decimal replaced by a unique marker string."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        token = f"@@{nonce}:{len(found)}@@"
        found[token] = decimal_text(value)
        return token
    if isinstance(value, dict):
        return {k: _tokenise(v, found, nonce) for k, v in value.items()}
    if isinstance(value, list):
        return [_tokenise(v, found, nonce) for v in value]
    return value


def _has_decimal(value: Any) -> bool:
    if isinstance(value, Decimal):
        return True
    if isinstance(value, dict):
        return any(_has_decimal(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_decimal(v) for v in value)
    return False


def json_text(value: Any, *, indent: int | None = 2) -> str:
    """JSON with every hostile character escaped as ``\\u202e``-style escapes (json.dumps leaves C1, DEL, bidi
    and zero-width characters raw when ``ensure_ascii`` is off) and every Decimal exact."""
    found: dict[str, str] = {}
    if _has_decimal(value):
        value = _tokenise(plain(value), found, secrets.token_hex(8))
    # json.dumps already escapes C0 inside strings, so a raw newline is the indent's own
    text = _json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=True, default=_default)
    for token, number in found.items():
        text = text.replace(f'"{token}"', number, 1)
    return json_escaped(text)


def _default(value: Any) -> Any:
    converted = plain(value)
    return converted if converted is not value else str(value)


# -- YAML ----------------------------------------------------------------------------------------
def _any_hostile(value: Any) -> bool:
    if isinstance(value, str):
        return has_hostile(value)
    if isinstance(value, dict):
        return any(_any_hostile(k) or _any_hostile(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_any_hostile(v) for v in value)
    return False


def _dumper() -> Any:
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:  # never &id001 / *id001: each value written out
            return True

    def decimal(dumper: Any, d: Decimal) -> Any:
        return dumper.represent_scalar("tag:yaml.org,2002:float", decimal_text(d)) if d.is_finite() else dumper.represent_none(None)

    Dumper.add_representer(Decimal, decimal)
    return Dumper


def yaml_text(value: Any) -> str:
    """YAML of ``value`` (keys sorted, as JSON's); a document holding a hostile character is
    written ASCII-only, so every such character is an escape in a double-quoted string."""
    import yaml

    value = plain(value)
    return yaml.dump(value, Dumper=_dumper(), sort_keys=True, default_flow_style=False, allow_unicode=not _any_hostile(value),
                     width=10**9)


# -- --query ------------------------------------------------------------------------------------
def _functions() -> Any:
    import jmespath.functions as jf

    class Functions(jf.Functions):
        """JMESPath's functions, with a Decimal counted as a number (``sum(rows[].cost)``)."""

        def _get_allowed_pytypes(self, types: Any) -> Any:
            allowed, subtypes = super()._get_allowed_pytypes(types)
            if "float" in allowed:
                allowed = [*allowed, "Decimal"]
            return allowed, [(*s, "Decimal") if "float" in s else s for s in subtypes]

        @jf.signature({"types": []})
        def _func_type(self, arg: Any) -> str:
            return "number" if isinstance(arg, Decimal) else super()._func_type(arg)

    return Functions()


def compile_query(expr: str) -> Any:
    """A parsed JMESPath expression; a bad one is a usage error naming where it broke."""
    import jmespath
    from jmespath import exceptions

    try:
        return jmespath.compile(expr)
    except exceptions.JMESPathError as exc:
        raise UsageError(f"--query {expr!r}: {' '.join(str(exc).split())}") from None


def run_query(expr: str, document: Any) -> Any:
    import jmespath
    from jmespath import exceptions

    compiled = compile_query(expr)
    try:
        return compiled.search(plain(document), jmespath.Options(custom_functions=_functions()))
    except exceptions.JMESPathError as exc:
        raise UsageError(f"--query {expr!r}: {' '.join(str(exc).split())}") from None
