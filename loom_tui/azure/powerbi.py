"""The Power BI REST API's ``executeQueries`` (Datasets - Execute Queries), through the run's
shared transport and credential (not Resource Manager: its own host and token audience).

``POST {powerbi}/v1.0/myorg/datasets/{datasetId}/executeQueries`` (or
``/v1.0/myorg/groups/{groupId}/datasets/{datasetId}/executeQueries``) with
``{"queries": [{"query": DAX}], "serializerSettings": {"includeNulls": true}}``; the answer is
``{"results": [{"tables": [{"rows": [{"[Column]": value, ...}]}]}]}``, a failed query a 400 or an
``error`` inside the result.  One query, one table, at most 100,000 rows per call (the API's
limits); 120 queries a minute per user.

The endpoint and the token audience follow the cloud (public, US Government, China); another
cloud needs the profile's ``powerbi_endpoint`` (the demo Azure serves the API on its own endpoint).
"""

from __future__ import annotations

import json as jsonlib
from dataclasses import dataclass
from typing import Any

from loom_tui.errors import LoomError

from .errors import ArmError

# cloud -> (Power BI REST endpoint, token scope)
ENDPOINTS: dict[str, tuple[str, str]] = {
    "AzureCloud": ("https://api.powerbi.com", "https://analysis.windows.net/powerbi/api/.default"),
    "AzureUSGovernment": ("https://api.powerbigov.us", "https://analysis.usgovcloudapi.net/powerbi/api/.default"),
    "AzureChinaCloud": ("https://api.powerbi.cn", "https://analysis.chinacloudapi.cn/powerbi/api/.default"),
}


class PowerBiUnavailable(LoomError, LookupError):
    """This cloud's Power BI endpoint is not known (the message says what to set)."""


@dataclass(frozen=True)
class PowerBi:
    endpoint: str  # https URL, no trailing slash
    scope: str


def for_cloud(cloud_name: str, override: str | None = None) -> PowerBi:
    if override:
        base = override.rstrip("/")
        known = next((s for e, s in ENDPOINTS.values() if e == base), None)
        return PowerBi(base, known or f"{base}/.default")
    if cloud_name not in ENDPOINTS:
        raise PowerBiUnavailable(f"loom does not know the Power BI endpoint of cloud {cloud_name!r}: "
                                 "set powerbi_endpoint in the profile")
    endpoint, scope = ENDPOINTS[cloud_name]
    return PowerBi(endpoint, scope)


def dataset_path(dataset: str) -> str:
    """``datasetId`` or ``groupId/datasetId`` (the profile's ``capacity_metrics_dataset``)."""
    parts = [p for p in dataset.strip().strip("/").split("/") if p]
    if len(parts) == 1:
        return f"/v1.0/myorg/datasets/{parts[0]}/executeQueries"
    if len(parts) == 2:
        return f"/v1.0/myorg/groups/{parts[0]}/datasets/{parts[1]}/executeQueries"
    raise ValueError(f"{dataset!r}: give the dataset id, or the workspace (group) id and the dataset id as group/dataset")


def request_body(dax: str) -> dict[str, Any]:
    return {"queries": [{"query": dax}], "serializerSettings": {"includeNulls": True}}


def rows_of(body: Any) -> list[dict[str, Any]]:
    """The rows of the one table of the one result; a query error raises with its text."""
    if not isinstance(body, dict):
        raise ArmError(0, "InvalidResponse", "executeQueries answered no JSON object")
    err = body.get("error")
    results = body.get("results") or []
    if err or not results:
        raise ArmError(400, "DAXQueryFailure", str((err or {}).get("message") if isinstance(err, dict) else err or "no result"))
    first = results[0]
    if isinstance(first.get("error"), dict):
        raise ArmError(400, str(first["error"].get("code") or "DAXQueryFailure"), str(first["error"].get("message") or ""))
    tables = first.get("tables") or []
    return list(tables[0].get("rows") or []) if tables else []


async def execute_query(clients: Any, api: PowerBi, dataset: str, dax: str) -> list[dict[str, Any]]:
    """Run one DAX query on ``dataset``; its rows."""
    from azure.core import AsyncPipelineClient
    from azure.core.pipeline.policies import AsyncBearerTokenCredentialPolicy, HeadersPolicy
    from azure.core.rest import HttpRequest

    from loom_tui.azure.request_log import RequestLogPolicy

    from .clients import BoundPolicy
    from .throttle import ThrottlePolicy

    policies = [HeadersPolicy(), RequestLogPolicy(),
                ThrottlePolicy(clients.listeners, max_wait=clients.max_wait, retry_total=clients.retry_total),
                AsyncBearerTokenCredentialPolicy(clients.credential, api.scope), BoundPolicy(clients.bound)]
    client: Any = AsyncPipelineClient(api.endpoint, transport=clients.transport, policies=policies)
    url = api.endpoint + dataset_path(dataset)
    response = await client.send_request(HttpRequest("POST", url, json=request_body(dax)))
    text = response.content.decode("utf-8", "replace") if response.content else ""
    try:
        body = jsonlib.loads(text) if text else None
    except ValueError:
        body = text
    if response.status_code >= 400:
        raise ArmError.from_body(response.status_code, body, method="POST", url=url)
    return rows_of(body)
