"""``loom dlz plan|export|deploy|list|show|forget``: the DLZ wizard without the screen.

``plan`` validates every answer against the live estate (exit 2 naming each bad one) and prints
the plan; ``export`` writes the template, its parameter file and the ``az`` commands that do the
same by hand; ``deploy`` runs the same stages as the wizard (resuming a failed run where it
stopped); ``list``/``show`` read the DLZs loom recorded; ``forget`` removes a record (Azure untouched).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
import sys
from pathlib import Path
from typing import Any

from loom_tui.domain.text import visible

from .common import add_json_flag, ask, fail, print_table
from .dlz_plan import fill_proposals, machine_format, report_problems
from .output import emit


TEMPLATE_HELP = ("the template: a template spec version id (…/templateSpecs/NAME/versions/V), a compiled ARM JSON file, or "
                 "'shipped'; default: the answers' template, else the Admin Plane's newest DLZ template spec, else the shipped one")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dlz", help="plan, export, deploy, list or show Data Landing Zones")
    dsub = p.add_subparsers(dest="dlz_command", metavar="ACTION", required=True)

    plan = dsub.add_parser("plan", help="validate an answers file against the estate and print the plan")
    plan.add_argument("--answers", required=True, metavar="FILE.toml")
    plan.add_argument("--template", metavar="SOURCE", help=TEMPLATE_HELP)
    _output(plan)
    plan.set_defaults(handler=do_plan)

    ex = dsub.add_parser("export", help="write the template, the parameter file and the az commands")
    ex.add_argument("--answers", required=True, metavar="FILE.toml")
    ex.add_argument("--out", required=True, metavar="DIR")
    ex.add_argument("--template", metavar="SOURCE", help=TEMPLATE_HELP)
    ex.set_defaults(handler=do_export)

    dep = dsub.add_parser("deploy", help="deploy (or resume deploying) the DLZ of an answers file")
    dep.add_argument("--answers", required=True, metavar="FILE.toml")
    dep.add_argument("--template", metavar="SOURCE", help=TEMPLATE_HELP)
    dep.add_argument("--yes", action="store_true", help="do not ask; required when not on a terminal")
    dep.add_argument("--no-wait", action="store_true", help="start the ARM deployment and return; run deploy again to finish")
    _output(dep)
    dep.set_defaults(handler=do_deploy)

    ls = dsub.add_parser("list", help="every DLZ of the estate: loom's records and those found in Azure, with their source")
    _output(ls)
    ls.set_defaults(handler=do_list)

    show = dsub.add_parser("show", help="one DLZ: state, peering both ways, DNS links")
    show.add_argument("name", help="the DLZ's domain")
    _output(show)
    show.set_defaults(handler=do_show)

    forget = dsub.add_parser("forget", help="remove loom's record of a DLZ (tenant admins; Azure is not touched)")
    forget.add_argument("name", help="the DLZ's domain")
    _output(forget)
    forget.set_defaults(handler=do_forget)


def _output(p: argparse.ArgumentParser) -> None:
    add_json_flag(p)  # -o table|json|yaml|csv|tsv|markdown, --json, --query, --top


async def _ctx(args: argparse.Namespace):
    from loom_tui.wiring import context_from_args

    return await context_from_args(args)


def _answers(args: argparse.Namespace):
    from dataclasses import replace

    from loom_tui.services.dlz.answers_file import AnswersError, read_answers

    try:
        a = read_answers(args.answers)
    except AnswersError as exc:
        return None, exc.problems
    if getattr(args, "template", None):
        a = replace(a, template=args.template)
    return a, None


async def _plan(args: argparse.Namespace, ctx: Any):
    from loom_tui.services.dlz.plan import PlanRefused
    from loom_tui.services.dlz.service import DlzService

    from loom_tui.errors import ValidationError

    answers, problems = _answers(args)
    if problems:
        return None, None, report_problems(problems, args)
    svc = DlzService(ctx)
    try:
        answers, facts, code = await fill_proposals(svc, answers, args)
        if code:
            return None, None, code
        plan, facts = await svc.plan(answers, facts)
    except PlanRefused as exc:
        return None, None, report_problems(exc.problems, args)
    except ValidationError as exc:
        from loom_tui.domain.dlz import Problem

        return None, None, report_problems([Problem("template", exc.message if hasattr(exc, "message") else str(exc))], args)
    return plan, facts, 0


def plan_rows(plan: Any) -> list[list[str]]:
    rows = [["boundary", f"{plan.boundary_label} ({plan.cloud})"], ["mode", plan.mode], ["subscription", plan.subscription_id],
            ["region", plan.region], ["domain", plan.domain], ["capacity sku", f"{plan.capacity_sku} (a recorded sizing)"],
            ["address space", plan.address_space], ["resource group", plan.resource_group], ["vnet", plan.vnet],
            ["storage account", plan.storage_account], ["deployment", plan.deployment_name], ["hub", plan.hub_vnet_id],
            ["template", template_label(plan.template)]]
    rows += [[f"subnet {s.name}", s.cidr] for s in plan.subnets]
    rows += [[f"tag {k}", v] for k, v in sorted(plan.tags.items())]
    rows += [["dns zones", f"{len(plan.dns_zones)} linked to the spoke"]]
    rows += [[f"param {k}", f"{_short(plan.parameters.get(k, '(the template default)'))}  ← {src}"]
             for k, src in plan.parameter_sources.items() if src != "template default"]
    return rows


def template_label(t: dict[str, Any]) -> str:
    kind = t.get("kind") or "shipped"
    what = {"spec": "template spec", "file": "file", "shipped": "loom's shipped template"}.get(kind, kind)
    ref = "" if kind == "shipped" else f" {t.get('ref')}"
    note = f" ({t.get('note')})" if t.get("note") else ""
    return f"{what}{ref}, {t.get('scope', 'resourceGroup')} scope{note}"


def _short(v: Any) -> str:
    text = json.dumps(v) if isinstance(v, (dict, list, bool)) else str(v)
    return text if len(text) <= 120 else text[:117] + "…"


def plan_json(plan: Any) -> dict[str, Any]:
    d = plan.to_dict()
    defaults = (plan.extra or {}).get("defaults") or {}
    d["templateParameters"] = [{"name": k, "value": plan.parameters.get(k, defaults.get(k)), "source": src}
                               for k, src in plan.parameter_sources.items()]
    return d


async def do_plan(args: argparse.Namespace) -> int:
    ctx = await _ctx(args)
    try:
        plan, _, code = await _plan(args, ctx)
    finally:
        await ctx.close()
    if code:
        return code
    if machine_format(args):
        emit(args, plan_json(plan))
    else:
        print_table(["parameter", "value"], plan_rows(plan))
    return 0


def az_commands(plan: Any, facts: Any, template_file: str, params_file: str) -> list[str]:
    from loom_tui.services.dlz.network_stages import SPOKE_PEERING, hub_peering_name
    from loom_tui.services.dlz.wrapper import rg_tags

    q = shlex.quote
    name, sub = plan.deployment_name, plan.subscription_id
    admin_sub, admin_rg = facts.admin_subscription_id, facts.admin_resource_group
    hub_name = plan.hub_vnet_id.rstrip("/").rsplit("/", 1)[-1]
    spec = plan.template.get("ref") if plan.template.get("kind") == "spec" else None
    source = f"--template-spec {q(spec)}" if spec else f"--template-file {q(template_file)}"
    lines = ["#!/usr/bin/env bash", f"# The DLZ {plan.domain} by hand: what `loom dlz deploy` does, as az commands.", "set -euo pipefail",
             f"az cloud set --name {q(plan.cloud)}"]
    if plan.template.get("scope") == "subscription":
        for verb in ("validate", "what-if", "create"):
            lines.append(f"az deployment sub {verb} --subscription {sub} --name {q(name)} --location {q(plan.region)} {source} "
                         f"--parameters @{q(params_file)}")
    else:
        tags = " ".join(q(f"{k}={v}") for k, v in rg_tags(plan).items())
        lines.append(f"az group create --subscription {sub} --name {q(plan.resource_group)} --location {q(plan.region)} --tags {tags}")
        for verb in ("validate", "what-if", "create"):
            lines.append(f"az deployment group {verb} --subscription {sub} --resource-group {q(plan.resource_group)} --name {q(name)} "
                         f"{source} --parameters @{q(params_file)}")
    lines += [
        "# hub <-> spoke peering, both directions (each in its own subscription), named as the platform names them",
        f"az network vnet peering create --subscription {admin_sub} --resource-group {q(admin_rg)} --vnet-name {q(hub_name)} "
        f"--name {q(hub_peering_name(plan.domain))} --remote-vnet {q(plan.spoke_vnet_id)} --allow-vnet-access --allow-forwarded-traffic",
        f"az network vnet peering show --subscription {sub} --resource-group {q(plan.resource_group)} --vnet-name {q(plan.vnet)} "
        f"--name {SPOKE_PEERING} >/dev/null 2>&1 || az network vnet peering create --subscription {sub} --resource-group "
        f"{q(plan.resource_group)} --vnet-name {q(plan.vnet)} --name {SPOKE_PEERING} --remote-vnet {q(plan.hub_vnet_id)} "
        "--allow-vnet-access --allow-forwarded-traffic",
        f"# the {len(plan.dns_zones)} private DNS zones of the hub, linked to the spoke",
    ]
    for z in plan.dns_zones:
        lines.append(f"az network private-dns link vnet create --subscription {admin_sub} --resource-group {q(admin_rg)} "
                     f"--zone-name {q(z)} --name {q('link-' + plan.domain)} --virtual-network {q(plan.spoke_vnet_id)} "
                     "--registration-enabled false --no-wait")
    return lines


async def do_export(args: argparse.Namespace) -> int:
    from loom_tui.services.dlz.template import inline_of, parameter_file
    from loom_tui.services.dlz.wrapper import deployment_body

    ctx = await _ctx(args)
    try:
        plan, facts, code = await _plan(args, ctx)
    finally:
        await ctx.close()
    if code:
        return code
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    inline = inline_of(plan.template)
    written = []
    if inline is not None:
        (out / "dlz.json").write_text(json.dumps(inline, indent=2) + "\n", encoding="utf-8")
        written.append(out / "dlz.json")
    (out / "dlz.parameters.json").write_text(json.dumps(parameter_file(plan), indent=2) + "\n", encoding="utf-8")
    wrapper, _, _ = deployment_body(plan, inline)
    if wrapper is not None and plan.template.get("scope") != "subscription":
        (out / "dlz.loom-deployment.json").write_text(json.dumps(wrapper, indent=2) + "\n", encoding="utf-8")
        written.append(out / "dlz.loom-deployment.json")
    script = out / "deploy.sh"
    script.write_text("\n".join(az_commands(plan, facts, "dlz.json", "dlz.parameters.json")) + "\n", encoding="utf-8")
    script.chmod(0o755)
    print(f"wrote {', '.join(str(w) for w in [*written, out / 'dlz.parameters.json'])} and {script}")
    return 0


def _say_stage(ev: Any) -> None:
    """One progress line of a stage on stderr (the what-if's list under it when it ends)."""
    from loom_tui.services.dlz.runner import STAGE_LABELS

    label = STAGE_LABELS.get(ev.stage, ev.stage)
    text = f"{label}: {ev.state}" + (f" — {ev.message}" if ev.message else "")
    print(visible(text) if "\n" not in text else "\n".join(visible(x) for x in text.splitlines()), file=sys.stderr)
    if ev.state in ("succeeded", "failed") and ev.stage == "what-if" and ev.lines:
        for line in ev.lines:
            print("  " + visible(line), file=sys.stderr)


async def _follow(ctx: Any, op: Any, domain: str) -> Any:
    """Follow a deployment started earlier (``--no-wait``, or a process that died; watching it takes
    it over), a line per change of a stage; its final record."""
    from loom_tui.services.dlz.stage_events import StageEvent
    from loom_tui.services.operation_events import Finished

    print(f"the deployment of {visible(domain)} is already running as operation {op.id}; following it", file=sys.stderr)
    final = None
    async for ev in ctx.operations.events(op.id):
        if isinstance(ev, Finished):
            final = ev.op
        elif ev.step.state != "pending":
            _say_stage(StageEvent(ev.step.name, ev.step.state, ev.step.message, ev.step.progress))
    return final


async def _leave_running(ctx: Any, op: Any, deploying: asyncio.Event) -> int:
    """``--no-wait``: the operation's id once ARM accepted the deployment (or it ended)."""
    waiter = asyncio.create_task(ctx.operations.wait(op.id))
    await asyncio.wait({waiter, asyncio.create_task(deploying.wait())}, return_when=asyncio.FIRST_COMPLETED)
    print(op.id)
    if waiter.done():
        return 0 if waiter.result().state == "succeeded" else 1
    waiter.cancel()
    print("the ARM deployment is running; peering, DNS links and the record follow when a loom process resumes it "
          "(`loom dlz deploy` again with the same answers, or the console at start-up)", file=sys.stderr)
    return 0


async def do_deploy(args: argparse.Namespace) -> int:
    from loom_tui.services.dlz.stage_events import StageEvent
    from loom_tui.services.dlz.service import DlzService

    ctx = await _ctx(args)
    try:
        ctx.require_writable("deploying a DLZ")
        plan, facts, code = await _plan(args, ctx)
        if code:
            return code
        if not args.yes:
            if not sys.stdin.isatty():
                return fail("refusing to deploy without --yes when not on a terminal")
            print_table(["parameter", "value"], plan_rows(plan))
            typed = ask(f"Type the domain to deploy it ({plan.domain}): ")
            if typed.strip() != plan.domain:
                return fail("the domain did not match; nothing was deployed", 1)
        svc = DlzService(ctx)
        deploying = asyncio.Event()

        def listen(ev: StageEvent) -> None:
            _say_stage(ev)
            if ev.stage == "deploy" and ev.state in ("running", "succeeded") and ev.lines:
                deploying.set()  # ARM accepted the deployment and reports its operations

        op, started = await svc.follow_or_start(plan, listener=listen)
        final = None if started else await _follow(ctx, op, plan.domain)
        if args.no_wait and final is None:
            return await _leave_running(ctx, op, deploying)
        if final is None:
            final = await ctx.operations.wait(op.id)
        ok = final.state == "succeeded"
        rec = await svc.registry.find(plan.domain)
    finally:
        await ctx.close()
    _deployed(args, plan, op, final, rec)
    return 0 if ok else 1


def _deployed(args: argparse.Namespace, plan: Any, op: Any, final: Any, rec: Any) -> None:
    from loom_tui.services.dlz.operation import stages_of

    if machine_format(args):
        emit(args, {"domain": plan.domain, "ok": final.state == "succeeded", "operation": op.id, "state": rec.state if rec else "",
                    "stages": stages_of(final), "peering": rec.peering if rec else {}, "dnsLinks": rec.dns_links if rec else []})
    elif final.state == "succeeded":
        print(f"deployed DLZ {visible(plan.domain)}: {visible(plan.resource_group)} in {visible(plan.subscription_id)} (operation {op.id})")
    else:
        err = final.error
        print(f"loom: the deployment failed (operation {op.id}); run the same command again to retry from the stage that failed",
              file=sys.stderr)
        if err is not None:
            for line in str(getattr(err, "message", err)).splitlines():
                print("  " + visible(line), file=sys.stderr)


def record_dict(r: Any, stages: dict[str, Any]) -> dict[str, Any]:
    """A DLZ's record, with the stages of its newest deployment (its operation's steps)."""
    return {"domain": r.domain, "state": r.state, "subscriptionId": r.subscription_id, "region": r.region,
            "resourceGroup": r.resource_group, "vnetId": r.vnet_id, "addressSpace": r.address_space, "capacity": r.capacity,
            "capacitySku": r.capacity_sku, "storageAccount": r.storage_account, "keyVault": r.key_vault, "boundary": r.boundary,
            "deploymentName": r.deployment_name, "deployedAt": r.deployed_at, "deployedBy": r.deployed_by,
            "peering": r.peering, "dnsLinks": r.dns_links, "stages": stages}


async def do_list(args: argparse.Namespace) -> int:
    from loom_tui.services.dlz.listing import all_dlzs
    from loom_tui.services.dlz.service import DlzService

    from .output import report_warning

    ctx = await _ctx(args)
    try:
        svc = DlzService(ctx)
        rows, problems = await all_dlzs(svc)
        stages = {r.domain: await svc.stages(r.domain) for r in rows if r.record and machine_format(args)}
    finally:
        await ctx.close()
    for p in problems:
        report_warning("json" if machine_format(args) else "table", p)
    if machine_format(args):
        emit(args, [{**(record_dict(r.record, stages[r.domain]) if r.record else {"domain": r.domain, "state": r.state,
                                                                                   "subscriptionId": r.subscription_id,
                                                                                   "region": r.region, "resourceGroup": r.resource_group,
                                                                                   "addressSpace": r.address_space}), "source": r.source}
                    for r in rows])
    else:
        print_table(["domain", "state", "source", "subscription", "region", "address space", "peering", "dns links"],
                    [[r.domain, r.state, r.source, r.subscription_id, r.region, r.address_space,
                      _peer(r.record) if r.record else "-",
                      str(len([d for d in r.record.dns_links if d.get("state") in ("Completed", "Succeeded")])) if r.record else "-"]
                     for r in rows])
    return 0


def _peer(r: Any) -> str:
    return f"hub→spoke {r.peering.get('hub-to-spoke', '-')}, spoke→hub {r.peering.get('spoke-to-hub', '-')}"


async def do_show(args: argparse.Namespace) -> int:
    from loom_tui.services.dlz.service import DlzService

    ctx = await _ctx(args)
    try:
        svc = DlzService(ctx)
        r = await svc.dlz(args.name)
        stages = await svc.stages(args.name)
    finally:
        await ctx.close()
    if machine_format(args):
        out = record_dict(r, stages)
        if r.plan:
            from loom_tui.services.dlz.bootstrap import bootstrap_for

            steps, command = bootstrap_for(r.plan)
            out["bootstrap"] = {"steps": steps, "command": command}
        emit(args, out)
        return 0
    rows = [[k, str(v)] for k, v in record_dict(r, stages).items() if k not in ("peering", "dnsLinks", "stages")]
    rows += [["peering hub→spoke", r.peering.get("hub-to-spoke", "-")], ["peering spoke→hub", r.peering.get("spoke-to-hub", "-")]]
    rows += [[f"dns {d.get('zone')}", d.get("state", "")] for d in r.dns_links]
    rows += [[f"stage {k}", f"{v.get('state')} {v.get('message') or ''}".strip()] for k, v in stages.items()]
    if r.plan:
        from loom_tui.services.dlz.bootstrap import bootstrap_for

        steps, command = bootstrap_for(r.plan)
        rows += [["post-deploy bootstrap", s] for s in steps] + [["bootstrap command", command]]
    print_table(["field", "value"], rows)
    return 0


async def do_forget(args: argparse.Namespace) -> int:
    from loom_tui.services.dlz.service import DlzService

    ctx = await _ctx(args)
    try:
        rec = await DlzService(ctx).forget(args.name)
    finally:
        await ctx.close()
    emit(args, {"domain": rec.domain, "state": rec.state, "forgotten": True, "resourceGroup": rec.resource_group,
                "subscriptionId": rec.subscription_id, "azureChanged": False},
         message=f"forgot the record of DLZ {visible(rec.domain)} ({visible(rec.state)}); nothing in Azure was changed "
                 f"(resource group {visible(rec.resource_group)} in {visible(rec.subscription_id)} is as it was)")
    return 0

