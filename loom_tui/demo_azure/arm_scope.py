"""Where a template deploys (:class:`Scope`, with the demo's callbacks), what it plans
(:class:`Planned`) and how resource ids are built (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .arm_errors import invalid


@dataclass
class Planned:
    """One resource the template deploys, fully evaluated."""

    id: str
    type: str
    name: str
    api_version: str
    resource_group: str | None
    body: dict[str, Any]  # location, tags, sku, kind, identity, properties (evaluated)
    depends_on: list[str]
    nested_in: str = ""  # the nested deployment's name, for its inner resources
    subscription_id: str = ""

    def as_doc(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name.split("/")[-1], "type": self.type, **self.body}


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
    # the demo's state, reached only through these (None in the pure tests):
    lookup: Callable[[str], dict[str, Any] | None] | None = None  # an existing resource by id
    runtime_of: Callable[[Planned], dict[str, Any]] | None = None  # a planned resource as Azure would return it
    template_spec: Callable[[str], dict[str, Any] | None] | None = None  # a template spec version by id
    linked: dict[str, Any] = field(default_factory=dict)  # a template spec's linkedTemplates, by relative path

    def runtime(self, p: Planned) -> dict[str, Any]:
        return self.runtime_of(p) if self.runtime_of else p.as_doc()

    def inner(self, subscription_id: str, resource_group: str | None, rg_location: str, deployment_name: str) -> "Scope":
        return Scope(subscription_id, self.tenant_id, self.location, self.subscription_name, resource_group, rg_location,
                     deployment_name, self.cloud, self.storage_suffix, self.lookup, self.runtime_of, self.template_spec, self.linked)


def split_type(rtype: str) -> tuple[str, list[str]]:
    ns, *types = rtype.split("/")
    if not types:
        raise invalid(f"The resource type '{rtype}' is not valid: it must be '<namespace>/<type>'")
    return ns, types


def provider_path(rtype: str, names: list[str]) -> str:
    ns, types = split_type(rtype)
    if len(types) != len(names):
        raise invalid(f"The resource type '{rtype}' needs {len(types)} name segment(s), got {len(names)}")
    return f"providers/{ns}/" + "/".join(f"{t}/{n}" for t, n in zip(types, names))


def id_for(rtype: str, name: str, scope: Scope, rg: str | None, sub: str | None = None) -> str:
    sub = sub or scope.subscription_id
    if rtype.lower() == "microsoft.resources/resourcegroups":
        return f"/subscriptions/{sub}/resourceGroups/{name}"
    path = provider_path(rtype, name.split("/"))
    return f"/subscriptions/{sub}/resourceGroups/{rg}/{path}" if rg else f"/subscriptions/{sub}/{path}"


def extension_id(scope_id: str, rtype: str, name: str) -> str:
    """An extension resource (diagnostic setting, role assignment, lock) on ``scope_id``."""
    return f"{scope_id.rstrip('/')}/{provider_path(rtype, name.split('/'))}"


def scope_target(value: str, scope: Scope, rg: str | None) -> str:
    """The id a resource's ``scope`` names: a full id, or ``Type/name[/type/name]`` in this group."""
    if value.startswith("/"):
        return value.rstrip("/")
    parts = value.strip("/").split("/")
    if len(parts) < 3 or len(parts) % 2 != 1:
        raise invalid(f"The scope '{value}' is not a resource id or '<namespace>/<type>/<name>'")
    ns, rest = parts[0], parts[1:]
    return id_for("/".join([ns, *rest[0::2]]), "/".join(rest[1::2]), scope, rg)


def tail(rid: str) -> str:
    """type and names of an id, lower case, for matching dependsOn (which may be a resourceId or
    a subscriptionResourceId of the same resource)."""
    low = rid.lower()
    if "/providers/" not in low:
        m = re.search(r"/resourcegroups/([^/]+)$", low)
        return f"microsoft.resources/resourcegroups/{m.group(1)}" if m else low
    return low.split("/providers/", 1)[1]  # an extension resource keeps its parent: .../sa/providers/microsoft.insights/...
