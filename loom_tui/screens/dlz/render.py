"""What each wizard step shows, as plain ``rich.text.Text`` (every value from Azure, the store
or the operator goes through ``visible``: names and ARM errors are data, never markup)."""

from __future__ import annotations

from typing import Any, Iterable

from rich.text import Text

from loom_tui.domain.boundary import Boundary
from loom_tui.domain.cidr import CidrError, check_spoke, subnet_plan
from loom_tui.domain.dlz import DlzPlan
from loom_tui.domain.dlz_names import derive_names, domain_problem
from loom_tui.services.dlz.facts import DeployFacts, PermissionReport
from loom_tui.services.dlz.runner import STAGE_LABELS, STAGES
from loom_tui.services.dlz.stage_events import StageEvent
from loom_tui.domain.text import visible

STATE_WORDS = {"succeeded": "done", "running": "running", "failed": "FAILED", "skipped": "skipped", None: "waiting"}
STATE_MARKS = {"succeeded": "✓", "running": "▶", "failed": "✗", "skipped": "-", None: "·"}


def lines(text: Any) -> list[str]:
    return [visible(x) for x in str(text or "").splitlines()] or [""]


def add(out: Text, text: str = "", style: str = "") -> None:
    if out.plain:
        out.append("\n")
    out.append(text, style=style)


INTRO = ("Deploy a Data Landing Zone as the platform does: its landing-zone template (the Admin Plane's template spec, "
         "a compiled file, or loom's port of its network and storage modules) with every id read from the estate; "
         "the spoke peered to the hub both ways and linked to every private DNS zone the hub holds.\n\n"
         "The answers are saved after every step: a dropped session resumes here.\n"
         "enter Next · esc Back · shift+n new draft")


def intro(drafts: list[Any], current: str) -> Text:
    out = Text(INTRO)
    if [r for r in drafts if r.wizard.step != "done"]:
        add(out)
        add(out, "Drafts (enter goes on with the highlighted one):", "bold")
    return out


def boundary_option(b: Boundary) -> Text:
    t = Text(f"{b.label}", style="bold")
    t.append(f"  {b.cloud} · default {b.default_location or 'none'} · {b.default_mode}")
    return t


def boundary_detail(b: Boundary | None) -> Text:
    if b is None:
        return Text("")
    out = Text("Compliance tags on every resource:", style="bold")
    for k, v in b.compliance_tags.items():
        add(out, f"  {visible(k)} = {visible(v)}")
    add(out, f"Container platform {b.container_platform}; cloud {b.cloud}.")
    return out


MODE_TEXT = {
    "single-sub": "single-sub — the DLZ next to the Admin Plane, in its subscription (at most one DLZ)",
    "multi-sub": "multi-sub — the DLZ in its own subscription, peered to the hub",
}


def subscription_detail(facts: DeployFacts | None, sub: str, region: str) -> Text:
    if facts is None:
        return Text("reading the subscriptions this identity can see…")
    out = Text(f"subscription: {visible(sub) or '(choose one)'}   region: {visible(region) or '(choose one)'}")
    if facts.admin_subscription_id:
        add(out, f"Admin Plane: {visible(facts.admin_subscription_id)} ({visible(facts.admin_resource_group)})")
    for p in facts.problems:
        add(out, "note: " + visible(p))
    return out


def domain_detail(domain: str, region: str, sub: str, taken: Iterable[str]) -> Text:
    why = domain_problem(domain, set(taken)) if domain else "type a domain: lower-case letters, digits, '-'"
    out = Text(f"{visible(why)}" if why else "ok", style="bold" if why else "")
    if domain and not why:
        n = derive_names(domain, region or "region", sub or "-")
        for label, value in (("resource group", n.resource_group), ("virtual network", n.vnet), ("storage account", n.storage_account),
                             ("deployment", n.deployment)):
            add(out, f"  {label:<16} {visible(value)}")
    return out


def capacity_option(name: str, cu: int, recommended: bool, price: str) -> Text:
    t = Text(f"{name:<6}", style="bold")
    t.append(f" {cu:>5} CU")
    if recommended:
        t.append("  (recommended)")
    t.append(f"  {price}")
    return t


def network_detail(text: str, facts: DeployFacts | None) -> Text:
    if facts is None:
        return Text("reading the hub and the spokes…")
    out = Text()
    try:
        net = check_spoke(text, facts.taken())
        add(out, f"{net} is free.", "bold")
        add(out, "Subnets:", "bold")
        for s in subnet_plan(net):
            add(out, f"  {s.name:<24} {s.cidr:<16} {s.purpose}")
    except CidrError as exc:
        add(out, visible(exc), "bold")
    add(out, "In use (read live):", "bold")
    for t in facts.taken():
        add(out, f"  {visible(t.cidr):<16} {visible(t.name)}")
    return out


def permissions_detail(rep: PermissionReport | None, busy: bool) -> Text:
    if busy:
        return Text("checking role assignments…")
    if rep is None:
        return Text("not checked yet · c checks")
    if rep.error:
        out = Text("The check failed:", style="bold")
        for ln in lines(rep.error):
            add(out, "  " + ln)
        add(out, "c checks again")
        return out
    out = Text(f"Roles of {visible(rep.principal_label)}:", style="bold")
    for c in rep.checks:
        word = "held" if c.held else "MISSING"
        via = f" (via {visible(c.via)})" if c.via else ""
        add(out, f"  [{word}] {visible(c.role)} on {visible(c.scope)}{via}")
    if rep.missing:
        if rep.portal_links:
            add(out, "Grant them in the portal:", "bold")
            for link in rep.portal_links:
                add(out, "  " + visible(link))
        add(out, "with the Azure CLI:" if not rep.portal_links else "or with the Azure CLI:", "bold")
        for cmd in rep.fixes:
            add(out, "  " + visible(cmd))
        add(out, "c checks again")
    return out


def plan_lines(plan: DlzPlan) -> list[tuple[str, str]]:
    rows = [("boundary", f"{plan.boundary_label} ({plan.cloud})"), ("mode", plan.mode), ("subscription", plan.subscription_id),
            ("region", plan.region), ("domain", plan.domain), ("capacity sku", f"{plan.capacity_sku} (recorded sizing)"),
            ("address space", plan.address_space), ("resource group", plan.resource_group), ("virtual network", plan.vnet),
            ("storage account", plan.storage_account), ("deployment", plan.deployment_name),
            ("hub", plan.hub_vnet_id.rsplit("/", 1)[-1])]
    rows += [(f"subnet {s.name}", s.cidr) for s in plan.subnets]
    rows += [(f"tag {k}", v) for k, v in sorted(plan.tags.items())]
    rows += [("private DNS zones", f"{len(plan.dns_zones)} to link")]
    return rows


def _value(v: Any) -> str:
    import json

    text = json.dumps(v) if isinstance(v, (dict, list, bool)) or v is None else str(v)
    return text if len(text) <= 60 else text[:59] + "…"


def parameter_lines(plan: DlzPlan) -> list[str]:
    """Every template parameter loom sets, and where its value came from (asked ones first)."""
    order = sorted(plan.parameter_sources.items(), key=lambda kv: (not kv[1].startswith(("asked", "proposed")), kv[0]))
    return [f"  {k}: {_value(plan.parameters.get(k))} ← {src}" for k, src in order if src != "template default"]


def review(plan: DlzPlan | None, problem: str, events: dict[str, StageEvent], busy: bool, template: Any = None) -> Text:
    out = Text()
    if template is not None:
        add(out, f"Template: {visible(template.label())}", "bold")
        if template.note:
            add(out, f"  ({visible(template.note)}) · t chooses another")
    if plan is None:
        add(out, visible(problem) or "building the plan…")
        if "the template needs a value" in problem:
            add(out, "e gives a parameter its value (name = value)", "bold")
        return out
    for stage in ("validate", "what-if"):  # the checks first: they are what the operator waits for
        ev = events.get(stage)
        add(out, f"{STAGE_LABELS[stage]}: {STATE_WORDS.get(ev.state if ev else None)}", "bold")
        if ev is None:
            add(out, "  running…" if busy else "  v runs validate and what-if")
            continue
        for ln in lines(ev.message):
            add(out, "  " + ln)
        for ln in ev.lines:
            add(out, "  " + visible(ln))
    add(out)
    add(out, "Template parameters (e changes one):", "bold")
    for ln in parameter_lines(plan):
        add(out, visible(ln))
    add(out, "Plan:", "bold")
    for k, v in plan_lines(plan):
        add(out, f"  {k:<22} {visible(v)}")
    return out


def progress(events: dict[str, StageEvent], failed_hint: bool) -> Text:
    out = Text()
    for stage in STAGES:
        ev = events.get(stage)
        state = ev.state if ev else None
        pct = f" {int(ev.progress * 100)}%" if ev and ev.progress is not None and state == "running" else ""
        add(out, f"{STATE_MARKS[state]} [{STATE_WORDS[state]}] {STAGE_LABELS[stage]}{pct}", "bold" if state in ("running", "failed") else "")
        if ev and ev.message:
            for ln in lines(ev.message)[:12]:
                add(out, "    " + ln)
        if ev and ev.lines and state in ("running", "failed") and stage == "deploy":
            for ln in ev.lines[-14:]:
                add(out, "    " + visible(ln))
    if failed_hint:
        add(out)
        add(out, "r retries from the stage that failed", "bold")
    return out


def done(plan: DlzPlan | None, portal: str, tenant: str, peering: dict[str, str], links: int) -> Text:
    """``portal``: the cloud's portal ("" where it has none: no link is printed)."""
    from loom_tui.services.dlz.bootstrap import bootstrap_for

    if plan is None:
        return Text("Deployed.")
    out = Text(f"DLZ {visible(plan.domain)} is deployed.", style="bold")
    rg = f"/subscriptions/{plan.subscription_id}/resourceGroups/{plan.resource_group}"
    for label, value in (("resource group", rg), ("virtual network", plan.vnet), ("storage account", plan.storage_account),
                         ("peering", f"hub→spoke {peering.get('hub-to-spoke', '?')}, spoke→hub {peering.get('spoke-to-hub', '?')}"),
                         ("private DNS", f"{links} zones linked to the spoke")):
        add(out, f"  {label:<16} {visible(value)}")
    if portal:
        add(out, "Portal:", "bold")
        add(out, "  " + visible(f"{portal.rstrip('/')}/#@{tenant}/resource{rg}/overview"))
    steps, command = bootstrap_for(plan.to_dict())
    add(out, "The platform's post-deploy bootstrap still to run:", "bold")
    for st in steps:
        add(out, "  · " + visible(st))
    add(out, "  " + visible(command))
    add(out, "Capacity (2) and Cost (4) list it from now on. a deploys another.")
    return out
