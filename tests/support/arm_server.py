"""A local Azure Resource Manager for tests: aiohttp on 127.0.0.1, official example bodies.

The real ``azure-mgmt-*`` async clients talk to it through ``base_url`` so tests exercise the SDKs'
serialization, paging, long-running-operation polling and retry policies.  Bodies come from the
official x-ms-examples in ``tests/fixtures/azure-rest`` (see ATTRIBUTION.md there).  Where the
specifications have no example (resource group and resource lists, the ``metadata/endpoints``
document) the body is built here from the specification's shape and says so in a comment.

Per route the server can add latency and inject faults, each consumed once per request:
``429`` with any retry-after header variant (``RETRY_AFTER_VARIANTS``), ``503``, a connection
reset, a timeout (no answer for ``hang_seconds``), or a malformed (non-JSON) body.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from typing import Any, Awaitable, Callable

from aiohttp import web

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "azure-rest"

# Every header Azure uses to say "come back later", as the server sends them.
RETRY_AFTER_VARIANTS: dict[str, Callable[[float], dict[str, str]]] = {
    "retry-after-seconds": lambda s: {"Retry-After": str(int(s))},
    "retry-after-http-date": lambda s: {"Retry-After": formatdate(timeval=None, usegmt=True)},  # "now": retry at once
    "retry-after-ms": lambda s: {"retry-after-ms": str(int(s * 1000))},
    "x-ms-retry-after-ms": lambda s: {"x-ms-retry-after-ms": str(int(s * 1000))},
    "costmanagement-qpu": lambda s: {"x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after": str(int(s))},
    "costmanagement-entity": lambda s: {"x-ms-ratelimit-microsoft.costmanagement-entity-retry-after": str(int(s))},
    "costmanagement-tenant": lambda s: {"x-ms-ratelimit-microsoft.costmanagement-tenant-retry-after": str(int(s))},
    "costmanagement-client": lambda s: {"x-ms-ratelimit-microsoft.costmanagement-client-retry-after": str(int(s))},
    "costmanagement-clienttype": lambda s: {"x-ms-ratelimit-microsoft.costmanagement-clienttype-retry-after": str(int(s))},
    "consumption": lambda s: {"x-ms-ratelimit-microsoft.consumption-retry-after": str(int(s))},
    "none": lambda s: {},
}


# Synthesized (no example in the fixtures): the home tenant of the device-authorization server's
# user and a second directory the same user belongs to.
DEFAULT_TENANTS: list[dict[str, Any]] = [
    {"tenantId": "8f70baf1-1f6e-46a2-a1ff-238dac1ebfb7", "displayName": "Contoso", "defaultDomain": "contoso.example"},
    {"tenantId": "5b3c1e2a-7d4f-4a8e-9c61-0f2d8e7a9b14", "displayName": "Fabrikam", "defaultDomain": "fabrikam.example"},
]


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def example_body(name: str, status: str = "200") -> Any:
    return copy.deepcopy(fixture(name)["responses"][status].get("body"))


@dataclass
class Fault:
    kind: str  # "429" | "503" | "reset" | "timeout" | "malformed"
    variant: str = "retry-after-seconds"  # for 429: a key of RETRY_AFTER_VARIANTS
    seconds: float = 0  # the retry-after value


@dataclass
class Call:
    route: str
    method: str
    path: str
    query: dict[str, str]
    body: Any
    authorization: str | None


@dataclass
class _Route:
    name: str
    method: str
    pattern: re.Pattern[str]
    handler: Callable[..., Awaitable[web.StreamResponse]]


@dataclass
class ArmServer:
    """Start with ``await server.start()``; ``server.url`` is the ARM endpoint (no trailing slash)."""

    login_endpoint: str = "https://login.invalid"  # what metadata/endpoints announces
    page_size: int = 2  # items per page for subscriptions and cost query rows
    cost_page_rows: int = 5000  # rows per Cost Management query page (Azure: up to 5,000)
    lro_polls: int = 1  # 202 answers before an operation completes
    hang_seconds: float = 30.0  # how long a "timeout" fault keeps the client waiting
    require_auth: bool = True  # 401 without a bearer token, as ARM does
    tls: bool = False  # https with a throwaway trustme CA (``ca_file``): azure-core sends bearer tokens over https only
    tmp: Path | None = None  # where the CA file goes when ``tls``
    ca_file: str = ""
    # GET /tenants: synthesized from the API spec's TenantIdDescription shape (2022-12-01) since the
    # shared fixtures have no Tenants_List example; replace the list to configure it
    tenants: list[dict[str, Any]] = field(default_factory=lambda: [dict(t) for t in DEFAULT_TENANTS])
    # which tenant an access token was issued for (the device-authorization server knows): with it,
    # GET /subscriptions answers ``tenant_subscriptions[tenant]`` when that tenant is listed there
    token_tenant: Callable[[str], str | None] | None = None
    tenant_subscriptions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    _faults: dict[str, deque[Fault]] = field(default_factory=lambda: defaultdict(deque))
    _latency: dict[str, float] = field(default_factory=dict)
    _ops: dict[str, dict[str, Any]] = field(default_factory=dict)
    _deployments: dict[str, dict[str, Any]] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    url: str = ""

    # ------------------------------------------------------------ control

    def inject(self, route: str, fault: Fault, times: int = 1) -> None:
        for _ in range(times):
            self._faults[route].append(fault)

    def delay(self, route: str, seconds: float) -> None:
        self._latency[route] = seconds

    def calls_to(self, route: str) -> list[Call]:
        return [c for c in self.calls if c.route == route]

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        ssl_ctx = None
        if self.tls:
            import ssl
            import tempfile

            import trustme

            ca = trustme.CA()
            ssl_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ca.issue_cert("127.0.0.1", "localhost").configure_cert(ssl_ctx)
            self.ca_file = str((self.tmp or Path(tempfile.mkdtemp())) / "arm-ca.pem")
            ca.cert_pem.write_to_path(self.ca_file)
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=ssl_ctx)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"{'https' if self.tls else 'http'}://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    # ------------------------------------------------------------ dispatch

    def _routes(self) -> list[_Route]:
        sub = r"/subscriptions/(?P<sub>[^/]+)"
        rg = sub + r"/resource[gG]roups/(?P<rg>[^/]+)"
        scope = r"(?P<scope>/.*?)"
        table = [
            ("metadata", "GET", r"/metadata/endpoints", self._metadata),
            ("subscriptions.list", "GET", r"/subscriptions", self._subscriptions),
            ("tenants.list", "GET", r"/tenants", self._tenants),
            ("subscriptions.get", "GET", sub, self._subscription),
            ("resource_groups.list", "GET", sub + r"/resource[gG]roups", self._resource_groups),
            ("resources.list_by_rg", "GET", rg + r"/resources", self._resources_in_rg),
            ("resources.list", "GET", sub + r"/resources", self._resources),
            ("cost.query", "POST", scope + r"/providers/Microsoft\.CostManagement/query", self._cost_query),
            ("budgets.list", "GET", scope + r"/providers/Microsoft\.Consumption/budgets", self._budgets),
            ("budgets.get", "GET", scope + r"/providers/Microsoft\.Consumption/budgets/(?P<name>[^/]+)", self._budget),
            ("budgets.put", "PUT", scope + r"/providers/Microsoft\.Consumption/budgets/(?P<name>[^/]+)", self._budget_put),
            ("deployments.validate", "POST", sub + r"/providers/Microsoft\.Resources/deployments/(?P<name>[^/]+)/validate", self._validate),
            ("deployments.what_if", "POST", sub + r"/providers/Microsoft\.Resources/deployments/(?P<name>[^/]+)/whatIf", self._what_if),
            ("deployments.operations", "GET", sub + r"/providers/Microsoft\.Resources/deployments/(?P<name>[^/]+)/operations", self._operations),
            ("deployments.put", "PUT", sub + r"/providers/Microsoft\.Resources/deployments/(?P<name>[^/]+)", self._deployment_put),
            ("deployments.get", "GET", sub + r"/providers/Microsoft\.Resources/deployments/(?P<name>[^/]+)", self._deployment_get),
            ("peerings.put", "PUT", rg + r"/providers/Microsoft\.Network/virtualNetworks/(?P<vnet>[^/]+)/virtualNetworkPeerings/(?P<name>[^/]+)", self._peering_put),
            ("dns_links.put", "PUT", rg + r"/providers/Microsoft\.Network/privateDnsZones/(?P<zone>[^/]+)/virtualNetworkLinks/(?P<name>[^/]+)", self._dns_link_put),
            ("role_assignments.list", "GET", scope + r"/providers/Microsoft\.Authorization/roleAssignments", self._role_assignments),
            ("role_assignments.put", "PUT", scope + r"/providers/Microsoft\.Authorization/roleAssignments/(?P<name>[^/]+)", self._role_assignment_put),
            ("resource_graph", "POST", r"/providers/Microsoft\.ResourceGraph/resources", self._resource_graph),
            ("operations", "GET", r"/_operations/(?P<op>[^/]+)", self._operation_status),
        ]
        return [_Route(n, m, re.compile(p + r"/?$", re.IGNORECASE), h) for n, m, p, h in table]

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        for route in self._routes():
            m = route.pattern.match(path)
            if m and route.method == request.method:
                break
        else:
            return _error(404, "NotFoundInTestServer", f"no route for {request.method} {path}")
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        self.calls.append(Call(route.name, request.method, path, dict(request.query), body, request.headers.get("Authorization")))
        if route.name not in ("metadata", "operations") and self.require_auth:
            if not (request.headers.get("Authorization") or "").startswith("Bearer "):
                return _error(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
        if route.name in self._latency:
            await asyncio.sleep(self._latency[route.name])
        if self._faults[route.name]:
            fault = self._faults[route.name].popleft()
            return await self._fault(request, fault)
        return await route.handler(request, body=body, **m.groupdict())

    async def _fault(self, request: web.Request, fault: Fault) -> web.StreamResponse:
        if fault.kind == "429":
            headers = RETRY_AFTER_VARIANTS[fault.variant](fault.seconds)
            return _error(429, "TooManyRequests", "Too many requests. Please retry.", headers)
        if fault.kind == "503":
            return _error(503, "ServiceUnavailable", "The service is unavailable.", {"Retry-After": str(int(fault.seconds))})
        if fault.kind == "reset":
            transport = request.transport
            if transport is not None:
                transport.abort()  # RST instead of an orderly close
            raise asyncio.CancelledError  # nothing more to send on this connection
        if fault.kind == "timeout":
            await asyncio.sleep(self.hang_seconds)
            return _error(504, "GatewayTimeout", "hung")
        if fault.kind == "malformed":
            return web.Response(status=200, text='{"value": [ {"id": truncated', content_type="application/json")
        raise ValueError(f"unknown fault {fault.kind!r}")

    def _next(self, request: web.Request, token: int) -> str:
        query = dict(request.query)
        query["$skiptoken"] = str(token)
        qs = "&".join(f"{k}={v}" for k, v in query.items())
        return f"{self.url}{request.path}?{qs}"

    def _lro(self, final_status: int, final_body: Any) -> web.Response:
        op = uuid.uuid4().hex
        self._ops[op] = {"left": self.lro_polls, "status": final_status, "body": final_body}
        return web.Response(status=202, headers={"Location": f"{self.url}/_operations/{op}", "Retry-After": "0"})

    # ------------------------------------------------------------ handlers

    async def _metadata(self, request: web.Request, body: Any) -> web.Response:
        # Not in the specifications: the 2022-09-01 shape as Azure answers it, with this server as ARM.
        return web.json_response({
            "name": "LoomTestCloud",
            "portal": "https://portal.loom.invalid",
            "authentication": {"loginEndpoint": self.login_endpoint, "audiences": [f"{self.url}/"], "tenant": "common", "identityProvider": "AAD"},
            "resourceManager": f"{self.url}/",
            "graph": "https://graph.loom.invalid/",
            "logAnalyticsResourceId": "https://api.loganalytics.loom.invalid",
            "suffixes": {"storage": "core.loom.invalid", "keyVaultDns": "vault.loom.invalid", "acrLoginServer": "azurecr.loom.invalid"},
        })

    async def _subscriptions(self, request: web.Request, body: Any) -> web.Response:
        items = example_body("Subscriptions_List.Microsoft.Resources-2022-12-01.json")["value"]
        if self.token_tenant is not None:
            tenant = self.token_tenant((request.headers.get("Authorization") or "").removeprefix("Bearer "))
            if tenant in self.tenant_subscriptions:
                items = copy.deepcopy(self.tenant_subscriptions[tenant])
        return web.json_response(self._page(request, items, "value"))

    async def _tenants(self, request: web.Request, body: Any) -> web.Response:
        # Not in the shared fixtures: the spec's shape ({"value": [TenantIdDescription], "nextLink"})
        items = [{"id": f"/tenants/{t['tenantId']}", "tenantCategory": "Home", **t} for t in self.tenants]
        return web.json_response(self._page(request, items, "value"))

    def _page(self, request: web.Request, items: list[Any], key: str) -> dict[str, Any]:
        start = int(request.query.get("$skiptoken", "0"))
        chunk = items[start : start + self.page_size]
        out: dict[str, Any] = {key: chunk}
        if start + self.page_size < len(items):
            out["nextLink"] = self._next(request, start + self.page_size)
        return out

    async def _subscription(self, request: web.Request, body: Any, sub: str) -> web.Response:
        for s in example_body("Subscriptions_List.Microsoft.Resources-2022-12-01.json")["value"]:
            if s["subscriptionId"] == sub:
                return web.json_response(s)
        return _error(404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found.")

    def _graph_rows(self) -> list[dict[str, Any]]:
        rows = []
        for name in ("Resources_FirstPageQuery.Microsoft.ResourceGraph-2024-04-01.json", "Resources_NextPageQuery.Microsoft.ResourceGraph-2024-04-01.json"):
            rows += example_body(name)["data"]
        return rows

    async def _resource_groups(self, request: web.Request, body: Any, sub: str) -> web.Response:
        # Not in the specifications' examples: ResourceGroup objects (id, name, type, location,
        # properties.provisioningState) for the groups that hold the Resource Graph example resources.
        names = sorted({r["id"].split("/")[4] for r in self._graph_rows()})
        groups = [{"id": f"/subscriptions/{sub}/resourceGroups/{n}", "name": n, "type": "Microsoft.Resources/resourceGroups",
                   "location": "eastus", "properties": {"provisioningState": "Succeeded"}, "tags": {}} for n in names]
        return web.json_response({"value": groups})

    def _generic_resources(self, sub: str, rg: str | None) -> list[dict[str, Any]]:
        # Not in the specifications' examples: GenericResource objects built from the Resource Graph example rows.
        out = []
        for r in self._graph_rows():
            parts = r["id"].split("/")
            if rg is None or parts[4].lower() == rg.lower():
                out.append({"id": r["id"].replace(parts[2], sub, 1), "name": r["name"], "type": r["type"], "location": r["location"]})
        return out

    async def _resources_in_rg(self, request: web.Request, body: Any, sub: str, rg: str) -> web.Response:
        return web.json_response({"value": self._generic_resources(sub, rg)})

    async def _resources(self, request: web.Request, body: Any, sub: str) -> web.Response:
        return web.json_response({"value": self._generic_resources(sub, None)})

    async def _cost_query(self, request: web.Request, body: Any, scope: str) -> web.Response:
        name = "ResourceGroupQuery.json" if "/resourcegroups/" in scope.lower() else "SubscriptionQuery.json"
        result = example_body(name)
        rows = result["properties"]["rows"]
        start = int(request.query.get("$skiptoken", "0"))
        end = start + self.cost_page_rows
        result["properties"]["rows"] = rows[start:end]
        result["properties"]["nextLink"] = self._next(request, end) if end < len(rows) else None
        return web.json_response(result)

    async def _budgets(self, request: web.Request, body: Any, scope: str) -> web.Response:
        return web.json_response(example_body("Budgets_List.Microsoft.Consumption-2024-08-01.json"))

    async def _budget(self, request: web.Request, body: Any, scope: str, name: str) -> web.Response:
        b = example_body("Budgets_Get.Microsoft.Consumption-2024-08-01.json")
        b["name"] = name
        return web.json_response(b)

    async def _budget_put(self, request: web.Request, body: Any, scope: str, name: str) -> web.Response:
        return web.json_response(example_body("Consumption_2024-08-01_CreateOrUpdateBudget.json", "201"), status=201)

    async def _validate(self, request: web.Request, body: Any, sub: str, name: str) -> web.Response:
        return self._lro(200, example_body("PostDeploymentValidateOnSubscription.2026-09-01.json"))

    async def _what_if(self, request: web.Request, body: Any, sub: str, name: str) -> web.Response:
        return self._lro(200, example_body("PostDeploymentWhatIfOnSubscription.2026-09-01.json"))

    async def _deployment_put(self, request: web.Request, body: Any, sub: str, name: str) -> web.Response:
        d = example_body("PutDeploymentSubscriptionTemplateSpecsWithId.2025-04-01.json", "201")
        d["name"] = name
        d["id"] = f"/subscriptions/{sub}/providers/Microsoft.Resources/deployments/{name}"
        d["properties"]["provisioningState"] = "Accepted"
        self._deployments[name] = {"body": d, "polls": self.lro_polls}
        op = uuid.uuid4().hex
        self._ops[op] = {"left": self.lro_polls, "status": 200, "body": {"status": "Succeeded"}, "deployment": name}
        return web.json_response(d, status=201, headers={"Azure-AsyncOperation": f"{self.url}/_operations/{op}", "Retry-After": "0"})

    async def _deployment_get(self, request: web.Request, body: Any, sub: str, name: str) -> web.Response:
        if name not in self._deployments:
            return _error(404, "DeploymentNotFound", f"Deployment '{name}' could not be found.")
        return web.json_response(self._deployments[name]["body"])

    async def _operations(self, request: web.Request, body: Any, sub: str, name: str) -> web.Response:
        return web.json_response(example_body("SYNTHESIZED_DeploymentOperations_ListAtSubscriptionScope.json"))

    async def _operation_status(self, request: web.Request, body: Any, op: str) -> web.Response:
        state = self._ops.get(op)
        if state is None:
            return _error(404, "OperationNotFound", op)
        if state["left"] > 0:
            state["left"] -= 1
            if "deployment" in state:
                return web.json_response({"status": "Running"}, headers={"Retry-After": "0"})
            return web.Response(status=202, headers={"Location": f"{self.url}/_operations/{op}", "Retry-After": "0"})
        if "deployment" in state:
            self._deployments[state["deployment"]]["body"]["properties"]["provisioningState"] = "Succeeded"
        return web.json_response(state["body"], status=state["status"])

    async def _peering_put(self, request: web.Request, body: Any, sub: str, rg: str, vnet: str, name: str) -> web.Response:
        return web.json_response(example_body("VirtualNetworkPeeringCreate.network-2024-07-01.json"))

    async def _dns_link_put(self, request: web.Request, body: Any, sub: str, rg: str, zone: str, name: str) -> web.Response:
        # Azure answers 202 (Retry-After 60); the final body is the 200 example.
        return self._lro(200, example_body("VirtualNetworkLinkPut.privatedns-2024-06-01.json"))

    async def _role_assignments(self, request: web.Request, body: Any, scope: str) -> web.Response:
        return web.json_response(example_body("RoleAssignments_ListForScope.authorization-2022-04-01.json"))

    async def _role_assignment_put(self, request: web.Request, body: Any, scope: str, name: str) -> web.Response:
        return web.json_response(example_body("RoleAssignments_CreateForSubscription.authorization-2022-04-01.json", "201"), status=201)

    async def _resource_graph(self, request: web.Request, body: Any) -> web.Response:
        opts = (body or {}).get("options") or {}
        if opts.get("$skipToken"):
            return web.json_response(example_body("Resources_NextPageQuery.Microsoft.ResourceGraph-2024-04-01.json"))
        if opts.get("$top"):
            return web.json_response(example_body("Resources_FirstPageQuery.Microsoft.ResourceGraph-2024-04-01.json"))
        return web.json_response(example_body("Resources_BasicQuery.Microsoft.ResourceGraph-2024-04-01.json"))


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)
