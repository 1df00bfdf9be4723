"""``loom demo-azure serve``: run the demo Azure (the local Azure Resource Manager the demo tenant
uses) in the foreground, so an operator can point a profile at it and rehearse.  Ctrl+C stops it.
``loom demo-azure reset`` puts its estate back as seeded (``loom seed`` does too)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from .common import fail


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo-azure", help="the demo Azure: a local Azure Resource Manager on 127.0.0.1")
    cs = p.add_subparsers(dest="demo_azure_command", metavar="ACTION", required=True)
    s = cs.add_parser("serve", help="run it in the foreground (Ctrl+C stops it) and print how to point a profile at it")
    s.add_argument("--port", type=int, default=0, metavar="N", help="port on 127.0.0.1 (default: a free one)")
    s.add_argument("--action-seconds", type=float, default=4.0, metavar="S",
                   help="how long pause, resume, scale and the other operations take (default 4)")
    s.add_argument("--json", action="store_true", help="print the endpoint, CA bundle, secret and tenant as one JSON line")
    s.set_defaults(handler=_serve)
    r = cs.add_parser("reset", help="put the demo estate back as seeded")
    r.set_defaults(handler=_reset)


def _data_dir(args: argparse.Namespace):
    from loom_tui import paths
    from loom_tui.config import resolve_profile

    override = getattr(args, "data_dir", None)
    if not override:
        try:
            override = resolve_profile(getattr(args, "profile", None)).data_dir
        except Exception:  # a broken config must not stop the local server; the default dir is used
            override = None
    return paths.data_dir(override)


def snippet(handle) -> str:
    from loom_tui.demo_azure.estate import ADMIN_RG, DOMAIN_PLACEMENT, dlz_rg
    from loom_tui.demo_azure.metadata import CLOUD_NAME

    subs = ", ".join(f'"{s}"' for s in handle.subscriptions)
    dlz = ", ".join(f'"{dlz_rg(d)}"' for d in DOMAIN_PLACEMENT)
    return "\n".join([
        f"demo Azure (on this machine): {handle.arm_endpoint}",
        f"  CA bundle: {handle.ca_bundle}",
        f"  tenant:    {handle.tenant_id}",
        f"  bearer secret (this run only): {handle.secret}",
        "",
        "Register it as a cloud (trust its CA first):",
        f"  export REQUESTS_CA_BUNDLE={handle.ca_bundle}",
        f"  loom cloud register {CLOUD_NAME} --replace --metadata-url '{handle.metadata_url}'",
        "",
        "Profile (config.toml):",
        "  [profiles.rehearse]",
        '  store = "local"',
        f'  cloud = "{CLOUD_NAME}"',
        f'  tenant_id = "{handle.tenant_id}"',
        f"  subscriptions = [{subs}]",
        f'  admin_plane_rg = "{ADMIN_RG}"',
        f"  dlz_rgs = [{dlz}]",
        "",
        f"  export LOOM_DEMO_AZURE_SECRET={handle.secret}",
        "",
        "Ctrl+C stops it.",
    ])


async def _serve(args: argparse.Namespace) -> int:
    from loom_tui.demo_azure.launcher import start_demo_azure

    if not 0 <= args.port <= 65535:
        return fail("--port must be between 0 and 65535")
    if args.action_seconds < 0:
        return fail("--action-seconds must not be negative")
    try:
        handle = start_demo_azure(_data_dir(args), port=args.port, action_seconds=args.action_seconds)
    except (OSError, RuntimeError) as exc:
        return fail(f"the demo Azure could not start: {exc}", 1)
    try:
        if args.json:
            print(json.dumps({"arm_endpoint": handle.arm_endpoint, "ca_bundle": handle.ca_bundle, "secret": handle.secret,
                              "tenant_id": handle.tenant_id, "subscriptions": handle.subscriptions,
                              "metadata_url": handle.metadata_url}), flush=True)
        else:
            print(snippet(handle), flush=True)
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:  # Ctrl+C: asyncio.run cancels this task
            pass
    finally:
        handle.stop()
    print("demo Azure stopped", file=sys.stderr)
    return 0


async def _reset(args: argparse.Namespace) -> int:
    from loom_tui.demo_azure.launcher import reset_demo_azure

    reset_demo_azure(_data_dir(args))
    print("demo Azure estate reset")
    return 0
