"""``loom profile list|show|add|use``: named profiles in the TOML config file.

``show`` prints the *effective* profile — after ``AZURE_TENANT_ID`` / ``AZURE_CLIENT_ID`` /
``AZURE_SUBSCRIPTION_ID`` and flags — with where each overridden value came from.
"""

from __future__ import annotations

import argparse
import dataclasses

from .output import Column, add_output_args, emit


def add_override_flags(p: argparse.ArgumentParser) -> None:
    """Flags that win over the environment and the file (shared with ``loom login``)."""
    p.add_argument("--tenant", dest="tenant_id", metavar="ID", help="tenant id or domain (env AZURE_TENANT_ID)")
    p.add_argument("--client-id", metavar="ID", help="application (client) id (env AZURE_CLIENT_ID)")
    p.add_argument("--subscription", dest="subscriptions", action="append", metavar="ID", help="subscription id (env AZURE_SUBSCRIPTION_ID); repeatable")
    p.add_argument("--cloud", metavar="NAME", help="cloud name (see `loom cloud list`)")


def override_flags(args: argparse.Namespace) -> dict:
    return {k: getattr(args, k, None) for k in ("tenant_id", "client_id", "subscriptions", "cloud")}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("profile", help="profiles: which cloud, tenant, subscriptions and store to use")
    ps = p.add_subparsers(dest="profile_command", metavar="ACTION", required=True)

    lp = ps.add_parser("list", help="list profiles (* marks the default)")
    add_output_args(lp)
    lp.set_defaults(handler=_list)

    s = ps.add_parser("show", help="show a profile as it will be used (env and flags applied)")
    s.add_argument("name", nargs="?", help="profile (default: --profile, else the default profile)")
    add_override_flags(s)
    add_output_args(s)
    s.set_defaults(handler=_show)

    a = ps.add_parser("add", help="add a profile to the config file")
    a.add_argument("name")
    a.add_argument("--cloud", default=None, metavar="NAME", help="AzureCloud (default), AzureUSGovernment, AzureChinaCloud, USSec, USNat or a registered cloud")
    a.add_argument("--tenant", dest="tenant_id", metavar="ID")
    a.add_argument("--client-id", metavar="ID", help="your app registration (default: the Azure CLI's public client)")
    a.add_argument("--subscription", dest="subscriptions", action="append", default=[], metavar="ID")
    a.add_argument("--credential", choices=["device-code", "azure-cli", "environment", "managed-identity"])
    a.add_argument("--store", choices=["local", "cosmos"])
    a.add_argument("--cosmos-endpoint", metavar="URL")
    a.add_argument("--cosmos-database", metavar="NAME")
    a.add_argument("--admin-plane-rg", metavar="NAME")
    a.add_argument("--dlz-rg", dest="dlz_rgs", action="append", default=[], metavar="NAME")
    a.add_argument("--admin-group-id", metavar="ID", help="Entra group whose members are tenant admins")
    a.add_argument("--deploy-principal-id", metavar="OBJECT_ID", help="the service principal that deploys DLZs (the DLZ wizard checks its roles)")
    a.add_argument("--deploy-principal-name", metavar="NAME", help="how the DLZ wizard names that service principal")
    a.add_argument("--read-only", dest="profile_read_only", action="store_true", help="the profile never changes anything")
    a.add_argument("--allow-unencrypted-token-cache", action="store_true", help="allow a 0600 token cache file where no keyring exists")
    a.add_argument("--replace", action="store_true", help="overwrite a profile of the same name")
    a.add_argument("--use", action="store_true", help="make it the default profile")
    add_output_args(a)
    a.set_defaults(handler=_add)

    u = ps.add_parser("use", help="make a profile the default")
    u.add_argument("name")
    add_output_args(u)
    u.set_defaults(handler=_use)


SECRET_FIELDS = ("cosmos_key",)


def masked(profile: dict) -> dict:
    """A profile as printed in every format: secrets (the Cosmos account key) never shown."""
    return {k: ("(set; not shown)" if k in SECRET_FIELDS and v else v) for k, v in profile.items()}


async def _list(args: argparse.Namespace) -> int:
    from loom_tui.config import load_config

    cfg = load_config()
    rows = [{**masked(dataclasses.asdict(p)), "is_default": p.name == cfg.default_profile} for p in cfg.profiles.values()]
    columns = [
        Column("is_default", " ", show=lambda r: "*" if r["is_default"] else ""),
        Column("name", "Name"),
        Column("store", "Store"),
        Column("endpoint", "Endpoint", show=lambda r: "embedded" if r["store"] == "local" else (r.get("cosmos_endpoint") or "")),
        Column("cloud", "Cloud", show=lambda r: "" if r["store"] == "local" else r["cloud"]),
        Column("tenant_id", "Tenant"),
        Column("read_only", "Read-only", show=lambda r: "yes" if r["read_only"] else ""),
    ]
    emit(args, rows, columns, json=rows, footer=f"\n(config file: {cfg.file})")
    return 0


async def _show(args: argparse.Namespace) -> int:
    from loom_tui.azure.profiles import client_id, effective_profile, validate_azure
    from loom_tui.config import load_config
    from loom_tui.wiring import resolve_profile

    name = args.name or getattr(args, "profile", None)
    prof = resolve_profile(name)
    eff, sources = effective_profile(prof, flags=override_flags(args))
    validate_azure(eff, load_config().file)
    data = masked(dataclasses.asdict(eff))
    data["effective_client_id"] = client_id(eff)
    shown = {k: (f"{'' if v is None else ', '.join(v) if isinstance(v, list) else v}  (from {sources[k]})" if k in sources else v)
             for k, v in data.items()}
    emit(args, shown, json={"profile": data, "overridden": sources})
    return 0


async def _add(args: argparse.Namespace) -> int:
    from loom_tui.azure.profiles import add_profile

    values = {
        "store": args.store,
        "cloud": args.cloud,
        "tenant_id": args.tenant_id,
        "client_id": args.client_id,
        "subscriptions": args.subscriptions,
        "credential": args.credential,
        "cosmos_endpoint": args.cosmos_endpoint,
        "cosmos_database": args.cosmos_database,
        "admin_plane_rg": args.admin_plane_rg,
        "dlz_rgs": args.dlz_rgs,
        "admin_group_id": args.admin_group_id,
        "deploy_principal_id": args.deploy_principal_id,
        "deploy_principal_name": args.deploy_principal_name,
        "read_only": True if args.profile_read_only else None,
        "allow_unencrypted_token_cache": True if args.allow_unencrypted_token_cache else None,
    }
    file = add_profile(args.name, values, replace=args.replace, make_default=args.use)
    emit(args, {"profile": args.name, "file": str(file), "default": bool(args.use)},
         message=f"profile {args.name} written to {file}" + (" (now the default)" if args.use else ""))
    return 0


async def _use(args: argparse.Namespace) -> int:
    from loom_tui.azure.profiles import use_profile

    file = use_profile(args.name)
    emit(args, {"default": args.name, "file": str(file)}, message=f"default profile is now {args.name} ({file})")
    return 0
