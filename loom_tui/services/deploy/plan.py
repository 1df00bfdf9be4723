"""The plan: every parameter of a DLZ deployment, built from valid answers and the estate."""

from __future__ import annotations

import hashlib
import json

from loom_tui.domain.boundary import find_boundary
from loom_tui.domain.cidr import next_free, parse_cidr, subnet_plan
from loom_tui.domain.dlz import DlzAnswers, DlzPlan, PlannedSubnet
from loom_tui.domain.dlz_names import derive_names
from loom_tui.domain.dns_zones import dlz_dns_zones
from loom_tui.domain.fabric_skus import find_sku
from loom_tui.errors import ValidationError

from .checks import all_answer_problems
from .facts import DeployFacts


class PlanRefused(ValidationError):
    """Answers that cannot make a plan; ``problems`` names each bad answer."""

    def __init__(self, problems: list) -> None:
        super().__init__(problems[0].field if problems else "answers", "; ".join(str(p) for p in problems))
        self.problems = problems


def propose_address_space(facts: DeployFacts) -> str:
    net = next_free(facts.taken())
    return str(net) if net else ""


def build_plan(a: DlzAnswers, facts: DeployFacts) -> DlzPlan:
    problems = all_answer_problems(a, facts)
    if problems:
        raise PlanRefused(problems)
    b = find_boundary(a.boundary, facts.profile_cloud)
    assert b is not None
    sub = next(s.subscription_id for s in facts.subscriptions if s.subscription_id.lower() == a.subscription_id.lower())
    names = derive_names(a.domain, a.region, sub)
    space = parse_cidr(a.address_space)
    # the zones live in the hub: the regional ones carry the hub's region
    zones = dlz_dns_zones(facts.profile_cloud, (facts.hub.location if facts.hub and facts.hub.location else a.region), facts.storage_suffix)
    tags = {**b.compliance_tags}
    return DlzPlan(
        tenant_id=facts.tenant_id,
        boundary=b.key,
        boundary_label=b.label,
        cloud=b.cloud,
        mode=a.mode,
        subscription_id=sub,
        region=a.region,
        domain=a.domain,
        capacity_sku=find_sku(a.capacity_sku).name,  # type: ignore[union-attr]
        address_space=str(space),
        resource_group=names.resource_group,
        vnet=names.vnet,
        storage_account=names.storage_account,
        key_vault=names.key_vault,
        capacity=names.capacity,
        deployment_name=names.deployment,
        container_platform=b.container_platform,
        subnets=tuple(PlannedSubnet(s.name, s.cidr, s.purpose) for s in subnet_plan(space)),
        tags=tags,
        capacity_admins=tuple(facts.capacity_admins),
        hub_vnet_id=facts.hub.id if facts.hub else "",
        hub_address_space=", ".join(facts.hub.address_space) if facts.hub else "",
        dns_zones=tuple(z for _, z in zones if z),
        dns_zones_missing=tuple(k for k, z in zones if not z),
    )


def plan_digest(plan: DlzPlan) -> str:
    """Changes when any parameter changes: a validation is only good for the plan it checked."""
    body = json.dumps({"p": plan.template_parameters(), "sub": plan.subscription_id}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()[:16]
