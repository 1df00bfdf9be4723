"""Profiles: which store, which cloud and tenant, read-only or not.

A TOML file (``paths.config_file()``) holds named profiles::

    default_profile = "prod"

    [profiles.prod]
    store = "cosmos"                 # "local" (embedded SQLite, the default) or "cosmos"
    cloud = "AzureCloud"
    tenant_id = "..."
    cosmos_endpoint = "https://acct.documents.azure.com:443/"
    cosmos_database = "loom"
    read_only = true

Without a file, or without the named profile "local", the built-in ``local`` profile is used: the
embedded store with the demo tenant.  Every error names the file, the key and what is wrong.
"""

from __future__ import annotations

import re

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from . import paths
from .areas import current_binding_id
from .errors import CONFLICT, NOT_FOUND, USAGE, LoomError

STORES = ("local", "cosmos")
LOCAL = "local"


class ConfigError(LoomError):
    """The config file (or a flag or variable standing in for it) is unusable: file, key, why."""

    code = "config"
    exit_code = USAGE

    def __init__(self, file: Path | str, key: str, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}")
        self.file = str(file)
        self.key = key
        self.problem = problem


class ProfileExists(ConfigError):
    """``profile add`` names a profile that is there already (without ``--replace``)."""

    code = "conflict"
    exit_code = CONFLICT


class UnknownProfile(ConfigError):
    """``--profile`` (or ``profile use``) names no profile."""

    code = "not-found"
    exit_code = NOT_FOUND


@dataclass
class Profile:
    name: str = LOCAL
    store: str = "local"
    read_only: bool = False
    # embedded store
    data_dir: str | None = None
    # Azure
    cloud: str = "AzureCloud"
    tenant_id: str | None = None
    client_id: str | None = None
    credential: str = "device-code"  # device-code | azure-cli | environment | managed-identity
    # token cache: a plain 0600 file where the OS keyring is missing (headless Linux); off unless allowed
    allow_unencrypted_token_cache: bool = False
    subscriptions: list[str] = field(default_factory=list)
    admin_plane_rg: str | None = None
    dlz_rgs: list[str] = field(default_factory=list)
    admin_group_id: str | None = None
    # the service principal that deploys DLZs (its object id): the DLZ wizard checks ITS roles, not the signed-in user's
    deploy_principal_id: str | None = None
    deploy_principal_name: str | None = None  # how to name it on screen (default: its object id)
    # concurrent HTTP requests to Azure across the whole run (every client, every call)
    azure_concurrency: int = 8
    # the Fabric Capacity Metrics semantic model (its dataset id, or groupId/datasetId): Fabric
    # auto-pause reads CU figures from it through Power BI's executeQueries
    capacity_metrics_dataset: str | None = None
    capacity_metrics_query: str | None = None  # DAX returning Capacity, Time, CU % (default: cu_metrics.QUERY)
    powerbi_endpoint: str | None = None  # Power BI REST endpoint for a cloud loom does not know
    graph_endpoint: str | None = None  # Microsoft Graph endpoint for a cloud loom does not know (air-gapped, custom)
    # Cosmos DB
    cosmos_endpoint: str | None = None
    cosmos_database: str = "loom"
    cosmos_key: str | None = field(default=None, repr=False)  # account key; None = the signed-in AAD credential; never in a repr
    cosmos_verify_tls: bool = True
    # the endpoint is the local Cosmos DB emulator: only then may a loopback endpoint skip TLS
    # verification (azure-cosmos skips it for every localhost endpoint, an SSH tunnel included)
    cosmos_emulator: bool = False
    # chargeback tag keys (the web console spells the domain tag two ways: accept both)
    tag_workspace: str = "loomWorkspaceId"
    tag_domain: list[str] = field(default_factory=lambda: ["loomDomain", "loom-domain"])
    tag_tenant: str = "loomTenantId"
    # the web console's address (https://...): `Y` in Workspaces copies a workspace's page there
    console_url: str | None = None

    @property
    def is_local(self) -> bool:
        return self.store == "local"


# the allowed range of every integer key
INT_RANGES: dict[str, tuple[int, int]] = {"azure_concurrency": (1, 64)}

_TYPES: dict[str, type] = {f.name: f.type for f in fields(Profile)}  # type: ignore[misc]


_URL = re.compile(r"^https?://[^\s/?#\x00-\x1f\x7f]+(/[^\s?#\x00-\x1f\x7f]*)?$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _check(file: Path, name: str, raw: dict[str, Any]) -> Profile:
    prof = Profile(name=name)
    for key, value in raw.items():
        where = f"profiles.{name}.{key}"
        if key == "name" or key not in _TYPES:
            raise ConfigError(file, where, "unknown key")
        default = getattr(prof, key)
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(file, where, f"must be true or false, not {value!r}")
        elif isinstance(default, int):
            if not isinstance(value, int) or isinstance(value, bool) or not INT_RANGES[key][0] <= value <= INT_RANGES[key][1]:
                lo, hi = INT_RANGES[key]
                raise ConfigError(file, where, f"must be a whole number from {lo} to {hi}, not {value!r}")
        elif isinstance(default, list):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(file, where, "must be a list of strings")
        elif not isinstance(value, str):
            raise ConfigError(file, where, f"must be a string, not {value!r}")
        setattr(prof, key, value)
    if prof.deploy_principal_id is not None and not _GUID.match(prof.deploy_principal_id):
        raise ConfigError(file, f"profiles.{name}.deploy_principal_id",
                          f"must be the service principal's object id (a GUID), not {prof.deploy_principal_id!r}")
    if prof.console_url is not None and not _URL.match(prof.console_url):
        raise ConfigError(file, f"profiles.{name}.console_url",
                          f"must be the web console's https:// address, not {prof.console_url!r}")
    if prof.store not in STORES:
        raise ConfigError(file, f"profiles.{name}.store", f"must be one of {', '.join(STORES)}, not {prof.store!r}")
    if prof.store == "cosmos" and not prof.cosmos_endpoint:
        raise ConfigError(file, f"profiles.{name}.cosmos_endpoint", "is required when store = \"cosmos\"")
    return prof


@dataclass
class Config:
    file: Path
    profiles: dict[str, Profile]
    default_profile: str = LOCAL
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> key(s), e.g. {"ws.delete": "x"}


def load_config(file: Path | None = None) -> Config:
    file = file or paths.config_file()
    raw: dict[str, Any] = {}
    if file.exists():
        try:
            raw = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(file, "(file)", f"not valid TOML: {exc}") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(file, "(file)", f"is not valid UTF-8 (byte {exc.start})") from None
        except RecursionError:
            raise ConfigError(file, "(file)", "is nested too deeply to be a loom config") from None
        except OSError as exc:
            raise ConfigError(file, "(file)", f"cannot be read: {exc.strerror}") from None
    profiles: dict[str, Profile] = {LOCAL: Profile()}
    table = raw.get("profiles", {})
    if not isinstance(table, dict):
        raise ConfigError(file, "profiles", "must be a table of profiles")
    for name, body in table.items():
        if not isinstance(body, dict):
            raise ConfigError(file, f"profiles.{name}", "must be a table")
        profiles[name] = _check(file, name, body)
    for key in raw:
        if key not in ("profiles", "default_profile", "keys"):
            raise ConfigError(file, key, "unknown key")
    default = raw.get("default_profile", LOCAL)
    if not isinstance(default, str) or default not in profiles:
        raise ConfigError(file, "default_profile", f"names no profile: {default!r}")
    keys = raw.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in keys.items()):
        raise ConfigError(file, "keys", 'must be a table of binding id = "key", e.g. "ws.delete" = "x"')
    return Config(file=file, profiles=profiles, default_profile=default, keys={current_binding_id(k): v for k, v in keys.items()})  # old area names still bind

