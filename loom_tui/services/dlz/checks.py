"""Every answer's validation, one function per wizard step (pure: answers + facts in, problems out)."""

from __future__ import annotations

from typing import Callable

from loom_tui.domain.boundary import Boundary, find_boundary
from loom_tui.domain.cidr import CidrError, check_spoke
from loom_tui.domain.dlz import MODES, DlzAnswers, Problem
from loom_tui.domain.dlz_names import derive_names, domain_problem, names_problems
from loom_tui.domain.fabric_skus import SKU_NAMES, find_sku

from .facts import DeployFacts


def boundary_of(a: DlzAnswers, facts: DeployFacts) -> Boundary | None:
    return find_boundary(a.boundary, facts.profile_cloud)


def check_boundary(a: DlzAnswers, facts: DeployFacts) -> list[Problem]:
    if not a.boundary:
        return [Problem("boundary", "choose a boundary")]
    b = boundary_of(a, facts)
    if b is None:
        return [Problem("boundary", f"unknown boundary {a.boundary!r}; one of commercial, gcc, gcc-high, il5")]
    if b.cloud != facts.profile_cloud:
        return [Problem("boundary", f"{b.label} deploys to {b.cloud}, but this profile signs in to {facts.profile_cloud}; "
                                    f"use a profile for {b.cloud}")]
    return []


def check_mode(a: DlzAnswers, facts: DeployFacts) -> list[Problem]:
    if a.mode not in MODES:
        return [Problem("mode", "choose single-sub or multi-sub" if not a.mode else f"unknown mode {a.mode!r}; single-sub or multi-sub")]
    return []


def check_subscription(a: DlzAnswers, facts: DeployFacts) -> list[Problem]:
    out: list[Problem] = []
    sub = a.subscription_id.strip().lower()
    known = {s.subscription_id.lower(): s for s in facts.subscriptions}
    if not sub:
        out.append(Problem("subscription_id", "choose a subscription"))
    elif sub not in known:
        out.append(Problem("subscription_id", f"{a.subscription_id} is not among the {len(known)} subscriptions this identity can see"))
    elif known[sub].state.lower() not in ("enabled", ""):
        out.append(Problem("subscription_id", f"{a.subscription_id} is {known[sub].state}; a deployment needs an enabled subscription"))
    elif a.mode == "single-sub":
        if facts.admin_subscription_id and sub != facts.admin_subscription_id.lower():
            out.append(Problem("subscription_id", f"single-sub puts the DLZ next to the Admin Plane: choose its subscription "
                                                  f"{facts.admin_subscription_id}, or multi-sub"))
        elif [d for d in facts.others(a.domain, a.subscription_id, a.region) if d.subscription_id.lower() == sub]:
            other = next(d for d in facts.others(a.domain, a.subscription_id, a.region) if d.subscription_id.lower() == sub)
            out.append(Problem("subscription_id", f"single-sub allows one DLZ next to the Admin Plane and {other.domain!r} is there; "
                                                  "use multi-sub"))
    elif a.mode == "multi-sub":
        if facts.admin_subscription_id and sub == facts.admin_subscription_id.lower():
            out.append(Problem("subscription_id", "multi-sub puts the DLZ in its own subscription, not the Admin Plane's"))
        else:
            holder = next((d for d in facts.others(a.domain, a.subscription_id, a.region) if d.subscription_id.lower() == sub), None)
            if holder is not None:
                out.append(Problem("subscription_id", f"subscription {a.subscription_id} already holds the DLZ {holder.domain!r}"))
    if not a.region:
        out.append(Problem("region", "choose a region"))
    elif sub in known:
        regions = facts.regions_of(known[sub].subscription_id)
        if not regions:
            out.append(Problem("region", "the regions of this subscription could not be read"))
        elif a.region not in regions:
            out.append(Problem("region", f"{a.region} is not a region of this subscription in {facts.profile_cloud}"))
    return out


def check_domain(a: DlzAnswers, facts: DeployFacts) -> list[Problem]:
    taken = facts.dlz_domains()
    if facts.resuming(a.domain, a.subscription_id, a.region):
        taken = taken - {a.domain}
    why = domain_problem(a.domain, taken)
    if why is None and a.domain in facts.draft_domains:
        whose = facts.draft_owners.get(a.domain, "")
        why = (f"another draft already deploys domain {a.domain!r}; resume that draft" if whose in ("", "your")
               else f"{whose} draft already deploys domain {a.domain!r}; choose another domain or ask them")
    if why:
        return [Problem("domain", why)]
    return [Problem("domain", m) for m in names_problems(derive_names(a.domain, a.region or "region", a.subscription_id or "-"))]


def check_capacity(a: DlzAnswers, facts: DeployFacts) -> list[Problem]:
    if find_sku(a.capacity_sku) is None:
        what = "choose a Fabric SKU" if not a.capacity_sku else f"unknown Fabric SKU {a.capacity_sku!r}"
        return [Problem("capacity_sku", f"{what}; one of {', '.join(SKU_NAMES)}")]
    return []


def check_network(a: DlzAnswers, facts: DeployFacts) -> list[Problem]:
    out = []
    if facts.hub is None:
        out.append(Problem("address_space", "the hub network could not be read, so overlaps cannot be checked"))
    own = facts.resuming(a.domain, a.subscription_id, a.region)
    if own is not None:  # resuming: its own spoke (and record) are not a clash
        names = derive_names(a.domain, a.region, a.subscription_id)
        taken = facts.taken_except(f"/resourcegroups/{names.resource_group}/providers/microsoft.network/virtualnetworks/{names.vnet}".lower(), a.domain)
    else:
        taken = facts.taken()
    try:
        check_spoke(a.address_space, taken)
    except CidrError as exc:
        out.append(Problem("address_space", str(exc)))
    return out


def check_permissions(a: DlzAnswers, facts: DeployFacts) -> list[Problem]:
    rep = facts.permissions
    if rep is None:
        return [Problem("permissions", "not checked yet")]
    if rep.error:
        return [Problem("permissions", f"the check failed: {rep.error}")]
    if rep.subscription_id.lower() != a.subscription_id.lower():
        return [Problem("permissions", "checked for another subscription; check again")]
    return [Problem("permissions", f"missing {c.role} on {c.scope}") for c in rep.missing]


# the answer steps, in order; what `loom dlz plan` validates
ANSWER_CHECKS: dict[str, Callable[[DlzAnswers, DeployFacts], list[Problem]]] = {
    "boundary": check_boundary,
    "mode": check_mode,
    "subscription": check_subscription,
    "domain": check_domain,
    "capacity": check_capacity,
    "network": check_network,
}


def all_answer_problems(a: DlzAnswers, facts: DeployFacts) -> list[Problem]:
    out: list[Problem] = []
    for check in ANSWER_CHECKS.values():
        out += check(a, facts)
    return out
