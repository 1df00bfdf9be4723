"""``loom dlz plan|export|deploy|list|show``: the Setup wizard without the screen.

``plan`` validates every answer against the live estate (exit 2 naming each bad one) and prints
the plan; ``export`` writes the template, its parameter file and the ``az`` commands that do the
same by hand; ``deploy`` runs the same stages as the wizard (resuming a failed run where it
stopped); ``list``/``show`` read the DLZs loom recorded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
import sys
from pathlib import Path
from typing import Any

from .common import add_json_flag, ask, fail, print_table
from .output import emit, output_format


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dlz", help="plan, export, deploy, list or show Data Landing Zones")
    dsub = p.add_subparsers(dest="dlz_command", metavar="ACTION", required=True)

    plan = dsub.add_parser("plan", help="validate an answers file against the estate and print the plan")
    plan.add_argument("--answers", required=True, metavar="FILE.toml")
    _output(plan)
    plan.set_defaults(handler=do_plan)

    ex = dsub.add_parser("export", help="write the template, the parameter file and the az commands")
    ex.add_argument("--answers", required=True, metavar="FILE.toml")
    ex.add_argument("--out", required=True, metavar="DIR")
    ex.add_argument("--template", metavar="FILE.json", help="a compiled ARM template to use instead of the shipped one")
    ex.set_defaults(handler=do_export)

    dep = dsub.add_parser("deploy", help="deploy (or resume deploying) the DLZ of an answers file")
    dep.add_argument("--answers", required=True, metavar="FILE.toml")
    dep.add_argument("--template", metavar="FILE.json", help="a compiled ARM template to use instead of the shipped one")
    dep.add_argument("--yes", action="store_true", help="do not ask; required when not on a terminal")
    dep.add_argument("--no-wait", action="store_true", help="start the ARM deployment and return; run deploy again to finish")
    _output(dep)
    dep.set_defaults(handler=do_deploy)

    ls = dsub.add_parser("list", help="the DLZs loom deployed")
    _output(ls)
    ls.set_defaults(handler=do_list)

    show = dsub.add_parser("show", help="one DLZ: state, peering both ways, DNS links")
    show.add_argument("name", help="the DLZ's domain")
    _output(show)
    show.set_defaults(handler=do_show)


def _output(p: argparse.ArgumentParser) -> None:
    add_json_flag(p)  # -o table|json|yaml|csv|tsv|markdown, --json, --query, --top


def _json(args: argparse.Namespace) -> bool:
    """A machine format (or a --query) was asked for: the record goes through the one formatter."""
    return output_format(args) != "table" or bool(getattr(args, "query", None))


def _safe(text: Any) -> str:
    from .common import _printable

    return _printable(text)


async def _ctx(args: argparse.Namespace):
    from loom_tui.services.context import context_from_args

    return await context_from_args(args)


def _answers(args: argparse.Namespace):
    from loom_tui.services.deploy.answers_file import AnswersError, read_answers

    try:
        return read_answers(args.answers), None
    except AnswersError as exc:
        return None, exc.problems


def _report(problems: list, args: argparse.Namespace | None = None) -> int:
    """Refused answers: one ``loom: field: message`` line each, or under ``-o json`` ONE JSON object
    on stderr, ``{"error": {"code": "invalid", "message": ..., "problems": [{field, message}]}}``."""
    if args is not None and output_format(args) == "json":
        from .output import json_text

        body = {"code": "invalid", "message": "; ".join(f"{p.field}: {p.message}" for p in problems),
                "problems": [{"field": p.field, "message": p.message} for p in problems]}
        print(json_text({"error": body}, indent=None), file=sys.stderr)
        return 2
    for p in problems:
        print(f"loom: {_safe(p.field)}: {_safe(p.message)}", file=sys.stderr)
    return 2


async def _plan(args: argparse.Namespace, ctx: Any):
    from loom_tui.services.deploy.plan import PlanRefused
    from loom_tui.services.deploy.service import SetupService

    answers, problems = _answers(args)
    if problems:
        return None, None, _report(problems, args)
    svc = SetupService(ctx)
    try:
        plan, facts = await svc.plan(answers)
    except PlanRefused as exc:
        return None, None, _report(exc.problems, args)
    return plan, facts, 0


def plan_rows(plan: Any) -> list[list[str]]:
    rows = [["boundary", f"{plan.boundary_label} ({plan.cloud})"], ["mode", plan.mode], ["subscription", plan.subscription_id],
            ["region", plan.region], ["domain", plan.domain], ["capacity", f"{plan.capacity} ({plan.capacity_sku})"],
            ["address space", plan.address_space], ["resource group", plan.resource_group], ["vnet", plan.vnet],
            ["storage account", plan.storage_account], ["key vault", plan.key_vault], ["deployment", plan.deployment_name],
            ["hub", plan.hub_vnet_id]]
    rows += [[f"subnet {s.name}", s.cidr] for s in plan.subnets]
    rows += [[f"tag {k}", v] for k, v in sorted(plan.tags.items())]
    rows += [["dns zones", f"{len(plan.dns_zones)} linked to the spoke"]]
    return rows


async def do_plan(args: argparse.Namespace) -> int:
    ctx = await _ctx(args)
    try:
        plan, _, code = await _plan(args, ctx)
    finally:
        await ctx.close()
    if code:
        return code
    if _json(args):
        emit(args, plan.to_dict())
    else:
        print_table(["parameter", "value"], plan_rows(plan))
    return 0


def az_commands(plan: Any, facts: Any, template_file: str, params_file: str) -> list[str]:
    q = shlex.quote
    name, sub = plan.deployment_name, plan.subscription_id
    admin_sub, admin_rg = facts.admin_subscription_id, facts.admin_resource_group
    hub_name = plan.hub_vnet_id.rstrip("/").rsplit("/", 1)[-1]
    lines = [
        "#!/usr/bin/env bash",
        f"# The DLZ {plan.domain} by hand: what `loom dlz deploy` does, as az commands.",
        "set -euo pipefail",
        f"az cloud set --name {q(plan.cloud)}",
        f"az deployment sub validate --subscription {sub} --name {q(name)} --location {q(plan.region)} "
        f"--template-file {q(template_file)} --parameters @{q(params_file)}",
        f"az deployment sub what-if --subscription {sub} --name {q(name)} --location {q(plan.region)} "
        f"--template-file {q(template_file)} --parameters @{q(params_file)}",
        f"az deployment sub create --subscription {sub} --name {q(name)} --location {q(plan.region)} "
        f"--template-file {q(template_file)} --parameters @{q(params_file)}",
        "# hub <-> spoke peering, both directions (each in its own subscription)",
        f"az network vnet peering create --subscription {admin_sub} --resource-group {q(admin_rg)} --vnet-name {q(hub_name)} "
        f"--name {q('peer-hub-to-' + plan.domain)} --remote-vnet {q(plan.spoke_vnet_id)} --allow-vnet-access --allow-forwarded-traffic",
        f"az network vnet peering create --subscription {sub} --resource-group {q(plan.resource_group)} --vnet-name {q(plan.vnet)} "
        f"--name {q('peer-' + plan.domain + '-to-hub')} --remote-vnet {q(plan.hub_vnet_id)} --allow-vnet-access --allow-forwarded-traffic",
        f"# the {len(plan.dns_zones)} private DNS zones of the hub, linked to the spoke",
    ]
    for z in plan.dns_zones:
        lines.append(f"az network private-dns link vnet create --subscription {admin_sub} --resource-group {q(admin_rg)} "
                     f"--zone-name {q(z)} --name {q('link-' + plan.domain)} --virtual-network {q(plan.spoke_vnet_id)} "
                     "--registration-enabled false --no-wait")
    return lines


async def do_export(args: argparse.Namespace) -> int:
    from loom_tui.services.deploy.template import load_template, parameter_file
    from loom_tui.errors import ValidationError

    try:
        template = load_template(args.template)
    except ValidationError as exc:
        return fail(str(exc))
    ctx = await _ctx(args)
    try:
        plan, facts, code = await _plan(args, ctx)
    finally:
        await ctx.close()
    if code:
        return code
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "dlz.json").write_text(json.dumps(template, indent=2) + "\n", encoding="utf-8")
    (out / "dlz.parameters.json").write_text(json.dumps(parameter_file(template, plan), indent=2) + "\n", encoding="utf-8")
    script = out / "deploy.sh"
    script.write_text("\n".join(az_commands(plan, facts, "dlz.json", "dlz.parameters.json")) + "\n", encoding="utf-8")
    script.chmod(0o755)
    print(f"wrote {out / 'dlz.json'}, {out / 'dlz.parameters.json'} and {script}")
    return 0


async def do_deploy(args: argparse.Namespace) -> int:
    from loom_tui.services.deploy.runner import STAGE_LABELS, StageEvent
    from loom_tui.services.deploy.service import SetupService
    from loom_tui.services.deploy.template import load_template, template_source
    from loom_tui.errors import ValidationError

    try:
        template = load_template(args.template)
        source = template_source(args.template)
    except ValidationError as exc:
        return fail(str(exc))
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
        def progress(ev: StageEvent) -> None:
            label = STAGE_LABELS.get(ev.stage, ev.stage)
            text = f"{label}: {ev.state}" + (f" — {ev.message}" if ev.message else "")
            print(_safe(text) if "\n" not in text else "\n".join(_safe(x) for x in text.splitlines()), file=sys.stderr)
            if ev.state in ("succeeded", "failed") and ev.stage == "what-if" and ev.lines:
                for line in ev.lines:
                    print("  " + _safe(line), file=sys.stderr)

        svc = SetupService(ctx)
        deploying = asyncio.Event()

        def listen(ev: StageEvent) -> None:
            progress(ev)
            if ev.stage == "deploy" and ev.state in ("running", "succeeded") and ev.lines:
                deploying.set()  # ARM accepted the deployment and reports its operations

        from loom_tui.services.deploy.operation import running_for

        final = None
        op = await running_for(ctx, plan.domain)
        if op is not None:  # started earlier (--no-wait, or a process that died): watch it, which takes it over
            print(f"the deployment of {_safe(plan.domain)} is already running as operation {op.id}; following it", file=sys.stderr)
            seen: dict[str, str] = {}
            async for snap in ctx.operations.watch(op.id):
                for step in snap.steps:
                    key = f"{step.state} {step.message or ''}"
                    if step.state != "pending" and seen.get(step.name) != key:
                        seen[step.name] = key
                        progress(StageEvent(step.name, step.state, step.message or "", step.progress))
            final = await ctx.operations.wait(op.id)
        else:
            op = await svc.start_deploy(plan, template=template, listener=listen, template_source=source)
        if args.no_wait and final is None:
            waiter = asyncio.create_task(ctx.operations.wait(op.id))
            await asyncio.wait({waiter, asyncio.create_task(deploying.wait())}, return_when=asyncio.FIRST_COMPLETED)
            if waiter.done():
                final = waiter.result()
                print(op.id)
                return 0 if final.state == "succeeded" else 1
            waiter.cancel()
            print(op.id)
            print("the ARM deployment is running; peering, DNS links and the record follow when a loom process resumes it "
                  "(`loom dlz deploy` again with the same answers, or the console at start-up)", file=sys.stderr)
            return 0
        if final is None:
            final = await ctx.operations.wait(op.id)
        ok = final.state == "succeeded"
        rec = await svc.registry.find(plan.domain)
    finally:
        await ctx.close()
    if _json(args):
        emit(args, {"domain": plan.domain, "ok": ok, "operation": op.id, "state": rec.state if rec else "",
                    "stages": rec.stages if rec else {}, "peering": rec.peering if rec else {}, "dnsLinks": rec.dns_links if rec else []})
    elif ok:
        print(f"deployed DLZ {_safe(plan.domain)}: {_safe(plan.resource_group)} in {_safe(plan.subscription_id)} (operation {op.id})")
    else:
        err = final.error
        print(f"loom: the deployment failed (operation {op.id}); run the same command again to retry from the stage that failed",
              file=sys.stderr)
        if err is not None:
            for line in str(getattr(err, "message", err)).splitlines():
                print("  " + _safe(line), file=sys.stderr)
    return 0 if ok else 1


def record_dict(r: Any) -> dict[str, Any]:
    return {"domain": r.domain, "state": r.state, "subscriptionId": r.subscription_id, "region": r.region,
            "resourceGroup": r.resource_group, "vnetId": r.vnet_id, "addressSpace": r.address_space, "capacity": r.capacity,
            "capacitySku": r.capacity_sku, "storageAccount": r.storage_account, "keyVault": r.key_vault, "boundary": r.boundary,
            "deploymentName": r.deployment_name, "deployedAt": r.deployed_at, "deployedBy": r.deployed_by,
            "peering": r.peering, "dnsLinks": r.dns_links, "stages": r.stages}


async def do_list(args: argparse.Namespace) -> int:
    from loom_tui.services.deploy.registry import DlzRegistry

    ctx = await _ctx(args)
    try:
        rows = await DlzRegistry(ctx.scoped, ctx.require_writable).list()
    finally:
        await ctx.close()
    if _json(args):
        emit(args, [record_dict(r) for r in rows])
    else:
        print_table(["domain", "state", "subscription", "region", "address space", "capacity", "peering", "dns links"],
                    [[r.domain, r.state, r.subscription_id, r.region, r.address_space, r.capacity_sku, _peer(r),
                      str(len([d for d in r.dns_links if d.get("state") in ("Completed", "Succeeded")]))] for r in rows])
    return 0


def _peer(r: Any) -> str:
    return f"hub→spoke {r.peering.get('hub-to-spoke', '-')}, spoke→hub {r.peering.get('spoke-to-hub', '-')}"


async def do_show(args: argparse.Namespace) -> int:
    from loom_tui.services.deploy.registry import DlzRegistry

    ctx = await _ctx(args)
    try:
        r = await DlzRegistry(ctx.scoped, ctx.require_writable).get(args.name)
    finally:
        await ctx.close()
    if _json(args):
        emit(args, record_dict(r))
        return 0
    rows = [[k, str(v)] for k, v in record_dict(r).items() if k not in ("peering", "dnsLinks", "stages")]
    rows += [["peering hub→spoke", r.peering.get("hub-to-spoke", "-")], ["peering spoke→hub", r.peering.get("spoke-to-hub", "-")]]
    rows += [[f"dns {d.get('zone')}", d.get("state", "")] for d in r.dns_links]
    rows += [[f"stage {k}", f"{v.get('state')} {v.get('message') or ''}".strip()] for k, v in r.stages.items()]
    print_table(["field", "value"], rows)
    return 0
