"""The ARM template functions the demo Azure evaluates (pure).  ``functions(ctx)`` is the table for
one evaluation context; ``if``, ``and`` and ``or`` are evaluated lazily by the evaluator (as ARM
does: ``if`` evaluates only the branch taken)."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any, Callable

from loom_tui.domain.arm_hash import unique_string

from .arm_errors import invalid

GUID_NAMESPACE = uuid.UUID("11fb06fb-712d-4ddd-98c7-e71bbd588830")  # ARM's guid(): uuid5 over the args joined with '-'
MAX_STRING = 1 << 20  # a string an expression builds (concat/format/replace doublings are refused past it)
MAX_ITEMS = 1 << 16  # an array an expression builds (concat/union doublings of arrays, likewise)

# functions that read live state at deploy time or are not deterministic: never guessed
UNSUPPORTED = {"list", "listkeys", "listsecrets", "listaccountsas", "listaccountsas", "pickzones", "newguid", "utcnow",
               "managementgroup", "tenant", "managementgroupresourceid", "datetimeadd", "datetimefromepoch", "datetimetoepoch"}


def s(v: Any, fn: str) -> str:
    if isinstance(v, bool) or not isinstance(v, (str, int)):
        raise invalid(f"The template function '{fn}' expects string arguments; got {type(v).__name__}")
    return str(v)


def _n(v: Any, fn: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise invalid(f"The template function '{fn}' expects integer arguments; got {type(v).__name__}")
    return v


def bounded(v: Any) -> Any:
    if isinstance(v, str) and len(v) > MAX_STRING:
        raise invalid(f"The template expression builds a string longer than {MAX_STRING} characters")
    if isinstance(v, list) and len(v) > MAX_ITEMS:
        raise invalid(f"The template expression builds an array of more than {MAX_ITEMS} elements")
    return v


def text_of(a: Any) -> str:
    return json.dumps(a, separators=(",", ":")) if isinstance(a, (dict, list)) else ("true" if a is True else "false" if a is False else str(a))


def _format(fmt: Any, *args: Any) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1) is None:  # '{{' and '}}' are the literal braces
            return m.group(0)[0]
        i = int(m.group(1))
        if i >= len(args):
            raise invalid(f"The template function 'format' has no argument {i}")
        return text_of(args[i])

    return bounded(re.sub(r"\{\{|\}\}|\{(\d+)(?::[^}]*)?\}", sub, s(fmt, "format")))


def _concat(*args: Any) -> Any:
    if args and all(isinstance(a, list) for a in args):
        return bounded([x for a in args for x in a])
    return bounded("".join(s(a, "concat") for a in args))


def _take(v: Any, n: Any) -> Any:
    if isinstance(v, (str, list)):
        return v[:max(_n(n, "take"), 0)]
    raise invalid("The template function 'take' expects a string or an array")


def _skip(v: Any, n: Any) -> Any:
    if isinstance(v, (str, list)):
        return v[max(_n(n, "skip"), 0):]
    raise invalid("The template function 'skip' expects a string or an array")


def _union(*args: Any) -> Any:
    if all(isinstance(a, dict) for a in args):
        out: dict[str, Any] = {}
        for a in args:
            out.update(a)
        return out
    if all(isinstance(a, list) for a in args):
        out_l: list[Any] = []
        seen: set[str] = set()  # by value, as JSON: elements may be objects (unhashable)
        for a in args:
            for x in a:
                key = json.dumps(x, sort_keys=True, default=str)
                if key not in seen:
                    seen.add(key)
                    out_l.append(x)
        return bounded(out_l)
    raise invalid("The template function 'union' expects all objects or all arrays")


def _create_object(*args: Any) -> dict[str, Any]:
    if len(args) % 2:
        raise invalid("The template function 'createObject' expects key/value pairs")
    return {s(args[i], "createObject"): args[i + 1] for i in range(0, len(args), 2)}


def _contains(c: Any, v: Any) -> bool:
    if isinstance(c, dict):
        return any(str(k).lower() == str(v).lower() for k in c)
    if isinstance(c, str):
        return s(v, "contains") in c
    if isinstance(c, list):
        return v in c
    raise invalid("The template function 'contains' expects an object, an array or a string")


def _try_get(obj: Any, *keys: Any) -> Any:
    for k in keys:
        if isinstance(obj, dict):
            hit = next((obj[x] for x in obj if str(x).lower() == str(k).lower()), None)
            obj = hit
        elif isinstance(obj, list) and isinstance(k, int) and not isinstance(k, bool):
            obj = obj[k] if 0 <= k < len(obj) else None
        else:
            return None
        if obj is None:
            return None
    return obj


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, (str, list, dict)) and not v)


def _json(text: Any) -> Any:
    try:
        return json.loads(s(text, "json"))
    except json.JSONDecodeError as exc:
        raise invalid(f"The template function 'json' got text that is not JSON: {exc.msg}") from None


def _int(v: Any) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        raise invalid(f"The template function 'int' cannot convert '{v}' to an integer") from None


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.lower() in ("true", "false"):
        return v.lower() == "true"
    if isinstance(v, int):
        return v != 0
    raise invalid(f"The template function 'bool' cannot convert '{v}' to a boolean")


def _div(a: Any, b: Any) -> int:
    if _n(b, "div") == 0:
        raise invalid("The template function 'div' cannot divide by zero")
    q = abs(_n(a, "div")) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _range(start: Any, count: Any) -> list[int]:
    if _n(count, "range") > 10000 or count < 0:
        raise invalid("The template function 'range' count must be between 0 and 10000")
    return list(range(_n(start, "range"), start + count))


def _compare(name: str, op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def f(a: Any, b: Any) -> bool:
        if type(a) is not type(b) or not isinstance(a, (int, str)):
            raise invalid(f"The template function '{name}' expects two integers or two strings")
        return op(a, b)
    return f


def pure_functions() -> dict[str, Callable[..., Any]]:
    """The functions that need nothing but their arguments (lower-case names)."""
    return {
        "concat": _concat, "format": _format,
        "replace": lambda x, a, b: bounded(s(x, "replace").replace(s(a, "replace"), s(b, "replace"))),
        "take": _take, "skip": _skip, "tolower": lambda x: s(x, "toLower").lower(), "toupper": lambda x: s(x, "toUpper").upper(),
        "trim": lambda x: s(x, "trim").strip(), "uniquestring": lambda *a: unique_string(*(s(x, "uniqueString") for x in a)),
        "guid": lambda *a: str(uuid.uuid5(GUID_NAMESPACE, "-".join(s(x, "guid") for x in a))),
        "union": _union, "createobject": _create_object, "createarray": lambda *a: list(a),
        "array": lambda v: v if isinstance(v, list) else [v],
        "string": lambda v: v if isinstance(v, str) else text_of(v), "int": _int, "bool": _bool, "json": _json,
        "length": lambda v: len(v) if isinstance(v, (str, list, dict)) else _n(None, "length"),
        "equals": lambda a, b: a == b, "not": lambda a: not _bool(a),
        "true": lambda: True, "false": lambda: False, "null": lambda: None,
        "empty": _empty, "contains": _contains, "coalesce": lambda *a: next((x for x in a if x is not None), None),
        "tryget": _try_get,
        "split": lambda x, d: s(x, "split").split(s(d, "split")) if isinstance(d, str) else _split_any(x, d),
        "substring": _substring,
        "indexof": lambda x, f: s(x, "indexOf").lower().find(s(f, "indexOf").lower()),
        "lastindexof": lambda x, f: s(x, "lastIndexOf").lower().rfind(s(f, "lastIndexOf").lower()),
        "startswith": lambda x, f: s(x, "startsWith").lower().startswith(s(f, "startsWith").lower()),
        "endswith": lambda x, f: s(x, "endsWith").lower().endswith(s(f, "endsWith").lower()),
        "first": lambda v: (v[0] if v else None) if isinstance(v, (str, list)) else _take(v, 1),
        "last": lambda v: (v[-1] if v else None) if isinstance(v, (str, list)) else _take(v, 1),
        "min": lambda *a: min(_flat(a, "min")), "max": lambda *a: max(_flat(a, "max")),
        "add": lambda a, b: _n(a, "add") + _n(b, "add"), "sub": lambda a, b: _n(a, "sub") - _n(b, "sub"),
        "mul": lambda a, b: _n(a, "mul") * _n(b, "mul"), "div": _div,
        "mod": lambda a, b: _n(a, "mod") - _n(b, "mod") * _div(a, b),
        "greater": _compare("greater", lambda a, b: a > b), "greaterorequals": _compare("greaterOrEquals", lambda a, b: a >= b),
        "less": _compare("less", lambda a, b: a < b), "lessorequals": _compare("lessOrEquals", lambda a, b: a <= b),
        "range": _range, "objectkeys": lambda o: list(o) if isinstance(o, dict) else _n(None, "objectKeys"),
        "padleft": lambda x, n, c=" ": s(x, "padLeft").rjust(_n(n, "padLeft"), s(c, "padLeft")[:1] or " "),
    }


def _split_any(x: Any, delims: Any) -> list[str]:
    if not isinstance(delims, list):
        raise invalid("The template function 'split' expects a string or an array of strings as delimiter")
    parts = [s(x, "split")]
    for d in delims:
        parts = [p for q in parts for p in q.split(s(d, "split"))]
    return parts


def _substring(x: Any, i: Any, n: Any = None) -> str:
    text = s(x, "substring")
    i = _n(i, "substring")
    if i < 0 or i > len(text) or (n is not None and (_n(n, "substring") < 0 or i + n > len(text))):
        raise invalid(f"The index and length of the template function 'substring' must refer to a location within the string '{text}'")
    return text[i:] if n is None else text[i:i + n]


def _flat(args: tuple[Any, ...], fn: str) -> list[int]:
    vals = [x for a in args for x in (a if isinstance(a, list) else [a])]
    if not vals:
        raise invalid(f"The template function '{fn}' needs at least one value")
    return [_n(v, fn) for v in vals]
