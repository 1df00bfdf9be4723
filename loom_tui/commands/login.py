"""``loom login|logout|whoami``: the headless sign-in (device code printed to the terminal).

Only the user code and the verification URL are printed; tokens, the device code and secrets
never are.  Server texts are untrusted and printed with control characters escaped.
"""

from __future__ import annotations

import argparse
import sys

from loom_tui.domain.text import visible

from .common import fail
from .output import add_output_args, emit

LOCAL_NOTE = ("the local profile needs no sign-in: it is the embedded store with the demo tenant, and its user is "
              "the demo tenant admin {upn}. To work on Azure, add a profile (`loom profile add NAME --tenant ID "
              "--store cosmos --cosmos-endpoint URL`) and sign in to it with `loom --profile NAME login`.")


def register(sub: argparse._SubParsersAction) -> None:
    from .profile import add_override_flags

    lg = sub.add_parser("login", help="sign in with a device code (open the URL on any device, enter the code)")
    add_override_flags(lg)
    lg.add_argument("--allow-unencrypted-token-cache", action="store_true",
                    help="where no OS keyring exists, keep tokens in a file readable only by you (0600)")
    add_output_args(lg)
    lg.set_defaults(handler=_login)

    lo = sub.add_parser("logout", help="remove the signed-in account and its tokens from the cache")
    add_override_flags(lo)
    lo.add_argument("--allow-unencrypted-token-cache", action="store_true", help=argparse.SUPPRESS)
    add_output_args(lo)
    lo.set_defaults(handler=_logout)

    w = sub.add_parser("whoami", help="who is signed in for the profile (tenant, user, groups, admin)")
    add_override_flags(w)
    w.add_argument("--allow-unencrypted-token-cache", action="store_true", help=argparse.SUPPRESS)
    add_output_args(w)
    w.set_defaults(handler=_whoami)


def _local(args: argparse.Namespace):
    """The chosen profile when it is a local one with no Azure side (the built-in ``local``: the
    embedded store, the demo tenant's user), else ``None``.  A local-store profile that names a
    credential, tenant or client signs in like any other."""
    from loom_tui.wiring import needs_no_sign_in, resolve_profile

    prof = resolve_profile(getattr(args, "profile", None))
    flags = any(getattr(args, k, None) for k in ("tenant_id", "client_id", "subscriptions"))
    return prof if needs_no_sign_in(prof, azure_flags=flags) else None


def _demo_user(persona: str | None = None) -> dict:
    from loom_tui.wiring import demo_user

    return demo_user(persona)


def _profile(args: argparse.Namespace):
    from loom_tui.azure.profiles import effective_profile, validate_azure
    from loom_tui.config import load_config
    from loom_tui.wiring import resolve_profile

    from .profile import override_flags

    prof = resolve_profile(getattr(args, "profile", None))
    eff, _ = effective_profile(prof, flags=override_flags(args))
    validate_azure(eff, load_config().file)
    return eff


def _say(text: str) -> None:
    print(visible(text), file=sys.stderr)


async def _login(args: argparse.Namespace) -> int:
    from loom_tui.azure.auth import DeviceCodeLogin
    from loom_tui.azure.clouds import get_cloud
    from loom_tui.azure.credential import msal_app_for, open_cache_for
    from loom_tui.azure.errors import SignInError
    from loom_tui.azure.session import session_from_claims

    local = _local(args)
    if local is not None:
        user = _demo_user(getattr(args, 'as_persona', None))
        emit(args, {"profile": local.name, "signed_in": False, "needs_sign_in": False, "user": user}, message=LOCAL_NOTE.format(upn=user["upn"]))
        return 0
    prof = _profile(args)
    if prof.credential != "device-code":
        return fail(f"profile {prof.name} signs in with {prof.credential!r}, not a device code: "
                    + {"azure-cli": "run `az login` (loom uses the Azure CLI's sign-in)",
                       "environment": "set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or a certificate)",
                       "managed-identity": "nothing to do on a machine with a managed identity"}.get(prof.credential, "")
                    + "; `loom whoami` checks it")
    cloud = get_cloud(prof.cloud)
    cache = open_cache_for(prof, allow_unencrypted=args.allow_unencrypted_token_cache)
    if cache.note:
        _say(f"note: {cache.note}")
    try:
        app = await msal_app_for(prof, cache)
        login = DeviceCodeLogin(app, [cloud.arm_scope])
        code = await login.start()
        minutes = max(1, code.seconds_left() // 60)
        # the code goes to stderr under a machine format, so stdout stays one result
        tell = sys.stdout if args.output == "table" else sys.stderr
        print(f"To sign in, open {visible(code.verification_uri)} and enter the code {visible(code.user_code)}", file=tell, flush=True)
        print(f"(the code expires in about {minutes} min; ctrl+c cancels)", file=tell, flush=True)
        result = await login.wait()
    except SignInError as exc:
        return fail(f"sign-in: {exc}")
    session = session_from_claims(result.get("id_token_claims") or {}, prof, source="device-code")
    emit(args, {"upn": session.upn, "name": session.display_name, "tenant_id": session.tenant_id, "cloud": cloud.name,
                "profile": prof.name, "token_cache": cache.describe()},
         message=f"signed in as {session.upn} ({session.display_name}) · tenant {session.tenant_id} · {cloud.name}\n{cache.describe()}")
    return 0


async def _logout(args: argparse.Namespace) -> int:
    import asyncio

    from loom_tui.azure.auth import sign_out
    from loom_tui.azure.credential import msal_app_for, open_cache_for
    from loom_tui.azure.errors import SignInError

    local = _local(args)
    if local is not None:
        emit(args, {"profile": local.name, "signed_out": []}, message="the local profile has no sign-in: nothing to sign out of")
        return 0
    prof = _profile(args)
    if prof.credential != "device-code":
        return fail(f"profile {prof.name} uses {prof.credential!r}; loom holds no tokens for it (sign out there)")
    cache = open_cache_for(prof, allow_unencrypted=args.allow_unencrypted_token_cache)
    if cache.kind == "memory":
        emit(args, {"profile": prof.name, "signed_out": []}, message="no persistent token cache on this machine: nothing to sign out of")
        return 0
    try:
        app = await msal_app_for(prof, cache)
    except SignInError as exc:
        return fail(f"logout: {exc}")
    removed = await asyncio.to_thread(sign_out, app)
    lines = [f"signed out {name}; its tokens were removed from {cache.path}" for name in removed] or ["no account was signed in"]
    emit(args, {"profile": prof.name, "signed_out": list(removed)}, message="\n".join(lines))
    return 0


async def _whoami(args: argparse.Namespace) -> int:
    from loom_tui.azure.credential import open_cache_for
    from loom_tui.azure.errors import SignInError
    from loom_tui.azure.session import session_for_profile

    local = _local(args)
    if local is not None:
        data = {**_demo_user(getattr(args, 'as_persona', None)), "profile": local.name, "cloud": "none (embedded store, demo tenant)"}
        emit(args, data)
        return 0
    prof = _profile(args)
    if prof.credential == "device-code":
        # make sure an allowed plain file cache is used (and announced) the same way as by login
        cache = open_cache_for(prof, allow_unencrypted=args.allow_unencrypted_token_cache)
        if cache.note:
            _say(f"note: {cache.note}")
        if cache.kind == "memory":  # nothing survives a run: no need to ask the network
            return fail(str(SignInError("not-signed-in", "no persistent token cache on this machine")), 1)
        if args.allow_unencrypted_token_cache:
            import dataclasses

            prof = dataclasses.replace(prof, allow_unencrypted_token_cache=True)
    try:
        s = await session_for_profile(prof)
    except SignInError as exc:
        return fail(str(exc), 1)
    data = {"tenant_id": s.tenant_id, "user_oid": s.user_oid, "upn": s.upn, "name": s.display_name, "groups": list(s.groups),
            "tenant_admin": s.is_tenant_admin, "credential": s.source, "profile": prof.name, "cloud": prof.cloud}
    emit(args, data)
    return 0
