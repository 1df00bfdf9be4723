"""Expanding a template (:func:`expand`) and its ``resources`` (pure): conditions, copy loops, extension resources and
nested deployments (inline or a template spec's), each resource evaluated into a
:class:`~loom_tui.demo_azure.arm_scope.Planned` in deployment order."""

from __future__ import annotations

from typing import Any

from .arm_errors import invalid
from .arm_eval import Context, Registry, bind_parameters, evaluate
from .arm_scope import Planned, Scope, extension_id, id_for, scope_target, tail

_NOT_EVALUATED = ("existing",)
MAX_RESOURCES = 800  # ARM's limit of resources in one template


def expand_resources(raws: list[Any], ctx: "Context", nested_in: str) -> list[Planned]:

    planned: list[Planned] = []
    declared: set[str] = set()
    raw_deps: list[tuple[str, list[str]]] = []
    for raw in raws:
        if not isinstance(raw, dict):
            raise invalid("Each template resource must be a JSON object")
        for unsupported in _NOT_EVALUATED:
            if unsupported in raw:
                raise invalid(f"The template resource property '{unsupported}' cannot be evaluated by the demo Azure")
        for index_ctx in _iterations(raw, ctx):
            try:
                rtype, name = evaluate(raw["type"], index_ctx), evaluate(raw["name"], index_ctx)
                api = raw["apiVersion"]
            except KeyError as exc:
                raise invalid(f"The template resource is missing the required property '{exc.args[0]}'") from None
            rg, sub = _placement(raw, index_ctx)
            rid = (extension_id(scope_target(evaluate(raw["scope"], index_ctx), index_ctx.scope, rg), rtype, name)
                   if "scope" in raw else id_for(rtype, name, index_ctx.scope, rg, sub))
            declared.add(tail(rid))
            if "condition" in raw and not evaluate(raw["condition"], index_ctx):
                continue  # a resource whose condition is false is not deployed (dependsOn on it is dropped)
            deps = [evaluate(d, index_ctx) for d in raw.get("dependsOn") or []]
            raw_deps.append((str(name), deps))
            body = {k: evaluate(raw[k], index_ctx) for k in ("location", "tags", "sku", "kind", "identity", "zones", "plan")
                    if k in raw}
            if rtype.lower() == "microsoft.resources/deployments":
                planned += _nested(raw, index_ctx, rid, rtype, name, api, rg, sub, body, deps, nested_in)
            else:
                body["properties"] = evaluate(raw.get("properties") or {}, index_ctx)
                p = Planned(rid, rtype, name, api, rg, body, deps, nested_in, sub or index_ctx.scope.subscription_id)
                planned.append(p)
                ctx.registry.resources[rid.lower()] = p
            if len(planned) > MAX_RESOURCES:
                raise invalid(f"The template deploys more than {MAX_RESOURCES} resources")
    for name, deps in raw_deps:
        for d in deps:
            t = tail(d) if "/" in d else None
            if t is None or t not in declared:
                raise invalid(f"The resource '{d}' is not defined in the template (dependsOn of '{name}')")
    return planned


def _iterations(raw: dict[str, Any], ctx: "Context") -> list["Context"]:
    """One context per copy iteration (a resource without ``copy``: just ``ctx``)."""

    spec = raw.get("copy")
    if spec is None:
        return [ctx]
    if not isinstance(spec, dict) or "name" not in spec or "count" not in spec:
        raise invalid("A resource 'copy' must be an object with a 'name' and a 'count'")
    count = evaluate(spec["count"], ctx)
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 800:
        raise invalid(f"The copy count of '{spec['name']}' must be an integer from 0 to 800")
    return [Context(ctx.scope, ctx.parameters, ctx.variables_src, ctx.functions_src, ctx.registry,
                    {**ctx.copy, str(spec["name"]): i, "": i}, ctx._variables, ctx._resolving) for i in range(count)]


def _placement(raw: dict[str, Any], ctx: "Context") -> tuple[str | None, str | None]:

    rg = evaluate(raw["resourceGroup"], ctx) if "resourceGroup" in raw else ctx.scope.resource_group
    sub = evaluate(raw["subscriptionId"], ctx) if "subscriptionId" in raw else None
    if sub is not None and "resourceGroup" not in raw and raw.get("type") != "Microsoft.Resources/deployments":
        rg = None
    return rg, sub


def _nested(raw: dict[str, Any], ctx: "Context", rid: str, rtype: str, name: str, api: str, rg: str | None, sub: str | None,
            body: dict[str, Any], deps: list[str], nested_in: str) -> list[Planned]:

    props = raw.get("properties") or {}
    opts = props.get("expressionEvaluationOptions") or {}
    if str(opts.get("scope", "outer")).lower() != "inner":
        raise invalid(f"The nested deployment '{name}' uses outer-scope evaluation, which the demo Azure does not evaluate; "
                      "set expressionEvaluationOptions.scope to 'inner'")
    template, linked = _template_of(props, ctx, name)
    inner_params = evaluate(props.get("parameters") or {}, ctx)
    target_sub = sub or ctx.scope.subscription_id
    head = Planned(rid, rtype, name, api, rg, {**body, "properties": {"mode": props.get("mode", "Incremental"), "parameters": inner_params}},
                   deps, nested_in, target_sub)
    inner_scope = ctx.scope.inner(target_sub, rg, _rg_location(ctx, rg), name)
    if linked is not None:
        inner_scope.linked = linked
    inner, outputs = expand(template, inner_params, inner_scope, nested_in=name, registry=ctx.registry)
    ctx.registry.outputs[rid.lower()] = outputs
    return [head, *inner]


def _template_of(props: dict[str, Any], ctx: "Context", name: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The nested deployment's template: inline, a template spec version (``templateLink.id``) or
    a linked template of the template spec being expanded (``templateLink.relativePath``)."""

    link = props.get("templateLink")
    if link is None:
        return props.get("template") or {}, None
    link = evaluate(link, ctx)
    if isinstance(link, dict) and link.get("id"):
        version = ctx.scope.template_spec(str(link["id"])) if ctx.scope.template_spec else None
        if version is None:
            raise invalid(f"The template spec version '{link['id']}' of the nested deployment '{name}' was not found")
        vp = version.get("properties") or {}
        return vp.get("mainTemplate") or {}, {str(a.get("path")): a.get("template") for a in vp.get("linkedTemplates") or []}
    if isinstance(link, dict) and link.get("relativePath") and str(link["relativePath"]) in ctx.scope.linked:
        return ctx.scope.linked[str(link["relativePath"])], ctx.scope.linked
    raise invalid(f"A linked template (templateLink uri) of the nested deployment '{name}' cannot be fetched by the demo Azure; "
                  "use a template spec or inline it")


def _rg_location(ctx: "Context", rg: str | None) -> str:
    for p in ctx.registry.resources.values():
        if p.type.lower() == "microsoft.resources/resourcegroups" and p.name == rg:
            return str(p.body.get("location") or ctx.scope.location)
    if rg and ctx.scope.lookup:
        existing = ctx.scope.lookup(f"/subscriptions/{ctx.scope.subscription_id}/resourceGroups/{rg}")
        if existing:
            return str(existing.get("location") or ctx.scope.location)
    return ctx.scope.rg_location if rg == ctx.scope.resource_group and ctx.scope.rg_location else ctx.scope.location


def expand(template: dict[str, Any], supplied: dict[str, Any], scope: Scope, *, nested_in: str = "",
           registry: Registry | None = None) -> tuple[list[Planned], dict[str, Any]]:
    """Every resource the template deploys (conditions applied, loops unrolled, nested inner
    templates expanded, in order) and the evaluated outputs."""
    if not isinstance(template, dict):
        raise invalid("The template must be a JSON object with a 'resources' array")
    if isinstance(template.get("resources"), dict) or template.get("languageVersion"):
        raise invalid("Templates with symbolic resource names (languageVersion 2.0) are not evaluated by the demo Azure; "
                      "compile without them or deploy to a real subscription")
    if not isinstance(template.get("resources"), list):
        raise invalid("The template must be a JSON object with a 'resources' array")
    params = bind_parameters(template, supplied, scope)
    ctx = Context(scope, params, template.get("variables") or {}, template.get("functions") or [], registry or Registry())
    names = [k for k in ctx.variables_src if k != "copy"] + [str(c.get("name")) for c in ctx.variables_src.get("copy") or []
                                                            if isinstance(c, dict)]
    for name in names:
        ctx.variable(name)  # evaluate every variable: an error in an unused one is still an error (as ARM does)
    planned = expand_resources(template["resources"], ctx, nested_in)
    outputs = {}
    for k, decl in (template.get("outputs") or {}).items():
        if "condition" in decl and not evaluate(decl["condition"], ctx):
            continue
        outputs[k] = {"type": decl.get("type", "string"), "value": evaluate(decl.get("value"), ctx)}
    return planned, outputs
