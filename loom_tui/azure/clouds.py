"""Azure clouds: the five built-in ones and custom clouds registered by the operator.

A cloud is data: where to sign in, where Resource Manager lives, which DNS suffixes its services
use and which private-link DNS zones its private endpoints need.  Air-gapped operators register a
private cloud the way ``az cloud register`` does: from the cloud's own ARM metadata document
(``{arm}/metadata/endpoints?api-version=2022-09-01``) or a JSON file of the same shape.  Custom
clouds are kept in ``clouds.json`` beside the config file.

This module imports nothing from the Azure SDKs, so the embedded (local) path can read it cheaply.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from loom_tui import paths
from loom_tui.errors import CONFLICT, FAILURE, NOT_FOUND, USAGE, LoomError

METADATA_API_VERSION = "2022-09-01"

# Authority hosts MSAL and azure-identity know; instance discovery must be off for every other one,
# or MSAL asks login.microsoftonline.com, which an air-gapped network cannot reach.
KNOWN_AUTHORITY_HOSTS = frozenset({"login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn"})

# Private-link zone names by service, per cloud (Microsoft's "Azure Private Endpoint private DNS
# zone values" page).  Storage zones follow ``privatelink.<service>.<storage suffix>`` everywhere.
STORAGE_SERVICES = ("blob", "dfs", "file", "queue", "table", "web")


def _storage_zones(suffix: str) -> dict[str, str]:
    return {f"storage_{svc}": f"privatelink.{svc}.{suffix}" for svc in STORAGE_SERVICES}


_PUBLIC_ZONES = {
    **_storage_zones("core.windows.net"),
    "key_vault": "privatelink.vaultcore.azure.net",
    "cosmos_sql": "privatelink.documents.azure.com",
    "container_registry": "privatelink.azurecr.io",
    "sql_database": "privatelink.database.windows.net",
    "synapse_sql": "privatelink.sql.azuresynapse.net",
    "synapse_dev": "privatelink.dev.azuresynapse.net",
    "data_factory": "privatelink.datafactory.azure.net",
    "event_hubs_service_bus": "privatelink.servicebus.windows.net",
    "azure_monitor": "privatelink.monitor.azure.com",
}
_USGOV_ZONES = {
    **_storage_zones("core.usgovcloudapi.net"),
    "key_vault": "privatelink.vaultcore.usgovcloudapi.net",
    "cosmos_sql": "privatelink.documents.azure.us",
    "container_registry": "privatelink.azurecr.us",
    "sql_database": "privatelink.database.usgovcloudapi.net",
    "synapse_sql": "privatelink.sql.azuresynapse.usgovcloudapi.net",
    "synapse_dev": "privatelink.dev.azuresynapse.usgovcloudapi.net",
    "data_factory": "privatelink.datafactory.azure.us",
    "event_hubs_service_bus": "privatelink.servicebus.usgovcloudapi.net",
    "azure_monitor": "privatelink.monitor.azure.us",
}
_CHINA_ZONES = {
    **_storage_zones("core.chinacloudapi.cn"),
    "key_vault": "privatelink.vaultcore.azure.cn",
    "cosmos_sql": "privatelink.documents.azure.cn",
    "container_registry": "privatelink.azurecr.cn",
    "sql_database": "privatelink.database.chinacloudapi.cn",
    "synapse_sql": "privatelink.sql.azuresynapse.azure.cn",
    "synapse_dev": "privatelink.dev.azuresynapse.azure.cn",
    "data_factory": "privatelink.datafactory.azure.cn",
    "event_hubs_service_bus": "privatelink.servicebus.chinacloudapi.cn",
    "azure_monitor": "privatelink.monitor.azure.cn",
}


class CloudError(LoomError):
    """A cloud name, metadata document or registry file is unusable; the message says why."""

    code = "cloud"
    exit_code = USAGE


class UnknownCloud(CloudError):
    code = "not-found"
    exit_code = NOT_FOUND


class CloudExists(CloudError):
    code = "conflict"
    exit_code = CONFLICT


class CloudUnreachable(CloudError):
    code = "unreachable"
    exit_code = FAILURE


@dataclass(frozen=True)
class Cloud:
    name: str
    authority_host: str  # https URL, no trailing slash
    arm_endpoint: str  # https URL with trailing slash
    portal: str
    storage_suffix: str
    cosmos_suffix: str | None  # None: not public for this cloud — read documentEndpoint from ARM
    private_dns_zones: dict[str, str] = field(default_factory=dict)
    # zones not published for this cloud: the operator must supply them (``privateDnsZones``)
    zones_incomplete: bool = False
    log_analytics: str | None = None
    builtin: bool = False
    source: str = "built-in"  # "built-in", a metadata URL or a file path

    @property
    def arm_scope(self) -> str:
        """The scope SDK management clients ask tokens for."""
        return self.arm_endpoint.rstrip("/") + "/.default"

    @property
    def authority_hostname(self) -> str:
        return urlparse(self.authority_host).hostname or ""

    @property
    def instance_discovery(self) -> bool:
        """MSAL's instance discovery works only for the authority hosts it knows."""
        return self.authority_hostname in KNOWN_AUTHORITY_HOSTS

    def authority(self, tenant: str | None) -> str:
        return f"{self.authority_host}/{tenant or 'organizations'}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["arm_scope"] = self.arm_scope
        d["instance_discovery"] = self.instance_discovery
        return d


BUILTIN: dict[str, Cloud] = {
    c.name: c
    for c in (
        Cloud("AzureCloud", "https://login.microsoftonline.com", "https://management.azure.com/", "https://portal.azure.com",
              "core.windows.net", "documents.azure.com", _PUBLIC_ZONES, log_analytics="https://api.loganalytics.io", builtin=True),
        Cloud("AzureUSGovernment", "https://login.microsoftonline.us", "https://management.usgovcloudapi.net/", "https://portal.azure.us",
              "core.usgovcloudapi.net", "documents.azure.us", _USGOV_ZONES, log_analytics="https://api.loganalytics.us", builtin=True),
        Cloud("AzureChinaCloud", "https://login.chinacloudapi.cn", "https://management.chinacloudapi.cn/", "https://portal.azure.cn",
              "core.chinacloudapi.cn", "documents.azure.cn", _CHINA_ZONES, log_analytics="https://api.loganalytics.azure.cn", builtin=True),
        # Air-gapped: only the storage zones follow a published pattern; the rest are not public.
        Cloud("USSec", "https://login.microsoftonline.microsoft.scloud", "https://management.azure.microsoft.scloud/",
              "https://portal.azure.microsoft.scloud", "core.microsoft.scloud", None, _storage_zones("core.microsoft.scloud"),
              zones_incomplete=True, builtin=True),
        Cloud("USNat", "https://login.microsoftonline.eaglex.ic.gov", "https://management.azure.eaglex.ic.gov/",
              "https://portal.azure.eaglex.ic.gov", "core.eaglex.ic.gov", None, _storage_zones("core.eaglex.ic.gov"),
              zones_incomplete=True, builtin=True),
    )
}


# ---------------------------------------------------------------- metadata documents


def _url(doc: dict[str, Any], where: str, value: Any, *, slash: bool) -> str:
    if not isinstance(value, str) or not value:
        raise CloudError(f"{where}: missing (a URL is required)")
    parsed = urlparse(value)
    if parsed.scheme not in ("https", "http") or not parsed.netloc:
        raise CloudError(f"{where}: not an absolute URL: {value!r}")
    value = value.rstrip("/")
    return value + "/" if slash else value


def cloud_from_metadata(name: str, doc: Any, *, source: str) -> Cloud:
    """Build a cloud from an ARM ``metadata/endpoints`` document (2022-09-01 object form; the
    2019-05-01 list form is accepted when it holds one entry or one named ``name``).

    loom extensions to the shape, for what the metadata does not carry: ``suffixes.cosmosDb``
    and a ``privateDnsZones`` object (service -> zone), which override the derived zones."""
    if isinstance(doc, list):
        named = [d for d in doc if isinstance(d, dict) and d.get("name") == name]
        if len(named) == 1:
            doc = named[0]
        elif len(doc) == 1:
            doc = doc[0]
        else:
            raise CloudError(f"the document lists {len(doc)} clouds and none is named {name!r}")
    if not isinstance(doc, dict):
        raise CloudError("the metadata document is not a JSON object")
    auth = doc.get("authentication")
    if not isinstance(auth, dict):
        raise CloudError("authentication: missing (an object with loginEndpoint is required)")
    suffixes = doc.get("suffixes") or {}
    if not isinstance(suffixes, dict):
        raise CloudError("suffixes: must be an object")
    storage = suffixes.get("storage")
    if not isinstance(storage, str) or not storage:
        raise CloudError("suffixes.storage: missing")
    zones = _storage_zones(storage)
    extra = doc.get("privateDnsZones") or {}
    if not isinstance(extra, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in extra.items()):
        raise CloudError("privateDnsZones: must be an object of service -> zone name")
    zones.update(extra)
    cosmos = suffixes.get("cosmosDb")
    la = doc.get("logAnalyticsResourceId")
    return Cloud(
        name=name,
        authority_host=_url(doc, "authentication.loginEndpoint", auth.get("loginEndpoint"), slash=False),
        arm_endpoint=_url(doc, "resourceManager", doc.get("resourceManager"), slash=True),
        portal=_url(doc, "portal", doc.get("portal"), slash=False) if doc.get("portal") else "",
        storage_suffix=storage.lstrip("."),
        cosmos_suffix=cosmos if isinstance(cosmos, str) and cosmos else None,
        private_dns_zones=zones,
        zones_incomplete="key_vault" not in zones,
        log_analytics=la.rstrip("/") if isinstance(la, str) and la else None,
        builtin=False,
        source=source,
    )


def metadata_url(arm_endpoint: str) -> str:
    return arm_endpoint.rstrip("/") + f"/metadata/endpoints?api-version={METADATA_API_VERSION}"


async def fetch_metadata(url: str, *, timeout: float = 30.0) -> Any:
    """GET a metadata document (proxy and CA bundle honoured).  A bare ARM endpoint gets the
    ``/metadata/endpoints`` path appended."""
    import asyncio

    import aiohttp

    from .network import aiohttp_session

    if "/metadata/endpoints" not in url:
        url = metadata_url(url)
    try:
        async with aiohttp_session(timeout=aiohttp.ClientTimeout(total=timeout)) as s:
            async with s.get(url, headers={"Accept": "application/json"}) as resp:
                if resp.status != 200:
                    raise CloudUnreachable(f"{url}: HTTP {resp.status} {resp.reason or ''}".rstrip())
                text = await resp.text()
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
        raise CloudUnreachable(f"{url}: cannot be reached: {exc.__class__.__name__}: {exc}") from None
    try:
        return json.loads(text)
    except ValueError:
        raise CloudError(f"{url}: the answer is not JSON") from None


# ---------------------------------------------------------------- registry


def registry_file() -> Path:
    """Custom clouds live beside the config file (so ``LOOM_CONFIG`` moves both)."""
    return paths.config_file().parent / "clouds.json"


def _read_registry(file: Path) -> dict[str, dict[str, Any]]:
    if not file.exists():
        return {}
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise CloudError(f"{file}: not valid JSON: {exc}") from None
    except OSError as exc:
        raise CloudError(f"{file}: cannot be read: {exc.strerror}") from None
    if not isinstance(data, dict) or not isinstance(data.get("clouds", {}), dict):
        raise CloudError(f"{file}: clouds: must be an object of name -> cloud")
    return data.get("clouds", {})


def _from_stored(file: Path, name: str, d: Any) -> Cloud:
    try:
        d = dict(d)
        d["private_dns_zones"] = dict(d.get("private_dns_zones") or {})
        d.pop("arm_scope", None)
        d.pop("instance_discovery", None)
        d["builtin"] = False
        return Cloud(**d)
    except (TypeError, ValueError) as exc:
        raise CloudError(f"{file}: clouds.{name}: malformed entry ({exc})") from None


def list_clouds(file: Path | None = None) -> list[Cloud]:
    file = file or registry_file()
    custom = [_from_stored(file, n, d) for n, d in sorted(_read_registry(file).items())]
    return list(BUILTIN.values()) + custom


def get_cloud(name: str, file: Path | None = None) -> Cloud:
    """A cloud by name (built-in names match case-insensitively, as in the Azure CLI)."""
    for key, cloud in BUILTIN.items():
        if key.lower() == name.lower():
            return cloud
    file = file or registry_file()
    stored = _read_registry(file)
    if name in stored:
        return _from_stored(file, name, stored[name])
    known = ", ".join([*BUILTIN, *sorted(stored)])
    raise UnknownCloud(f"no cloud named {name!r} (known: {known}); register one with `loom cloud register`")


def register_cloud(cloud: Cloud, file: Path | None = None, *, replace: bool = False) -> Path:
    if any(cloud.name.lower() == b.lower() for b in BUILTIN):
        raise CloudError(f"{cloud.name!r} is a built-in cloud and cannot be replaced")
    if not cloud.name or not cloud.name.replace("-", "").replace("_", "").isalnum():
        raise CloudError(f"cloud name {cloud.name!r}: use letters, digits, '-' and '_' only")
    file = file or registry_file()
    stored = _read_registry(file)
    if cloud.name in stored and not replace:
        raise CloudExists(f"a cloud named {cloud.name!r} is already registered in {file} (use --replace)")
    stored[cloud.name] = {k: v for k, v in cloud.to_dict().items() if k not in ("arm_scope", "instance_discovery")}
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"clouds": stored}, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(file)
    return file
