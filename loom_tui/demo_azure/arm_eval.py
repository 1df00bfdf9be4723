"""ARM template evaluation for the demo Azure: parameters, variables (and variable loops), the
template functions (``arm_functions``), user-defined functions (Bicep's ``func``), resource
conditions and copy loops, extension resources (``scope``), nested deployments (inner scope,
inline or by template-spec ``templateLink``), ``reference()`` to what the template deploys or
what exists, and the resource ids the template would deploy.

Anything it cannot evaluate (an unknown function, ``list*()``, outer-scope nested templates,
symbolic-name templates) is refused with an ARM-style ``InvalidTemplate`` error — never guessed.
Pure: the demo's state is reached only through the callbacks of :class:`Scope`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .arm_errors import TemplateError, invalid
from .arm_expr import Access, Call, Lit, Parser, is_expression
from .arm_functions import UNSUPPORTED, pure_functions, s
from .arm_scope import Planned, Scope, extension_id, id_for, provider_path, tail

__all__ = ["Context", "Planned", "Scope", "TemplateError", "bind_parameters", "evaluate", "invalid", "is_expression"]


@dataclass
class Registry:
    """What an expansion has planned so far, by lower-case id: ``reference()`` reads it."""

    resources: dict[str, Planned] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # nested deployment id -> its evaluated outputs


@dataclass
class Context:
    scope: Scope
    parameters: dict[str, Any]
    variables_src: dict[str, Any]
    functions_src: list[dict[str, Any]] = field(default_factory=list)
    registry: Registry = field(default_factory=Registry)
    copy: dict[str, int] = field(default_factory=dict)  # loop name -> index ("" = the innermost)
    _variables: dict[str, Any] = field(default_factory=dict)
    _resolving: set[str] = field(default_factory=set)

    def variable(self, name: str) -> Any:
        if name in self._variables:
            return self._variables[name]
        loops = {c.get("name"): c for c in self.variables_src.get("copy") or [] if isinstance(c, dict)}
        if name not in self.variables_src and name not in loops or name == "copy":
            raise invalid(f"The template variable '{name}' is not found. Please see https://aka.ms/arm-syntax-variables for usage details")
        if name in self._resolving:
            raise invalid(f"The template variable '{name}' refers to itself")
        self._resolving.add(name)
        try:
            value = _loop(loops[name], self) if name in loops else evaluate(self.variables_src[name], self)
        finally:
            self._resolving.discard(name)
        self._variables[name] = value
        return value


def _loop(spec: dict[str, Any], ctx: Context) -> list[Any]:
    """A ``copy`` entry (variable or property loop): ``count`` items of ``input``."""
    count = evaluate(spec.get("count"), ctx)
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 800:
        raise invalid(f"The copy count of '{spec.get('name')}' must be an integer from 0 to 800")
    out = []
    for i in range(count):
        inner = Context(ctx.scope, ctx.parameters, ctx.variables_src, ctx.functions_src, ctx.registry,
                        {**ctx.copy, str(spec.get("name")): i, "": i}, ctx._variables, ctx._resolving)
        out.append(evaluate(spec.get("input"), inner))
    return out


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

    def copy_index(*args: Any) -> int:
        name = args[0] if args and isinstance(args[0], str) else ""
        offset = args[-1] if args and isinstance(args[-1], int) and not isinstance(args[-1], bool) else 0
        if name not in ctx.copy:
            raise invalid(f"The template function 'copyIndex' is not expected at this location{f' (no loop named {name!r})' if name else ''}")
        return ctx.copy[name] + offset

    table = pure_functions()
    table.update({
        "parameters": parameters, "variables": ctx.variable, "subscription": subscription, "resourcegroup": resource_group,
        "environment": environment, "copyindex": copy_index, "reference": lambda *a: _reference(ctx, *a),
        "resourceid": lambda *a: _resource_id(ctx, *a), "subscriptionresourceid": lambda *a: _subscription_resource_id(ctx, *a),
        "extensionresourceid": lambda scope_id, rtype, *names: extension_id(s(scope_id, "extensionResourceId"), rtype, "/".join(names)),
        "deployment": lambda: {"name": sc.deployment_name, "properties": {}},
    })
    return table


def _resource_id(ctx: Context, *args: Any) -> str:
    args_s = [s(a, "resourceId") for a in args]
    ti = next((i for i, a in enumerate(args_s) if "/" in a and "." in a.split("/")[0]), None)
    if ti is None:
        raise invalid("The template function 'resourceId' needs a resource type such as 'Microsoft.Network/virtualNetworks'")
    before, rtype, names = args_s[:ti], args_s[ti], args_s[ti + 1:]
    sub, rg = ctx.scope.subscription_id, ctx.scope.resource_group
    if len(before) == 1:
        rg = before[0]
    elif len(before) == 2:
        sub, rg = before
    elif len(before) > 2:
        raise invalid("The template function 'resourceId' takes at most a subscription id and a resource group before the type")
    if rg is None:
        return f"/subscriptions/{sub}/{provider_path(rtype, names)}"
    return f"/subscriptions/{sub}/resourceGroups/{rg}/{provider_path(rtype, names)}"


def _subscription_resource_id(ctx: Context, *args: Any) -> str:
    args_s = [s(a, "subscriptionResourceId") for a in args]
    sub = ctx.scope.subscription_id
    if args_s and "/" not in args_s[0]:
        sub, args_s = args_s[0], args_s[1:]
    if not args_s:
        raise invalid("The template function 'subscriptionResourceId' needs a resource type")
    return f"/subscriptions/{sub}/{provider_path(args_s[0], args_s[1:])}"


def _reference(ctx: Context, target: Any, api: Any = None, full: Any = None) -> Any:
    """A deployment's outputs, or a resource's runtime properties (``'Full'``: the whole body):
    what this template deploys (planned earlier), else what exists."""
    rid = s(target, "reference")
    reg = ctx.registry
    key = rid.lower()
    if not key.startswith("/"):  # a bare name: a resource of this template with that name
        key = next((k for k, p in reg.resources.items() if p.name.split("/")[-1].lower() == key), key)
    is_full = isinstance(full, str) and full.lower() == "full"
    if key in reg.outputs:
        body = {"id": rid, "properties": {"outputs": reg.outputs[key], "provisioningState": "Succeeded"}}
        return body if is_full else body["properties"]
    doc = ctx.scope.runtime(reg.resources[key]) if key in reg.resources else (ctx.scope.lookup(rid) if ctx.scope.lookup else None)
    if doc is None:
        raise invalid(f"The resource '{rid}' is not defined in the template and does not exist (reference())")
    return doc if is_full else (doc.get("properties") or {})


def _call_user(ctx: Context, name: str, args: list[Any]) -> Any:
    ns, _, member = name.partition(".")
    for group in ctx.functions_src:
        if str(group.get("namespace")) == ns and member in (group.get("members") or {}):
            fn = group["members"][member]
            names = [str(p.get("name")) for p in fn.get("parameters") or []]
            if len(names) != len(args):
                raise invalid(f"The function '{name}' takes {len(names)} argument(s), got {len(args)}")
            inner = Context(ctx.scope, dict(zip(names, args)), {}, ctx.functions_src, ctx.registry)
            return evaluate((fn.get("output") or {}).get("value"), inner)
    raise invalid(f"The template function '{name}' is not defined in the template's 'functions'")


def _eval(node: Any, ctx: Context, fns: dict[str, Callable[..., Any]]) -> Any:
    if isinstance(node, Lit):
        return node.value
    if isinstance(node, Access):
        target = _eval(node.target, ctx, fns)
        key = _eval(node.key, ctx, fns)
        try:
            return target[key]
        except (KeyError, IndexError, TypeError):
            raise invalid(f"The language expression property '{key}' doesn't exist, available properties are "
                          f"'{', '.join(target) if isinstance(target, dict) else ''}'") from None
    assert isinstance(node, Call)
    name = node.name.lower()
    if "." in node.name:
        return _call_user(ctx, node.name, [_eval(a, ctx, fns) for a in node.args])
    if name == "if":  # only the branch taken is evaluated
        if len(node.args) != 3:
            raise invalid("The template function 'if' takes a condition and two values")
        return _eval(node.args[1] if _eval(node.args[0], ctx, fns) else node.args[2], ctx, fns)
    if name in ("and", "or"):  # short-circuit
        for a in node.args:
            v = bool(_eval(a, ctx, fns))
            if v == (name == "or"):
                return v
        return name == "and"
    if name in UNSUPPORTED:
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
    """Evaluate every expression in ``value`` (recursively through objects and arrays; a property
    ``copy`` loop expands into its named arrays)."""
    if is_expression(value):
        return _eval(Parser(value[1:-1]).parse(), ctx, _functions(ctx))
    if isinstance(value, str) and value.startswith("[["):
        return value[1:]
    if isinstance(value, dict):
        loops = value.get("copy")
        if isinstance(loops, list) and loops and all(isinstance(c, dict) and {"name", "count", "input"} <= set(c) for c in loops):
            out = {k: evaluate(v, ctx) for k, v in value.items() if k != "copy"}
            out.update({str(c["name"]): _loop(c, ctx) for c in loops})
            return out
        return {k: evaluate(v, ctx) for k, v in value.items()}
    if isinstance(value, list):
        return [evaluate(v, ctx) for v in value]
    return value


# ---------------------------------------------------------------- parameters

_TYPES = {"string": str, "securestring": str, "int": int, "bool": bool, "object": dict, "secureobject": dict, "array": list}


def bind_parameters(template: dict[str, Any], supplied: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """The template's parameter values: supplied (``{name: {value}}``) or defaults, type-checked
    against the declarations (allowedValues, min/maxLength, min/maxValue)."""
    declared = template.get("parameters") or {}
    extra = sorted(set(supplied) - set(declared))
    if extra:
        raise TemplateError("InvalidTemplate", f"Deployment template validation failed: 'The template parameters "
                            f"'{', '.join(extra)}' in the parameters file are not valid; they are not present in the original "
                            "template and can therefore not be provided at deployment time. The only supported parameters for "
                            f"this template are '{', '.join(declared)}'.'.")
    ctx = Context(scope, {}, {}, template.get("functions") or [])
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
        values[name] = check_value(name, decl, value)
    return values


def check_value(name: str, decl: dict[str, Any], value: Any) -> Any:
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
    if want is int:
        if "minValue" in decl and value < decl["minValue"]:
            raise invalid(f"The provided value for the template parameter '{name}' is not valid. The value should be "
                          f"greater than or equal to '{decl['minValue']}'")
        if "maxValue" in decl and value > decl["maxValue"]:
            raise invalid(f"The provided value for the template parameter '{name}' is not valid. The value should be "
                          f"less than or equal to '{decl['maxValue']}'")
    return value


__all__ += ["Registry", "check_value", "id_for", "tail"]
