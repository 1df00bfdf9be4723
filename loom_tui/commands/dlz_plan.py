"""``loom dlz plan`` like the wizard's steps: an answers file without ``address_space`` gets the
next free ``10.N.0.0/16`` (as the network step proposes), said on stderr; one without
``subscription_id`` lists the subscriptions the signed-in identity can deploy to, and which of
them already hold a DLZ, then exits 2 (choose one).  Refused answers are reported here
(:func:`report_problems`), for ``loom dlz plan``, ``export`` and ``deploy`` alike."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from loom_tui.domain.text import visible

from .common import print_table
from .output import emit, json_text, output_format

ROLE_TYPE = "Microsoft.Authorization/roleAssignments"  # its api-version is picked per cloud (api_versions.py)
DEPLOYS = ("Owner", "Contributor")


def machine_format(args: argparse.Namespace) -> bool:
    """A machine format (or a --query) was asked for: the record goes through the one formatter."""
    return output_format(args) != "table" or bool(getattr(args, "query", None))


def report_problems(problems: list, args: argparse.Namespace | None = None) -> int:
    """Refused answers: one ``loom: field: message`` line each, or under ``-o json`` ONE JSON object
    on stderr, ``{"error": {"code": "invalid", "message": ..., "problems": [{field, message}]}}``."""
    if args is not None and output_format(args) == "json":
        body = {"code": "invalid", "message": "; ".join(f"{p.field}: {p.message}" for p in problems),
                "problems": [{"field": p.field, "message": p.message} for p in problems]}
        print(json_text({"error": body}, indent=None), file=sys.stderr)
        return 2
    for p in problems:
        print(f"loom: {visible(p.field)}: {visible(p.message)}", file=sys.stderr)
    return 2


async def deployable(svc: Any, facts: Any) -> dict[str, str]:
    """subscription id -> the role that lets the deploying identity deploy there ("" = none)."""
    from loom_tui.azure.api_versions import pick
    from loom_tui.services.dlz.permissions import role_names

    oid, _, _ = svc.deployer()
    clients = await svc.clients()
    out: dict[str, str] = {}
    for s in facts.subscriptions:
        flt = quote(f"atScope() and assignedTo('{oid}')", safe="")
        try:
            held = role_names([r async for r in clients.pages(f"/subscriptions/{s.subscription_id}/providers/"
                                                                f"Microsoft.Authorization/roleAssignments?$filter={flt}",
                                                                await pick(clients, ROLE_TYPE, path=f"/subscriptions/{s.subscription_id}"))])
        except Exception as exc:  # noqa: BLE001 — said in the row, never hidden
            out[s.subscription_id] = f"unknown ({exc})"
            continue
        out[s.subscription_id] = next((r for r in DEPLOYS if r in held), "")
    return out


async def fill_proposals(svc: Any, answers: Any, args: argparse.Namespace) -> tuple[Any, Any, int]:
    from loom_tui.services.dlz.plan import propose_address_space

    facts = await svc.facts(regions_for=[answers.subscription_id] if answers.subscription_id else None)
    if not answers.subscription_id:
        roles = await deployable(svc, facts)
        holds = {}
        for d in facts.reserving():
            holds.setdefault(d.subscription_id.lower(), []).append(d.domain)
        rows = [{"subscriptionId": s.subscription_id, "name": s.display_name, "state": s.state,
                 "canDeploy": bool(roles.get(s.subscription_id)) and not str(roles.get(s.subscription_id)).startswith("unknown"),
                 "via": roles.get(s.subscription_id, ""), "dlzs": sorted(holds.get(s.subscription_id.lower(), [])),
                 "adminPlane": s.subscription_id.lower() == facts.admin_subscription_id.lower()} for s in facts.subscriptions]
        if machine_format(args):
            emit(args, rows, json={"subscriptions": rows})
        else:
            print_table(["subscription", "name", "state", "can deploy", "holds DLZs"],
                        [[r["subscriptionId"], r["name"] + (" (Admin Plane)" if r["adminPlane"] else ""), r["state"],
                          (f"yes ({r['via']})" if r["canDeploy"] else "no" + (f": {r['via']}" if r["via"] else "")),
                          ", ".join(r["dlzs"]) or "-"] for r in rows])
        from loom_tui.domain.dlz import Problem

        return answers, facts, report_problems([Problem("subscription_id", "not given; choose one of the subscriptions listed "
                                                "(multi-sub: one that holds no DLZ) and set subscription_id in the answers file")], args)
    if not answers.address_space:
        space = propose_address_space(facts)
        if space:
            print(f"loom: address_space: not given; proposing {visible(space)}, the next free /16 (as the wizard's network step does)",
                  file=sys.stderr)
            answers = replace(answers, address_space=space)
    return answers, facts, 0
