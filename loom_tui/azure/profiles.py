"""The Azure side of a profile: environment and flag overrides, validation, and writing profiles.

Overrides follow the Azure CLI's variable names (``AZURE_TENANT_ID``, ``AZURE_CLIENT_ID``,
``AZURE_SUBSCRIPTION_ID``) so a jump box already set up for ``az`` works as is; command-line flags
win over both the environment and the file.  ``effective_profile`` also records where each value
came from, so ``loom profile show`` can answer "why is it using that tenant?".
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Any, Mapping

from loom_tui import paths
from loom_tui.config import LOCAL, ConfigError, Profile, ProfileExists, UnknownProfile, load_config

# the Azure CLI's public client id: works in every tenant without an app registration of one's own
AZURE_CLI_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
CREDENTIALS = ("device-code", "azure-cli", "environment", "managed-identity")
ENV_OVERRIDES = {"tenant_id": "AZURE_TENANT_ID", "client_id": "AZURE_CLIENT_ID", "subscriptions": "AZURE_SUBSCRIPTION_ID"}
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def effective_profile(
    profile: Profile, *, env: Mapping[str, str] | None = None, flags: Mapping[str, Any] | None = None
) -> tuple[Profile, dict[str, str]]:
    """The profile with env and flag overrides applied, and ``{field: "env AZURE_..."|"flag"}``."""
    env = os.environ if env is None else env
    changes: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for fname, var in ENV_OVERRIDES.items():
        value = env.get(var)
        if value:
            changes[fname] = [value] if fname == "subscriptions" else value
            sources[fname] = f"env {var}"
    for fname, value in (flags or {}).items():
        if value is None or value == [] or fname not in {f.name for f in dataclasses.fields(Profile)}:
            continue
        changes[fname] = [value] if fname == "subscriptions" and isinstance(value, str) else value
        sources[fname] = "flag"
    return dataclasses.replace(profile, **changes), sources


def client_id(profile: Profile) -> str:
    return profile.client_id or AZURE_CLI_CLIENT_ID


def validate_azure(profile: Profile, file: Path | str | None = None) -> None:
    """Checks ``config.load_config`` cannot make (they need the cloud registry): raise a
    ``ConfigError`` naming the file, the key and what is wrong."""
    from .clouds import CloudError, get_cloud

    file = file or paths.config_file()
    where = f"profiles.{profile.name}"
    if profile.credential not in CREDENTIALS:
        raise ConfigError(file, f"{where}.credential", f"must be one of {', '.join(CREDENTIALS)}, not {profile.credential!r}")
    try:
        get_cloud(profile.cloud)
    except CloudError as exc:
        raise ConfigError(file, f"{where}.cloud", str(exc)) from None
    for key in ("tenant_id", "client_id", "admin_group_id"):
        value = getattr(profile, key)
        if value and key != "tenant_id" and not _GUID.match(value):
            raise ConfigError(file, f"{where}.{key}", f"must be a GUID, not {value!r}")
    if profile.tenant_id and not (_GUID.match(profile.tenant_id) or "." in profile.tenant_id):
        raise ConfigError(file, f"{where}.tenant_id", f"must be a tenant GUID or domain (contoso.onmicrosoft.com), not {profile.tenant_id!r}")
    for sub in profile.subscriptions:
        if not _GUID.match(sub):
            raise ConfigError(file, f"{where}.subscriptions", f"must be subscription GUIDs, not {sub!r}")


# ---------------------------------------------------------------- writing the file


def _read_raw(file: Path) -> dict[str, Any]:
    import tomllib

    if not file.exists():
        return {}
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(file, "(file)", f"not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(file, "(file)", f"is not valid UTF-8 (byte {exc.start})") from None
    except RecursionError:
        raise ConfigError(file, "(file)", "is nested too deeply to be a loom config") from None


def _write_raw(file: Path, raw: dict[str, Any]) -> None:
    """Write atomically, keeping the previous file as ``config.toml.bak`` (tomli-w keeps no comments)."""
    import tomli_w

    from loom_tui.private_files import write_private

    # both may hold a Cosmos account key: owner-only (0600) from the moment they exist
    if file.exists():
        write_private(file.with_name(file.name + ".bak"), file.read_bytes())
    write_private(file, tomli_w.dumps(raw))


def add_profile(name: str, values: dict[str, Any], *, replace: bool = False, make_default: bool = False, file: Path | None = None) -> Path:
    """Add (or replace) ``[profiles.NAME]``; the result is checked by loading it back before the
    file is written, so a bad value never lands on disk."""
    file = file or paths.config_file()
    if not re.match(r"^[A-Za-z0-9_-]+$", name):
        raise ConfigError(file, f"profiles.{name}", "profile names use letters, digits, '-' and '_' only")
    if name == LOCAL:
        raise ConfigError(file, f"profiles.{name}", "'local' is the built-in embedded profile; choose another name")
    raw = _read_raw(file)
    profiles = raw.setdefault("profiles", {})
    if name in profiles and not replace:
        raise ProfileExists(file, f"profiles.{name}", "already exists (use --replace)")
    profiles[name] = {k: v for k, v in values.items() if v is not None and v != []}
    if make_default:
        raw["default_profile"] = name
    _check_candidate(file, raw, name)
    _write_raw(file, raw)
    return file


def use_profile(name: str, *, file: Path | None = None) -> Path:
    file = file or paths.config_file()
    raw = _read_raw(file)
    if name != LOCAL and name not in raw.get("profiles", {}):
        have = ", ".join(sorted([LOCAL, *raw.get("profiles", {})]))
        raise UnknownProfile(file, "default_profile", f"no profile named {name!r} (have: {have})")
    raw["default_profile"] = name
    _check_candidate(file, raw, name)
    _write_raw(file, raw)
    return file


def _check_candidate(file: Path, raw: dict[str, Any], name: str) -> None:
    import tempfile

    import tomli_w

    with tempfile.TemporaryDirectory() as d:
        probe = Path(d) / "config.toml"
        probe.write_text(tomli_w.dumps(raw), encoding="utf-8")
        try:
            cfg = load_config(probe)
        except ConfigError as exc:
            raise ConfigError(file, exc.key, exc.problem) from None
    if name in cfg.profiles:
        validate_azure(cfg.profiles[name], file)
