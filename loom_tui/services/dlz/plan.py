"""The plan: every parameter of a DLZ deployment, built from valid answers and the estate."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from loom_tui.domain.boundary import find_boundary
from loom_tui.domain.cidr import next_free, parse_cidr, subnet_plan
from loom_tui.domain.dlz import DlzAnswers, DlzPlan, PlannedSubnet
from loom_tui.domain.dlz_names import derive_names
from loom_tui.domain.dns_zones import dlz_dns_zones
from loom_tui.domain.fabric_skus import find_sku
from loom_tui.errors import ValidationError

from .checks import all_answer_problems
from .facts import DeployFacts

if TYPE_CHECKING:
    from .template import TemplateInfo


class PlanRefused(ValidationError):
    """Answers that cannot make a plan; ``problems`` names each bad answer."""

    def __init__(self, problems: list) -> None:
        super().__init__(problems[0].field if problems else "answers", "; ".join(str(p) for p in problems))
        self.problems = problems


def propose_address_space(facts: DeployFacts) -> str:
    net = next_free(facts.taken())
    return str(net) if net else ""


def build_plan(a: DlzAnswers, facts: DeployFacts, info: "TemplateInfo | None" = None) -> DlzPlan:
    """The plan of ``a`` on the estate ``facts`` for the template ``info`` (default: the shipped
    one): every name it creates, and every template parameter with its value and source."""
    from .parameters import Inputs, resolve
    from .template import SHIPPED, TemplateInfo, shipped_template

    problems = all_answer_problems(a, facts)
    if problems:
        raise PlanRefused(problems)
    info = info or TemplateInfo("shipped", SHIPPED, shipped_template())
    b = find_boundary(a.boundary, facts.profile_cloud)
    assert b is not None
    sku = find_sku(a.capacity_sku)
    assert sku is not None  # all_answer_problems refused an unknown SKU
    sub = next(s.subscription_id for s in facts.subscriptions if s.subscription_id.lower() == a.subscription_id.lower())
    names = derive_names(a.domain, a.region, sub)
    space = parse_cidr(a.address_space)
    values, param_problems = resolve(info.declared, Inputs(a, facts, b, sub, names.storage_account))
    if param_problems:
        raise PlanRefused(param_problems)
    if facts.admin is not None:  # every zone the hub's resource group holds
        zones: list[tuple[str, str | None]] = [(n, n) for n in sorted(facts.admin.zones)]
    else:  # the regional ones carry the hub's region
        zones = dlz_dns_zones(facts.profile_cloud, (facts.hub.location if facts.hub and facts.hub.location else a.region), facts.storage_suffix)
    return DlzPlan(
        tenant_id=facts.tenant_id,
        boundary=b.key,
        boundary_label=b.label,
        cloud=b.cloud,
        mode=a.mode,
        subscription_id=sub,
        region=a.region,
        domain=a.domain,
        capacity_sku=sku.name,
        address_space=str(space),
        resource_group=names.resource_group,
        vnet=names.vnet,
        storage_account=names.storage_account,
        key_vault="",
        capacity="",
        deployment_name=names.deployment,
        container_platform=b.container_platform,
        subnets=tuple(PlannedSubnet(s.name, s.cidr, s.purpose) for s in subnet_plan(space)),
        tags={**b.compliance_tags},
        capacity_admins=tuple(facts.capacity_admins),
        hub_vnet_id=facts.hub.id if facts.hub else "",
        hub_address_space=", ".join(facts.hub.address_space) if facts.hub else "",
        dns_zones=tuple(z for _, z in zones if z),
        dns_zones_missing=tuple(k for k, z in zones if not z),
        template=info.record(),
        parameters={p.name: p.value for p in values if p.has_value and not (p.source == "template default")},
        parameter_sources={p.name: p.source for p in values},
        extra={"defaults": {p.name: p.value for p in values if p.source == "template default"}},
        resource_group_exists=facts.group_exists(sub, names.resource_group),
    )


def plan_digest(plan: DlzPlan) -> str:
    """Changes when any parameter changes: a validation is only good for the plan it checked."""
    body = json.dumps({"p": plan.template_parameters(), "sub": plan.subscription_id, "t": plan.template}, sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()[:16]
