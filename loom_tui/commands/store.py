"""``loom store init``: create the store's database and containers that are missing.

A writable open never creates anything (an account with local auth disabled refuses container
creation through the data plane; see :mod:`loom_tui.services.store_init`).  On a Cosmos profile
signed in with Entra this goes through Azure Resource Manager and needs the role *DocumentDB
Account Contributor* on the account; with an account key (the emulator) through the data plane.
Running it again creates nothing.
"""

from __future__ import annotations

import argparse
import sys

from loom_tui.domain.text import visible

from .output import add_output_args, emit, output_format


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("store", help="the document store: create its containers (init)")
    verbs = p.add_subparsers(dest="store_verb", metavar="VERB")
    verbs.required = True
    init = verbs.add_parser("init", help="create the database and containers that are missing (through Azure Resource Manager "
                                         "on a Cosmos account: needs DocumentDB Account Contributor)")
    init.add_argument("--account-id", metavar="ID", help="the Cosmos DB account's ARM id (default: the account whose endpoint is "
                                                         "the profile's cosmos_endpoint, looked for in the profile's subscriptions)")
    add_output_args(init)
    init.set_defaults(handler=handle_init)


async def handle_init(args: argparse.Namespace) -> int:
    from loom_tui.errors import ReadOnlyError
    from loom_tui.wiring import init_store, resolve_profile

    profile = resolve_profile(getattr(args, "profile", None))
    if getattr(args, "read_only", False) or profile.read_only:
        raise ReadOnlyError("loom store init")
    quiet = output_format(args) != "table"

    async def step(text: str) -> None:
        if not quiet:
            print(visible(text), file=sys.stderr)

    report = await init_store(profile, data_dir=getattr(args, "data_dir", None), account_id=args.account_id, on_step=step)
    made = report["created"]
    lines = [f"{report['store']}: through {report['via']}"]
    if report["via"] == "embedded":
        lines.append("the embedded store creates its tables itself: nothing else to create")
    elif made:
        lines.append(f"created {len(made)}: {', '.join(made)}")
    else:
        lines.append("nothing to create: every container exists")
    emit(args, report, message="\n".join(visible(line) for line in lines))
    return 0
