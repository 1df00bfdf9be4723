"""The DLZs the estate holds, found without loom's records (pure): a resource group named as the
platform names them (``rg-csa-loom-dlz-<domain>-<region>``, ``bootstrap-dlz-rgs.sh``), or tagged
as the platform tags them (``csa-loom-tier=dlz`` with ``csa-loom-domain``; loom's own deployments
tag ``loomDomain``), or a spoke virtual network named ``vnet-csa-loom-dlz-<domain>-<region>``
(network.bicep) in a group that is neither.  Each carries how it was found, and its address space
from the spoke in its group."""

from __future__ import annotations

import re
from typing import Any, Iterable

from .facts import ExistingDlz, NetworkRow

DLZ_RG = re.compile(r"^rg-csa-loom-dlz-(?P<domain>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<region>[a-z0-9]+)$")
DLZ_VNET = re.compile(r"^vnet-csa-loom-dlz-(?P<domain>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<region>[a-z0-9]+)$")
TIER_TAG, DOMAIN_TAGS = "csa-loom-tier", ("csa-loom-domain", "loomDomain")


def _tag(tags: dict[str, Any], *names: str) -> str:
    low = {str(k).lower(): v for k, v in (tags or {}).items()}
    return next((str(low[n.lower()]) for n in names if low.get(n.lower())), "")


def found_dlzs(groups: Iterable[tuple[str, dict[str, Any]]], nets: Iterable[NetworkRow]) -> list[ExistingDlz]:
    """``groups``: (subscription id, resource group as ARM lists it); ``nets``: every spoke."""
    spokes: dict[tuple[str, str], NetworkRow] = {}
    for n in nets:
        spokes.setdefault((n.subscription_id.lower(), n.resource_group.lower()), n)
    out: dict[tuple[str, str], ExistingDlz] = {}
    for sub, g in groups:
        name, tags = str(g.get("name") or ""), g.get("tags") or {}
        m = DLZ_RG.match(name)
        tagged = _tag(tags, TIER_TAG).lower() == "dlz"
        if not m and not tagged:
            continue
        domain = _tag(tags, *DOMAIN_TAGS) or (m["domain"] if m else "")
        if not domain:
            continue
        region = m["region"] if m else str(g.get("location") or "")
        spoke = spokes.get((sub.lower(), name.lower()))
        space = spoke.address_space[0] if spoke and spoke.address_space else ""
        out[(sub.lower(), name.lower())] = ExistingDlz(domain, sub, region, name, space, "deployed",
                                                      "resource group" if m else "tags")
    for (sub, rg), n in spokes.items():
        v = DLZ_VNET.match(n.name)
        if v and (sub, rg) not in out:
            out[(sub, rg)] = ExistingDlz(v["domain"], n.subscription_id, v["region"], n.resource_group,
                                         n.address_space[0] if n.address_space else "", "deployed", "virtual network")
    return list(out.values())
