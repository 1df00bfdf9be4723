"""Every parameter the template declares, with its value and where the value came from.

Derived ones are read from the estate (the hub, the Admin Plane's Log Analytics workspace, the
console identity, the ADX cluster, the hub's private DNS zones) or follow from the wizard's
answers (region, boundary, domain, address space, compliance tags); the rest are asked (the
answers file's ``[parameters]`` table, the wizard's Template step) or keep the template's
default.  Every value is checked against the template's own declaration (type, allowed values,
lengths, bounds)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from loom_tui.domain.boundary import Boundary
from loom_tui.domain.dlz import DlzAnswers, Problem
from loom_tui.domain.dns_zones import platform_scalar_zone, platform_zone_names

from .facts import DeployFacts

# loom's boundary keys as the platform spells them (landing-zone main.bicep @allowed)
PLATFORM_BOUNDARY = {"commercial": "Commercial", "gcc": "GCC", "gcc-high": "GCC-High", "il5": "IL5"}
_TYPES = {"string": str, "securestring": str, "int": int, "bool": bool, "object": dict, "secureobject": dict, "array": list}


@dataclass(frozen=True)
class ParamValue:
    name: str
    type: str
    value: Any
    source: str  # "read: …", "answer: …", "boundary …", "asked", "template default", "missing"
    required: bool  # declared without a default
    description: str = ""
    allowed: tuple[Any, ...] | None = None

    @property
    def asked(self) -> bool:
        return not (self.source.startswith("read") or self.source.startswith("answer") or self.source.startswith("boundary"))

    @property
    def has_value(self) -> bool:
        return self.source != "missing"


@dataclass
class Inputs:
    answers: DlzAnswers
    facts: DeployFacts
    boundary: Boundary
    subscription_id: str
    storage_account: str = ""


def _hub(i: Inputs) -> tuple[Any, str] | None:
    h = i.facts.hub
    return (h.id, f"read: hub VNet {h.name} ({h.resource_group})") if h else None


def _law(i: Inputs) -> tuple[Any, str] | None:
    a = i.facts.admin
    return (a.law_id, f"read: Log Analytics workspace {a.law_id.rsplit('/', 1)[-1]}") if a and a.law_id else None


def _zones(i: Inputs) -> tuple[Any, str] | None:
    a = i.facts.admin
    if not a:
        return None
    names = platform_zone_names(i.facts.profile_cloud, i.facts.storage_suffix)
    got = {k: a.zones[n.lower()] for k, n in names.items() if n.lower() in a.zones}
    return got, f"read: {len(got)} private DNS zones of the hub's resource group ({', '.join(sorted(got)) or 'none'})"


def _zone(param: str) -> Callable[[Inputs], tuple[Any, str] | None]:
    def f(i: Inputs) -> tuple[Any, str] | None:
        name = platform_scalar_zone(param, i.facts.profile_cloud)
        a = i.facts.admin
        if not name or not a or name.lower() not in a.zones:
            return None
        return a.zones[name.lower()], f"read: private DNS zone {name}"
    return f


def _ident(which: str, attr: str) -> Callable[[Inputs], tuple[Any, str] | None]:
    def f(i: Inputs) -> tuple[Any, str] | None:
        ident = getattr(i.facts.admin, which, None) if i.facts.admin else None
        value = getattr(ident, attr, "") if ident else ""
        return (value, f"read: {which} identity {ident.name}") if ident and value else None
    return f


def _adx_rg(i: Inputs) -> tuple[Any, str] | None:
    a = i.facts.admin
    return (a.adx_rg, f"read: ADX cluster {a.adx.name}") if a and a.adx and a.adx_rg else None


def _boundary(i: Inputs) -> tuple[Any, str] | None:
    v = PLATFORM_BOUNDARY.get(i.boundary.key)
    return (v, f"answer: boundary ({i.boundary.label})") if v else None


def _cmk(i: Inputs) -> tuple[Any, str]:
    return (i.boundary.key == "il5", "boundary IL5 requires customer-managed keys" if i.boundary.key == "il5"
            else f"boundary {i.boundary.label}: service-managed keys")


DERIVED: dict[str, Callable[[Inputs], tuple[Any, str] | None]] = {
    "location": lambda i: (i.answers.region, "answer: region"),
    "boundary": _boundary,
    "domainName": lambda i: (i.answers.domain, "answer: domain"),
    "domain": lambda i: (i.answers.domain, "answer: domain"),
    "containerPlatform": lambda i: (i.boundary.container_platform, f"boundary {i.boundary.label}"),
    "capacitySku": lambda i: (i.answers.capacity_sku, "answer: Fabric capacity (a recorded sizing)"),
    "spokeVnetCidr": lambda i: (i.answers.address_space, "answer: network (the next free /16 was proposed)"),
    "addressSpace": lambda i: (i.answers.address_space, "answer: network"),
    "complianceTags": lambda i: (dict(i.boundary.compliance_tags), f"boundary {i.boundary.label}"),
    "loomTenantId": lambda i: (i.facts.tenant_id, "read: the signed-in tenant"),
    "adminPlaneHubVnetId": _hub,
    "adminPlaneLawId": _law,
    "adminPlanePrivateDnsZoneIds": _zones,
    "synapseSqlPrivateDnsZoneId": _zone("synapseSqlPrivateDnsZoneId"),
    "adfPrivateDnsZoneId": _zone("adfPrivateDnsZoneId"),
    "consolePrincipalId": _ident("console", "principal_id"),
    "consoleUamiName": _ident("console", "name"),
    "consoleUamiAppId": _ident("console", "client_id"),
    "activatorPrincipalId": _ident("activator", "principal_id"),
    "adminPlaneAdxClusterName": _ident("adx", "name"),
    "adxClusterPrincipalId": _ident("adx", "principal_id"),
    "adminPlaneAdxClusterRgName": _adx_rg,
    "storageRequireCmk": _cmk,
}
# what the platform's dlz-attach.bicepparam asks the operator for: named as asked, even with a default
ASKED = ("adminEntraGroupId", "catalogEndpoint", "powerBiSku", "databricksUnityCatalogEnabled", "databricksSqlWarehouseEnabled")
# the values dlz-attach.bicepparam sets for them (proposed, still asked: the operator may change each)
PROPOSED = {"catalogEndpoint": "", "powerBiSku": "F64", "databricksUnityCatalogEnabled": True, "databricksSqlWarehouseEnabled": True}


def value_problem(name: str, decl: dict[str, Any], value: Any) -> str | None:
    """Why ``value`` does not fit the declaration (ARM's own checks), or None."""
    want = _TYPES.get(str(decl.get("type", "")).lower())
    if want is None:
        return f"{name}: the template declares an unknown type {decl.get('type')!r}"
    if not isinstance(value, want) or (want is int and isinstance(value, bool)):
        return f"{name}: must be of type {decl.get('type')} (got {type(value).__name__})"
    allowed = decl.get("allowedValues")
    if allowed is not None and value not in allowed:
        return f"{name}: {value!r} is not one of the template's allowed values: {', '.join(map(str, allowed))}"
    if isinstance(value, (str, list)):
        if "minLength" in decl and len(value) < decl["minLength"]:
            return f"{name}: at least {decl['minLength']} long"
        if "maxLength" in decl and len(value) > decl["maxLength"]:
            return f"{name}: at most {decl['maxLength']} long"
    if want is int and ("minValue" in decl and value < decl["minValue"] or "maxValue" in decl and value > decl["maxValue"]):
        return f"{name}: must be between {decl.get('minValue', '-∞')} and {decl.get('maxValue', '∞')}"
    return None


def resolve(declared: dict[str, Any], inputs: Inputs) -> tuple[list[ParamValue], list[Problem]]:
    """Each declared parameter's value and source, and what is wrong (missing, or refused by its
    declaration)."""
    out: list[ParamValue] = []
    problems: list[Problem] = []
    given = inputs.answers.parameters or {}
    for name, decl in declared.items():
        decl = decl if isinstance(decl, dict) else {}
        required = "defaultValue" not in decl
        desc = str((decl.get("metadata") or {}).get("description") or "")
        allowed = tuple(decl["allowedValues"]) if isinstance(decl.get("allowedValues"), list) else None
        derive = DERIVED.get(name)
        got = derive(inputs) if derive is not None and name not in given else None
        if name in given:
            value, source = given[name], "asked"
        elif got is not None:
            value, source = got
        elif name in PROPOSED:
            value, source = PROPOSED[name], "proposed (asked): the platform's dlz-attach.bicepparam"
        elif not required:
            value, source = decl.get("defaultValue"), "template default"
        else:
            value, source = None, "missing"
        if source == "missing":
            what = f"read from the estate, but nothing was found ({_where(name)})" if derive is not None else "asked"
            problems.append(Problem("parameters", f"{name}: the template needs a value ({decl.get('type')}"
                                                  f"{': ' + desc if desc else ''}); it is {what}"))
        elif source != "template default" or name in given:
            why = value_problem(name, decl, value)
            if why:
                problems.append(Problem("parameters", why))
        out.append(ParamValue(name, str(decl.get("type") or ""), value, source, required, desc, allowed))
    if inputs.boundary.key == "il5" and any(p.name == "storageRequireCmk" for p in out):
        for key in ("storageCmkKeyUri", "storageCmkIdentityId"):
            if key in declared and not given.get(key):
                problems.append(Problem("parameters", f"{key}: IL5 requires customer-managed keys; give the key's URI and the "
                                                      "identity that may use it"))
    return out, problems


def _where(name: str) -> str:
    return {"adminPlaneLawId": "no Log Analytics workspace in the Admin Plane resource group",
            "adminPlaneHubVnetId": "no hub network", "adminPlaneAdxClusterRgName": "no ADX cluster in the Admin Plane",
            "boundary": "this boundary is not one the template allows"}.get(name, "not found in the Admin Plane")


def is_asked(p: ParamValue) -> bool:
    """Shown as a question: not derived, and either required or one the platform asks for."""
    return p.asked and (p.required or p.name in ASKED)


def parse_assignment(text: str, declared: dict[str, Any]) -> tuple[str, Any]:
    """``name = value`` as the wizard's prompt takes it: the value read as the declaration's type
    (true/false, an integer, JSON for objects and arrays, text otherwise); an empty value means
    "not given" (None).  :class:`ValidationError` names what is wrong."""
    import json

    from loom_tui.errors import ValidationError

    name, sep, raw = (text or "").partition("=")
    name, raw = name.strip(), raw.strip()
    if not sep or not name:
        raise ValidationError("parameter", "write it as name = value")
    decl = declared.get(name)
    if not isinstance(decl, dict):
        near = ", ".join(k for k in declared if k.lower().startswith(name[:3].lower()))[:200]
        raise ValidationError("parameter", f"the template declares no parameter {name!r}" + (f" (did you mean {near}?)" if near else ""))
    if raw == "":
        return name, None
    kind = str(decl.get("type") or "").lower()
    try:
        if kind == "bool":
            if raw.lower() not in ("true", "false"):
                raise ValueError("true or false")
            value: Any = raw.lower() == "true"
        elif kind == "int":
            value = int(raw)
        elif kind in ("object", "secureobject", "array"):
            value = json.loads(raw)
        else:
            value = json.loads(raw) if raw.startswith('"') else raw
    except (ValueError, json.JSONDecodeError) as exc:
        raise ValidationError("parameter", f"{name} is {kind}: {exc}") from None
    why = value_problem(name, decl, value)
    if why:
        raise ValidationError("parameter", why)
    return name, value
