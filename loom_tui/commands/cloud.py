"""``loom cloud register|list|show``: the Azure clouds loom can sign in to.

Registering works the way air-gapped operators know from ``az cloud register``: point at the
cloud's ARM metadata endpoint, or at a JSON file of the same shape carried in by hand.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from loom_tui.domain.text import visible
from loom_tui.errors import CommandError

from .common import fail
from .output import Column, add_output_args, emit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cloud", help="Azure clouds: built-in and registered (air-gapped) ones")
    cs = p.add_subparsers(dest="cloud_command", metavar="ACTION", required=True)

    r = cs.add_parser("register", help="register a custom cloud from its ARM metadata endpoint or a JSON file")
    r.add_argument("name", help="name to give the cloud (used as `cloud = NAME` in a profile)")
    src = r.add_mutually_exclusive_group(required=True)
    src.add_argument("--metadata-url", metavar="URL", help="{arm}/metadata/endpoints?api-version=2022-09-01 (or just the ARM endpoint)")
    src.add_argument("--from-file", metavar="PATH", help="a JSON file shaped like the metadata endpoint's answer")
    r.add_argument("--replace", action="store_true", help="overwrite a cloud already registered under NAME")
    add_output_args(r)
    r.set_defaults(handler=_register)

    lp = cs.add_parser("list", help="list built-in and registered clouds")
    add_output_args(lp)
    lp.set_defaults(handler=_list)

    s = cs.add_parser("show", help="show one cloud's endpoints, suffixes and private-link DNS zones")
    s.add_argument("name")
    add_output_args(s)
    s.set_defaults(handler=_show)


async def _register(args: argparse.Namespace) -> int:
    from loom_tui.azure.clouds import CloudError, cloud_from_metadata, fetch_metadata, register_cloud

    try:
        if args.metadata_url:
            doc = await fetch_metadata(args.metadata_url)
            source = args.metadata_url
        else:
            path = Path(args.from_file).expanduser()
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
            except OSError as exc:
                return fail(f"{path}: cannot be read: {exc.strerror}")
            except ValueError as exc:
                return fail(f"{path}: not valid JSON: {exc}")
            source = str(path.resolve())
        cloud = cloud_from_metadata(args.name, doc, source=source)
        file = register_cloud(cloud, replace=args.replace)
    except CloudError as exc:
        raise CommandError(f"cloud register: {exc}", exc.exit_code, exc.code) from None
    lines = [f"registered cloud {visible(cloud.name)} in {visible(file)}",
             f"  sign-in  {visible(cloud.authority_host)}  (instance discovery {'on' if cloud.instance_discovery else 'off'})",
             f"  ARM      {visible(cloud.arm_endpoint)}"]
    if cloud.zones_incomplete:
        lines.append("  note: only the storage private-link zones could be derived; add \"privateDnsZones\" to the file for the others")
    emit(args, {"registered": cloud.name, "file": str(file), **cloud.to_dict()}, message="\n".join(lines))
    return 0


async def _list(args: argparse.Namespace) -> int:
    from loom_tui.azure.clouds import list_clouds

    clouds = list_clouds()
    rows = [c.to_dict() for c in clouds]
    emit(args, rows, [Column("name", "Name"), Column("kind", "Kind", lambda r: "built-in" if r.get("builtin") else "custom"),
                      Column("authority_host", "Sign-in"), Column("arm_endpoint", "ARM")])
    return 0


async def _show(args: argparse.Namespace) -> int:
    from loom_tui.azure.clouds import get_cloud

    c = get_cloud(args.name)
    rows = [
        ["name", c.name],
        ["kind", "built-in" if c.builtin else f"custom (from {c.source})"],
        ["authority", c.authority_host],
        ["instance discovery", "on" if c.instance_discovery else "off (authority unknown to MSAL)"],
        ["ARM endpoint", c.arm_endpoint],
        ["ARM scope", c.arm_scope],
        ["portal", c.portal or "(not given)"],
        ["storage suffix", c.storage_suffix],
        ["Cosmos DB suffix", c.cosmos_suffix or "not public: read documentEndpoint of the account from ARM"],
        ["Log Analytics", c.log_analytics or "(not given)"],
    ]
    rows += [[f"zone {svc}", zone] for svc, zone in sorted(c.private_dns_zones.items())]
    if c.zones_incomplete:
        rows.append(["zones", "incomplete: only storage zones are known for this cloud"])
    emit(args, dict(rows), json=c.to_dict())
    return 0
