"""ARM template evaluation for the demo Azure: parameters, variables, the template functions the
DLZ template uses, nested deployments (``expressionEvaluationOptions.scope = inner``) and the
resource ids the template would deploy.

Anything it cannot evaluate (an unknown function, ``reference()``, copy loops, conditions that
are not plain booleans, outer-scope nested templates) is refused with an ARM-style
``InvalidTemplate`` error — never guessed.  Pure: no I/O, no server.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from loom_tui.domain.arm_hash import unique_string


class TemplateError(Exception):
    """An ARM error body: code, message, optional details."""

    def __init__(self, code: str, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or []

    def body(self) -> dict[str, Any]:
        err: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            err["details"] = self.details
        return {"error": err}


def invalid(message: str) -> TemplateError:
    return TemplateError("InvalidTemplate", f"Deployment template validation failed: '{message}'.")


# ---------------------------------------------------------------- expression parsing

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[(),.\[\]]))")


def _tokens(text: str) -> list[tuple[str, str]]:
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
class _Call:
    name: str
    args: list[Any]


@dataclass
class _Access:
    target: Any
    key: Any  # a _Lit name (property) or an expression (index)


@dataclass
class _Lit:
    value: Any


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

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

    def expr(self) -> Any:
        kind, val = self.take()
        if kind == "str":
            node: Any = _Lit(val[1:-1].replace("''", "'"))
        elif kind == "num":
            node = _Lit(int(val))
        elif kind == "name":
            self.take("(")
            args = []
            if self.peek() and self.peek()[1] != ")":
                args.append(self.expr())
                while self.peek() and self.peek()[1] == ",":
                    self.take(",")
                    args.append(self.expr())
            self.take(")")
            node = _Call(val, args)
        else:
            raise invalid(f"The template language expression '{self.text}' is not valid: unexpected '{val}'")
        while self.peek() and self.peek()[1] in (".", "["):
            if self.take()[1] == ".":
                node = _Access(node, _Lit(self.take()[1]))
            else:
                key = self.expr()
                self.take("]")
                node = _Access(node, key)
        return node


def is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("[") and value.endswith("]") and not value.startswith("[[")


# ---------------------------------------------------------------- evaluation context


@dataclass
class Scope:
    subscription_id: str
    tenant_id: str
    location: str
    subscription_name: str = ""
    resource_group: str | None = None  # set inside a resource-group deployment
    rg_location: str = ""
    deployment_name: str = ""
    cloud: str = "AzureCloud"
    storage_suffix: str = "core.windows.net"


@dataclass
class Context:
    scope: Scope
    parameters: dict[str, Any]
    variables_src: dict[str, Any]
    _variables: dict[str, Any] = field(default_factory=dict)
    _resolving: set[str] = field(default_factory=set)

    def variable(self, name: str) -> Any:
        if name in self._variables:
            return self._variables[name]
        if name not in self.variables_src:
            raise invalid(f"The template variable '{name}' is not found. Please see https://aka.ms/arm-syntax-variables for usage details")
        if name in self._resolving:
            raise invalid(f"The template variable '{name}' refers to itself")
        self._resolving.add(name)
        try:
            value = evaluate(self.variables_src[name], self)
        finally:
            self._resolving.discard(name)
        self._variables[name] = value
        return value


def _s(v: Any, fn: str) -> str:
    if isinstance(v, bool) or not isinstance(v, (str, int)):
        raise invalid(f"The template function '{fn}' expects string arguments; got {type(v).__name__}")
    return str(v)


def _format(fmt: Any, *args: Any) -> str:
    def sub(m: re.Match[str]) -> str:
        i = int(m.group(1))
        if i >= len(args):
            raise invalid(f"The template function 'format' has no argument {i}")
        a = args[i]
        return json.dumps(a) if isinstance(a, (dict, list)) else ("true" if a is True else "false" if a is False else str(a))

    return re.sub(r"\{(\d+)\}", sub, _s(fmt, "format"))


def _concat(*args: Any) -> Any:
    if args and all(isinstance(a, list) for a in args):
        return [x for a in args for x in a]
    return "".join(_s(a, "concat") for a in args)


def _take(v: Any, n: Any) -> Any:
    if not isinstance(n, int):
        raise invalid("The template function 'take' expects an integer count")
    if isinstance(v, (str, list)):
        return v[:max(n, 0)]
    raise invalid("The template function 'take' expects a string or an array")


def _union(*args: Any) -> Any:
    if all(isinstance(a, dict) for a in args):
        out: dict[str, Any] = {}
        for a in args:
            out.update(a)
        return out
    if all(isinstance(a, list) for a in args):
        out_l: list[Any] = []
        for a in args:
            out_l += [x for x in a if x not in out_l]
        return out_l
    raise invalid("The template function 'union' expects all objects or all arrays")


def _create_object(*args: Any) -> dict[str, Any]:
    if len(args) % 2:
        raise invalid("The template function 'createObject' expects key/value pairs")
    return {_s(args[i], "createObject"): args[i + 1] for i in range(0, len(args), 2)}


def _split_type(rtype: str) -> tuple[str, list[str]]:
    ns, *types = rtype.split("/")
    if not types:
        raise invalid(f"The resource type '{rtype}' is not valid: it must be '<namespace>/<type>'")
    return ns, types


def _provider_path(rtype: str, names: list[str]) -> str:
    ns, types = _split_type(rtype)
    if len(types) != len(names):
        raise invalid(f"The resource type '{rtype}' needs {len(types)} name segment(s), got {len(names)}")
    return f"providers/{ns}/" + "/".join(f"{t}/{n}" for t, n in zip(types, names))


def _resource_id(ctx: Context, *args: Any) -> str:
    args_s = [_s(a, "resourceId") for a in args]
    ti = next((i for i, a in enumerate(args_s) if "/" in a and "." in a.split("/")[0]), None)
    if ti is None:
        raise invalid("The template function 'resourceId' needs a resource type such as 'Microsoft.Network/virtualNetworks'")
    before, rtype, names = args_s[:ti], args_s[ti], args_s[ti + 1:]
    sub = ctx.scope.subscription_id
    rg = ctx.scope.resource_group
    if len(before) == 1:
        rg = before[0]
    elif len(before) == 2:
        sub, rg = before
    elif len(before) > 2:
        raise invalid("The template function 'resourceId' takes at most a subscription id and a resource group before the type")
    if rg is None:
        return f"/subscriptions/{sub}/{_provider_path(rtype, names)}"
    return f"/subscriptions/{sub}/resourceGroups/{rg}/{_provider_path(rtype, names)}"


def _subscription_resource_id(ctx: Context, *args: Any) -> str:
    args_s = [_s(a, "subscriptionResourceId") for a in args]
    sub = ctx.scope.subscription_id
    if args_s and "/" not in args_s[0]:
        sub, args_s = args_s[0], args_s[1:]
    if not args_s:
        raise invalid("The template function 'subscriptionResourceId' needs a resource type")
    return f"/subscriptions/{sub}/{_provider_path(args_s[0], args_s[1:])}"


def _functions(ctx: Context) -> dict[str, Callable[..., Any]]:
    sc = ctx.scope

    def parameters(name: Any) -> Any:
        if name not in ctx.parameters:
            raise invalid(f"The template parameter '{name}' is not found. Please see https://aka.ms/arm-syntax-parameters for usage details")
        return ctx.parameters[name]

    def subscription() -> dict[str, Any]:
        return {"id": f"/subscriptions/{sc.subscription_id}", "subscriptionId": sc.subscription_id,
                "tenantId": sc.tenant_id, "displayName": sc.subscription_name}

    def resource_group() -> dict[str, Any]:
        if sc.resource_group is None:
            raise invalid("The template function 'resourceGroup' is not expected at this location: "
                          "a subscription-scope template has no resource group")
        return {"id": f"/subscriptions/{sc.subscription_id}/resourceGroups/{sc.resource_group}", "name": sc.resource_group,
                "location": sc.rg_location, "type": "Microsoft.Resources/resourceGroups", "properties": {"provisioningState": "Succeeded"}}

    def environment() -> dict[str, Any]:
        return {"name": sc.cloud, "suffixes": {"storage": sc.storage_suffix}}

    return {
        "parameters": parameters,
        "variables": ctx.variable,
        "concat": _concat,
        "format": _format,
        "replace": lambda s, a, b: _s(s, "replace").replace(_s(a, "replace"), _s(b, "replace")),
        "take": _take,
        "tolower": lambda s: _s(s, "toLower").lower(),
        "toupper": lambda s: _s(s, "toUpper").upper(),
        "uniquestring": lambda *a: unique_string(*(_s(x, "uniqueString") for x in a)),
        "resourceid": lambda *a: _resource_id(ctx, *a),
        "subscriptionresourceid": lambda *a: _subscription_resource_id(ctx, *a),
        "subscription": subscription,
        "resourcegroup": resource_group,
        "environment": environment,
        "union": _union,
        "createobject": _create_object,
        "createarray": lambda *a: list(a),
        "string": lambda v: v if isinstance(v, str) else json.dumps(v),
        "length": lambda v: len(v),
        "equals": lambda a, b: a == b,
        "not": lambda a: not a,
        "and": lambda *a: all(a),
        "or": lambda *a: any(a),
        "if": lambda c, a, b: a if c else b,
        "true": lambda: True,
        "false": lambda: False,
        "empty": lambda v: not v,
        "contains": lambda c, v: v in c,
        "split": lambda s, d: _s(s, "split").split(_s(d, "split")),
        "substring": lambda s, i, n=None: _s(s, "substring")[i:] if n is None else _s(s, "substring")[i:i + n],
    }


# reference() and friends read live state at deploy time: the demo Azure does not pretend to
_UNSUPPORTED = {"reference", "list", "listkeys", "listsecrets", "listaccountsas", "pickzones", "newguid", "utcnow",
                "guid", "copyindex", "deployment", "managementgroup", "tenant", "extensionresourceid"}


def _eval(node: Any, ctx: Context, fns: dict[str, Callable[..., Any]]) -> Any:
    if isinstance(node, _Lit):
        return node.value
    if isinstance(node, _Access):
        target = _eval(node.target, ctx, fns)
        key = _eval(node.key, ctx, fns)
        try:
            return target[key]
        except (KeyError, IndexError, TypeError):
            raise invalid(f"The language expression property '{key}' doesn't exist, available properties are "
                          f"'{', '.join(target) if isinstance(target, dict) else ''}'") from None
    name = node.name.lower()
    if name in _UNSUPPORTED:
        raise invalid(f"The template function '{node.name}' cannot be evaluated by the demo Azure (it reads live state or "
                      "is not deterministic); deploy this template to a real subscription")
    fn = fns.get(name)
    if fn is None:
        raise invalid(f"The template function '{node.name}' is not valid. Please see https://aka.ms/arm-functions for usage details")
    args = [_eval(a, ctx, fns) for a in node.args]
    try:
        return fn(*args)
    except TemplateError:
        raise
    except TypeError as exc:
        raise invalid(f"The template function '{node.name}' was called with the wrong arguments: {exc}") from None


def evaluate(value: Any, ctx: Context) -> Any:
    """Evaluate every expression in ``value`` (recursively through objects and arrays)."""
    if is_expression(value):
        return _eval(_Parser(value[1:-1]).parse(), ctx, _functions(ctx))
    if isinstance(value, str) and value.startswith("[["):
        return value[1:]
    if isinstance(value, dict):
        return {k: evaluate(v, ctx) for k, v in value.items()}
    if isinstance(value, list):
        return [evaluate(v, ctx) for v in value]
    return value


# ---------------------------------------------------------------- parameters


_TYPES = {"string": str, "securestring": str, "int": int, "bool": bool, "object": dict, "secureobject": dict, "array": list}


def bind_parameters(template: dict[str, Any], supplied: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """The template's parameter values: supplied (``{name: {value}}``) or defaults, type-checked
    against the declarations (allowedValues, min/maxLength)."""
    declared = template.get("parameters") or {}
    extra = sorted(set(supplied) - set(declared))
    if extra:
        raise TemplateError("InvalidTemplate", f"Deployment template validation failed: 'The template parameters "
                            f"'{', '.join(extra)}' in the parameters file are not valid; they are not present in the original "
                            "template and can therefore not be provided at deployment time. The only supported parameters for "
                            f"this template are '{', '.join(declared)}'.'.")
    ctx = Context(scope, {}, {})
    values: dict[str, Any] = {}
    for name, decl in declared.items():
        if name in supplied:
            entry = supplied[name]
            if not isinstance(entry, dict) or "value" not in entry:
                raise invalid(f"The value for the template parameter '{name}' must be an object with a 'value'")
            value = entry["value"]
        elif "defaultValue" in decl:
            ctx.parameters = values
            value = evaluate(decl["defaultValue"], ctx)
        else:
            raise TemplateError("InvalidTemplate", f"Deployment template validation failed: 'The value for the template "
                                f"parameter '{name}' was not provided. Please see https://aka.ms/arm-create-parameter-file for usage details.'.")
        want = _TYPES.get(str(decl.get("type", "")).lower())
        if want is None:
            raise invalid(f"The template parameter '{name}' has an unknown type '{decl.get('type')}'")
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            raise invalid(f"The provided value for the template parameter '{name}' is not valid. Expected a value of type "
                          f"'{decl.get('type')}', but received a value of type '{type(value).__name__}'")
        allowed = decl.get("allowedValues")
        if allowed is not None and value not in allowed:
            raise invalid(f"The provided value '{value}' for the template parameter '{name}' is not valid. The parameter value "
                          f"is not part of the allowed value(s): '{','.join(map(str, allowed))}'")
        if isinstance(value, (str, list)):
            if "minLength" in decl and len(value) < decl["minLength"]:
                raise invalid(f"The provided value for the template parameter '{name}' is not valid. Length of the value "
                              f"should be greater than or equal to '{decl['minLength']}'")
            if "maxLength" in decl and len(value) > decl["maxLength"]:
                raise invalid(f"The provided value for the template parameter '{name}' is not valid. Length of the value "
                              f"should be less than or equal to '{decl['maxLength']}'")
        values[name] = value
    return values


# ---------------------------------------------------------------- expansion


@dataclass
class Planned:
    """One resource the template deploys, fully evaluated."""

    id: str
    type: str
    name: str
    api_version: str
    resource_group: str | None
    body: dict[str, Any]  # location, tags, sku, kind, properties (evaluated)
    depends_on: list[str]
    nested_in: str = ""  # the nested deployment's name, for its inner resources


def _id_for(rtype: str, name: str, scope: Scope, rg: str | None) -> str:
    names = name.split("/")
    if rtype.lower() == "microsoft.resources/resourcegroups":
        return f"/subscriptions/{scope.subscription_id}/resourceGroups/{name}"
    path = _provider_path(rtype, names)
    if rg:
        return f"/subscriptions/{scope.subscription_id}/resourceGroups/{rg}/{path}"
    return f"/subscriptions/{scope.subscription_id}/{path}"


def _tail(rid: str) -> str:
    """type and names of an id, lower case, for matching dependsOn (which may be a resourceId or
    a subscriptionResourceId of the same resource)."""
    low = rid.lower()
    if "/providers/" not in low:
        m = re.search(r"/resourcegroups/([^/]+)$", low)
        return f"microsoft.resources/resourcegroups/{m.group(1)}" if m else low
    return low.rsplit("/providers/", 1)[1]


def expand(template: dict[str, Any], supplied: dict[str, Any], scope: Scope, *, nested_in: str = "") -> tuple[list[Planned], dict[str, Any]]:
    """Every resource the template deploys (nested inner templates expanded, in order) and the
    evaluated outputs."""
    if not isinstance(template, dict) or not isinstance(template.get("resources"), list):
        raise invalid("The template must be a JSON object with a 'resources' array")
    params = bind_parameters(template, supplied, scope)
    ctx = Context(scope, params, template.get("variables") or {})
    for name in ctx.variables_src:
        ctx.variable(name)  # evaluate every variable: an error in an unused one is still an error (as ARM does)
    planned: list[Planned] = []
    declared_tails: list[str] = []
    raw_deps: list[tuple[str, list[str]]] = []
    for raw in template["resources"]:
        if not isinstance(raw, dict):
            raise invalid("Each template resource must be a JSON object")
        for unsupported in ("copy", "condition", "scope", "existing"):
            if unsupported in raw:
                raise invalid(f"The template resource property '{unsupported}' cannot be evaluated by the demo Azure")
        try:
            rtype, name, api = evaluate(raw["type"], ctx), evaluate(raw["name"], ctx), raw["apiVersion"]
        except KeyError as exc:
            raise invalid(f"The template resource is missing the required property '{exc.args[0]}'") from None
        rg = evaluate(raw["resourceGroup"], ctx) if "resourceGroup" in raw else scope.resource_group
        rid = _id_for(rtype, name, scope, rg)
        body = {k: evaluate(raw[k], ctx) for k in ("location", "tags", "sku", "kind", "identity") if k in raw}
        deps = [evaluate(d, ctx) for d in raw.get("dependsOn") or []]
        declared_tails.append(_tail(rid))
        raw_deps.append((name, deps))
        if rtype.lower() == "microsoft.resources/deployments":
            props = raw.get("properties") or {}
            opts = props.get("expressionEvaluationOptions") or {}
            if "templateLink" in props:
                raise invalid("A linked template (templateLink) cannot be fetched by the demo Azure; inline it")
            if str(opts.get("scope", "outer")).lower() != "inner":
                raise invalid(f"The nested deployment '{name}' uses outer-scope evaluation, which the demo Azure does not evaluate; "
                              "set expressionEvaluationOptions.scope to 'inner'")
            inner_params = evaluate(props.get("parameters") or {}, ctx)
            planned.append(Planned(rid, rtype, name, api, rg, {**body, "properties": {"mode": props.get("mode", "Incremental")}}, deps,
                                   nested_in))
            inner_scope = Scope(scope.subscription_id, scope.tenant_id, scope.location, scope.subscription_name, rg,
                                _rg_location(planned, scope, rg), name, scope.cloud, scope.storage_suffix)
            inner, _ = expand(props.get("template") or {}, inner_params, inner_scope, nested_in=name)
            planned.extend(inner)
        else:
            body["properties"] = evaluate(raw.get("properties") or {}, ctx)
            planned.append(Planned(rid, rtype, name, api, rg, body, deps, nested_in))
    for name, deps in raw_deps:
        for d in deps:
            t = _tail(d) if "/" in d else None
            if t is None or t not in declared_tails:
                raise invalid(f"The resource '{d}' is not defined in the template (dependsOn of '{name}')")
    outputs = {}
    for k, decl in (template.get("outputs") or {}).items():
        outputs[k] = {"type": decl.get("type", "string"), "value": evaluate(decl.get("value"), ctx)}
    return planned, outputs


def _rg_location(planned: list[Planned], scope: Scope, rg: str | None) -> str:
    for p in planned:
        if p.type.lower() == "microsoft.resources/resourcegroups" and p.name == rg:
            return str(p.body.get("location") or scope.location)
    return scope.location
