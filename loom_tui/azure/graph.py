"""Microsoft Graph lookups of users, groups and service principals, through the run's shared
transport and credential (its own host and token audience, not Resource Manager's).

The endpoint follows the cloud, as the web console's ``cloud-endpoints-graph`` resolves it:
public ``https://graph.microsoft.com``, US Government (GCC High) ``https://graph.microsoft.us``,
China (21Vianet) ``https://microsoftgraph.chinacloudapi.cn``; the scope is ``<endpoint>/.default``.
Air-gapped (USSec, USNat) and registered custom clouds have no endpoint loom knows: the profile's
``graph_endpoint`` names one, else :class:`~loom_tui.services.principals.NoGraph` stands in and
only an object id with an explicit type can be granted.

Calls (``v1.0``; the signed-in user needs ``User.ReadBasic.All`` and ``GroupMember.Read.All`` —
or ``Directory.Read.All`` — to look up others):
``GET /v1.0/users/{upn or id}``, ``GET /v1.0/directoryObjects/{id}``,
``GET /v1.0/groups?$filter=displayName eq '...'``, ``GET /v1.0/servicePrincipals?$filter=...``.
Retries and throttling waits are the run's :class:`~loom_tui.azure.throttle.ThrottlePolicy`.
"""

from __future__ import annotations

import json as jsonlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from loom_tui.errors import Forbidden
from loom_tui.domain.principal import Principal

from .errors import ArmError

ENDPOINTS: dict[str, str] = {
    "AzureCloud": "https://graph.microsoft.com",
    "AzureUSGovernment": "https://graph.microsoft.us",
    "AzureChinaCloud": "https://microsoftgraph.chinacloudapi.cn",
}
_TYPES = {"#microsoft.graph.user": "User", "#microsoft.graph.group": "Group", "#microsoft.graph.servicePrincipal": "ServicePrincipal"}
_SELECT = "id,displayName,userPrincipalName"


@dataclass(frozen=True)
class GraphApi:
    endpoint: str  # https URL, no trailing slash
    scope: str


def graph_for_cloud(cloud_name: str, override: str | None = None) -> GraphApi | None:
    """This cloud's Graph, or None when loom knows none (and the profile names none)."""
    base = (override or ENDPOINTS.get(cloud_name) or "").rstrip("/")
    return GraphApi(base, f"{base}/.default") if base else None


def odata_quote(text: str) -> str:
    """A string literal of an OData ``$filter`` (a quote doubled)."""
    return "'" + text.replace("'", "''") + "'"


def principal_of(body: Any, kind: str | None = None) -> Principal | None:
    if not isinstance(body, dict) or not isinstance(body.get("id"), str):
        return None
    kind = kind or _TYPES.get(str(body.get("@odata.type") or ""))
    if kind is None:
        return None
    upn = body.get("userPrincipalName") if kind == "User" else None
    return Principal(body["id"].lower(), kind, str(body.get("displayName") or body["id"]), upn.lower() if isinstance(upn, str) else None)


class GraphLookup:
    """:class:`~loom_tui.services.principals.PrincipalLookup` on Microsoft Graph."""

    def __init__(self, clients: Any, api: GraphApi) -> None:
        self.clients = clients
        self.api = api
        self.name = f"Microsoft Graph at {api.endpoint}"
        self._client: Any = None

    def _pipeline(self) -> Any:
        if self._client is None:
            from azure.core import AsyncPipelineClient
            from azure.core.pipeline.policies import AsyncBearerTokenCredentialPolicy, HeadersPolicy

            from loom_tui.azure.request_log import RequestLogPolicy

            from .clients import BoundPolicy
            from .throttle import ThrottlePolicy

            c = self.clients
            policies = [HeadersPolicy(), RequestLogPolicy(), ThrottlePolicy(c.listeners, max_wait=c.max_wait, retry_total=c.retry_total),
                        AsyncBearerTokenCredentialPolicy(c.credential, self.api.scope), BoundPolicy(c.bound)]
            self._client = AsyncPipelineClient(self.api.endpoint, transport=c.transport, policies=policies)
        return self._client

    async def get(self, path: str) -> Any:
        """GET ``path`` on Graph: the JSON body, None for a 404; 403 is :class:`Forbidden`."""
        from azure.core.rest import HttpRequest

        url = self.api.endpoint + path
        response = await self._pipeline().send_request(HttpRequest("GET", url, headers={"ConsistencyLevel": "eventual"}))
        text = response.content.decode("utf-8", "replace") if response.content else ""
        try:
            body = jsonlib.loads(text) if text else None
        except ValueError:
            body = text
        if response.status_code == 404:
            return None
        if response.status_code in (401, 403):
            err = ArmError.from_body(response.status_code, body, method="GET", url=url)
            raise Forbidden(f"Microsoft Graph refused the lookup ({err.arm_code}): the signed-in user needs "
                            "User.ReadBasic.All and GroupMember.Read.All (or Directory.Read.All) — or give the object id "
                            "with --type")
        if response.status_code >= 400:
            raise ArmError.from_body(response.status_code, body, method="GET", url=url)
        return body

    async def user(self, upn_or_id: str) -> Principal | None:
        return principal_of(await self.get(f"/v1.0/users/{quote(upn_or_id.strip(), safe='@')}?$select={_SELECT}"), "User")

    async def by_id(self, object_id: str) -> Principal | None:
        return principal_of(await self.get(f"/v1.0/directoryObjects/{quote(object_id.strip())}"))

    async def named(self, display_name: str, types: tuple[str, ...]) -> list[Principal]:
        out: list[Principal] = []
        flt = quote(f"displayName eq {odata_quote(display_name)}", safe="")
        for kind, coll in (("Group", "groups"), ("ServicePrincipal", "servicePrincipals")):
            if kind in types:
                body = await self.get(f"/v1.0/{coll}?$filter={flt}&$select=id,displayName&$count=true")
                out += [p for p in (principal_of(v, kind) for v in (body or {}).get("value") or []) if p]
        return out
