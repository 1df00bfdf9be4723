"""``loom demo-azure serve``: run the demo Azure (the local Azure Resource Manager the demo tenant
uses) in the foreground, so an operator can point a profile at it and rehearse.  Ctrl+C stops it.
``loom demo-azure reset`` puts its estate back as seeded (``loom seed`` does too)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from .common import fail
from .output import add_output_args, emit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo-azure", help="the demo Azure: a local Azure Resource Manager on 127.0.0.1")
    cs = p.add_subparsers(dest="demo_azure_command", metavar="ACTION", required=True)
    s = cs.add_parser("serve", help="run it in the foreground (Ctrl+C stops it) and print how to point a profile at it")
    s.add_argument("--port", type=int, default=0, metavar="N", help="port on 127.0.0.1 (default: a free one)")
    s.add_argument("--action-seconds", type=float, default=None, metavar="S",
                   help="how long pause, resume, scale and the other operations take (default 4, divided by LOOM_DEMO_SPEED)")
    s.add_argument("--answers", default=None, metavar="MODE",
                   help="which of the answers the API specs allow it gives: default, random[:SEED] or point=variant,... "
                        "(default LOOM_DEMO_ANSWERS; `loom demo-azure answers` lists the points)")
    s.add_argument("--api-versions", default=None, choices=("public", "lagging"),
                   help="the api-versions its cloud offers: the public cloud's, or a lagging (sovereign, custom) cloud's "
                        "(default LOOM_DEMO_API_VERSIONS, else public)")
    s.add_argument("--json", action="store_true", help="print the endpoint, CA bundle, secret and tenant as one JSON line")
    s.set_defaults(handler=_serve)
    r = cs.add_parser("reset", help="put the demo estate back as seeded")
    r.set_defaults(handler=_reset)

    # rehearsing failures: stored in the data dir, so the demo Azure of every loom process obeys
    i = cs.add_parser("inject", help="make the next requests to a route fail (429 with a retry-after variant, 503, reset, timeout, malformed)")
    i.add_argument("route", help="route name (see `loom demo-azure routes`), e.g. resources.list or fabric.capacities.get")
    i.add_argument("kind", choices=["429", "503", "reset", "timeout", "malformed"])
    i.add_argument("--variant", default="retry-after-seconds", help="for 429: which retry-after header (default retry-after-seconds)")
    i.add_argument("--seconds", type=float, default=0, help="the retry-after value (default 0)")
    i.add_argument("--times", type=int, default=1, help="how many requests (default 1)")
    add_output_args(i)
    i.set_defaults(handler=_inject)
    f = cs.add_parser("fail", help="make an action fail: the call itself, or its operation at the end")
    f.add_argument("action", help="e.g. fabric.suspend, fabric.resume, fabric.update, synapse.pause, kusto.stop, deployments.resource")
    f.add_argument("--target", metavar="ID", help="only for this resource id (default: any)")
    f.add_argument("--at", choices=["request", "operation"], default="request")
    f.add_argument("--status", type=int, default=409, help="HTTP status when --at request (default 409)")
    f.add_argument("--code", default="Conflict", help="ARM error code (default Conflict)")
    f.add_argument("--message", default="The operation failed (injected by the demo Azure).", help="ARM error message")
    f.add_argument("--times", type=int, default=1)
    add_output_args(f)
    f.set_defaults(handler=_fail)
    d = cs.add_parser("delay", help="add latency to every request to a route (0 removes it)")
    d.add_argument("route")
    d.add_argument("seconds", type=float)
    add_output_args(d)
    d.set_defaults(handler=_delay)
    c = cs.add_parser("clear", help="remove every injected fault, failure and delay")
    add_output_args(c)
    c.set_defaults(handler=_clear)
    a = cs.add_parser("answers", help="list the answer points and the variants the API specs allow at each (the first is the default)")
    add_output_args(a)
    a.set_defaults(handler=_answers)
    rt = cs.add_parser("routes", help="list the route names faults and delays apply to")
    add_output_args(rt)
    rt.set_defaults(handler=_routes)


def _data_dir(args: argparse.Namespace):
    from loom_tui import paths
    from loom_tui.wiring import resolve_profile

    override = getattr(args, "data_dir", None)
    if not override:
        try:
            override = resolve_profile(getattr(args, "profile", None)).data_dir
        except Exception:  # a broken config must not stop the local server; the default dir is used
            override = None
    return paths.data_dir(override)


def snippet(handle) -> str:
    from loom_tui.demo_azure.estate import ADMIN_RG
    from loom_tui.demo_azure.metadata import CLOUD_NAME

    return "\n".join([
        f"demo Azure (on this machine): {handle.arm_endpoint}",
        f"  CA bundle: {handle.ca_bundle}",
        f"  tenant:    {handle.tenant_id}",
        f"  subscriptions: {', '.join(handle.subscriptions)} (Admin Plane resource group {ADMIN_RG})",
        f"  bearer secret (this run only): {handle.secret}",
        "",
        "Register it as a cloud (trust its CA first):",
        f"  export REQUESTS_CA_BUNDLE={handle.ca_bundle}",
        f"  loom cloud register {CLOUD_NAME} --replace --metadata-url '{handle.metadata_url}'",
        "",
        "Call it with any ARM client, the secret as the bearer token:",
        f"  curl --cacert {handle.ca_bundle} -H 'Authorization: Bearer {handle.secret}' \\",
        f"       '{handle.arm_endpoint}subscriptions?api-version=2022-12-01'",
        "",
        "The console and every loom command on the local profile start and use their own demo Azure;",
        "a profile of this cloud would need a sign-in (device code, CLI, ...) the demo Azure cannot give.",
        "",
        "Ctrl+C stops it.",
    ])


async def _serve(args: argparse.Namespace) -> int:
    from loom_tui.demo_azure.launcher import start_demo_azure
    from loom_tui.errors import UsageError

    if not 0 <= args.port <= 65535:
        return fail("--port must be between 0 and 65535")
    if args.action_seconds is not None and args.action_seconds < 0:
        return fail("--action-seconds must not be negative")
    try:
        handle = start_demo_azure(_data_dir(args), port=args.port, action_seconds=args.action_seconds, answers=args.answers,
                                  api_versions=args.api_versions)
    except UsageError as exc:
        return fail(str(exc))
    except (OSError, RuntimeError) as exc:
        return fail(f"the demo Azure could not start: {exc}", 1)
    try:
        if args.json:
            print(json.dumps({"arm_endpoint": handle.arm_endpoint, "ca_bundle": handle.ca_bundle, "secret": handle.secret,
                              "tenant_id": handle.tenant_id, "subscriptions": handle.subscriptions,
                              "metadata_url": handle.metadata_url}), flush=True)
        else:
            print(snippet(handle), flush=True)
            print(f"  answers:   {handle.server.answers.describe()}", flush=True)
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:  # Ctrl+C: asyncio.run cancels this task
            pass
    finally:
        handle.stop()
    print("demo Azure stopped", file=sys.stderr)
    return 0


async def _reset(args: argparse.Namespace) -> int:
    _writable(args, "resetting the demo Azure's estate")
    from loom_tui.demo_azure.launcher import reset_demo_azure

    reset_demo_azure(_data_dir(args))
    print("demo Azure estate reset")
    return 0


def _writable(args: argparse.Namespace, action: str) -> None:
    """Read-only (``--read-only`` or the profile's ``read_only``) refuses every change to the demo
    Azure's state, as it refuses every other write (exit 4)."""
    from loom_tui.wiring import resolve_profile
    from loom_tui.errors import ReadOnlyError

    read_only = bool(getattr(args, "read_only", False))
    if not read_only:
        try:
            read_only = resolve_profile(getattr(args, "profile", None)).read_only
        except Exception:  # a broken config is reported by the commands that need it
            read_only = False
    if read_only:
        raise ReadOnlyError(action)


def _state(args: argparse.Namespace):
    from loom_tui.demo_azure.state import State, state_path

    return State(state_path(_data_dir(args)))


async def _inject(args: argparse.Namespace) -> int:
    _writable(args, "injecting a fault into the demo Azure")
    from loom_tui.demo_azure.faults import RETRY_AFTER_VARIANTS

    if args.variant not in RETRY_AFTER_VARIANTS:
        return fail(f"--variant: one of {', '.join(sorted(RETRY_AFTER_VARIANTS))}")
    if args.times < 1 or args.seconds < 0:
        return fail("--times must be at least 1 and --seconds not negative")
    state = _state(args)
    try:
        state.inject_fault(args.route, args.kind, variant=args.variant, seconds=args.seconds, times=args.times)
    finally:
        state.close()
    emit(args, {"route": args.route, "fault": args.kind, "variant": args.variant, "seconds": args.seconds, "times": args.times},
         message=f"{args.route}: the next {args.times} request(s) answer {args.kind}")
    return 0


async def _fail(args: argparse.Namespace) -> int:
    _writable(args, "making a demo Azure action fail")
    if args.times < 1 or not 400 <= args.status <= 599:
        return fail("--times must be at least 1 and --status an HTTP error status (400-599)")
    state = _state(args)
    try:
        state.fail_action(args.action, target=args.target, status=args.status, code=args.code, message=args.message,
                          at=args.at, times=args.times)
    finally:
        state.close()
    emit(args, {"action": args.action, "target": args.target, "at": args.at, "status": args.status, "code": args.code,
                "message": args.message, "times": args.times},
         message=f"{args.action}: the next {args.times} call(s) fail at the {args.at} with {args.code}")
    return 0


async def _delay(args: argparse.Namespace) -> int:
    _writable(args, "delaying the demo Azure")
    if args.seconds < 0:
        return fail("seconds must not be negative")
    state = _state(args)
    try:
        state.set_delay(args.route, args.seconds)
    finally:
        state.close()
    emit(args, {"route": args.route, "seconds": args.seconds},
         message=f"{args.route}: {args.seconds:g} s added to every request" if args.seconds else f"{args.route}: no added latency")
    return 0


async def _clear(args: argparse.Namespace) -> int:
    _writable(args, "clearing the demo Azure's faults")
    state = _state(args)
    try:
        state.clear_action_faults()
    finally:
        state.close()
    emit(args, {"cleared": True}, message="no injected faults, failures or delays")
    return 0


async def _answers(args: argparse.Namespace) -> int:
    from loom_tui.demo_azure.answers import POINTS

    emit(args, [{"point": p, "default": v[0], "variants": ", ".join(v)} for p, v in POINTS.items()])
    return 0


async def _routes(args: argparse.Namespace) -> int:
    from loom_tui.demo_azure.router import Router
    from loom_tui.demo_azure.routes import register_all

    state = _state(args)
    try:
        router = Router()
        register_all(router, state)
    finally:
        state.close()
    emit(args, [{"route": r.name, "method": r.method, "path": r.pattern.pattern.removesuffix("/?$")} for r in router.routes])
    return 0
