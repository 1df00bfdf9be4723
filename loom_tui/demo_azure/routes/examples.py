"""The official example bodies, stateless: what the tests' plain ``ArmServer`` answers.

With the demo estate these routes are only a fallback for route names that no estate module
serves (each is skipped when a module registered that name): cost query, budgets, deployments,
Resource Graph until their area modules land.  Where the specifications have no example
(resource group and resource lists, ``metadata/endpoints``, tenants) the body is built here from
the specification's shape and says so in a comment.
"""

from __future__ import annotations

import copy
import uuid
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..examples import ExampleMissing, example_body
from ..responses import arm_error, arm_json
from ..router import RG, SCOPE, SUB, ArmRequest, Router

if TYPE_CHECKING:
    from ..state import State

ORDER = 100


def register(router: Router, state: "State | None") -> None:
    table = [
        ("metadata", "GET", r"/metadata/endpoints", metadata, False),
        ("subscriptions.list", "GET", r"/subscriptions", subscriptions, True),
        ("tenants.list", "GET", r"/tenants", tenants, True),
        ("subscriptions.get", "GET", SUB, subscription, True),
        ("resource_groups.list", "GET", SUB + r"/resource[gG]roups", resource_groups, True),
        ("resources.list_by_rg", "GET", RG + r"/resources", resources_in_rg, True),
        ("resources.list", "GET", SUB + r"/resources", resources, True),
        ("cost.query", "POST", SCOPE + r"/providers/Microsoft\.CostManagement/query", cost_query, True),
        ("budgets.list", "GET", SCOPE + r"/providers/Microsoft\.Consumption/budgets", budgets, True),
        ("budgets.get", "GET", SCOPE + r"/providers/Microsoft\.Consumption/budgets/(?P<name>[^/]+)", budget, True),
        ("budgets.put", "PUT", SCOPE + r"/providers/Microsoft\.Consumption/budgets/(?P<name>[^/]+)", budget_put, True),
        ("deployments.validate", "POST", SUB + r"/providers/Microsoft\.Resources/deployments/(?P<name>[^/]+)/validate", validate, True),
        ("deployments.what_if", "POST", SUB + r"/providers/Microsoft\.Resources/deployments/(?P<name>[^/]+)/whatIf", what_if, True),
        ("deployments.operations", "GET", SUB + r"/providers/Microsoft\.Resources/deployments/(?P<name>[^/]+)/operations", operations, True),
        ("deployments.put", "PUT", SUB + r"/providers/Microsoft\.Resources/deployments/(?P<name>[^/]+)", deployment_put, True),
        ("deployments.get", "GET", SUB + r"/providers/Microsoft\.Resources/deployments/(?P<name>[^/]+)", deployment_get, True),
        ("peerings.put", "PUT", RG + r"/providers/Microsoft\.Network/virtualNetworks/(?P<vnet>[^/]+)/virtualNetworkPeerings/(?P<name>[^/]+)", peering_put, True),
        ("dns_links.put", "PUT", RG + r"/providers/Microsoft\.Network/privateDnsZones/(?P<zone>[^/]+)/virtualNetworkLinks/(?P<name>[^/]+)", dns_link_put, True),
        ("role_assignments.list", "GET", SCOPE + r"/providers/Microsoft\.Authorization/roleAssignments", role_assignments, True),
        ("role_assignments.put", "PUT", SCOPE + r"/providers/Microsoft\.Authorization/roleAssignments/(?P<name>[^/]+)", role_assignment_put, True),
        ("resource_graph", "POST", r"/providers/Microsoft\.ResourceGraph/resources", resource_graph, True),
        ("operations", "GET", r"/_operations/(?P<op>[^/]+)", operation_status, False),
    ]
    for name, method, pattern, handler, auth in table:
        router.add(name, method, pattern, _guarded(handler), auth=auth, fallback=True)


def _guarded(handler):
    async def run(req: ArmRequest) -> web.StreamResponse:
        try:
            return await handler(req)
        except ExampleMissing as exc:
            return arm_error(501, "NotImplementedInDemoAzure", str(exc))

    return run


def _lro(req: ArmRequest, final_status: int, final_body: Any) -> web.Response:
    op = uuid.uuid4().hex
    req.server._ops[op] = {"left": req.server.lro_polls, "status": final_status, "body": final_body}
    return web.Response(status=202, headers={"Location": f"{req.base}/_operations/{op}", "Retry-After": "0"})


def metadata_document(url: str, login_endpoint: str, name: str = "LoomTestCloud") -> dict[str, Any]:
    # Not in the specifications: the 2022-09-01 shape as Azure answers it, with this server as ARM.
    return {
        "name": name,
        "portal": "https://portal.loom.invalid",
        "authentication": {"loginEndpoint": login_endpoint, "audiences": [f"{url}/"], "tenant": "common", "identityProvider": "AAD"},
        "resourceManager": f"{url}/",
        "graph": "https://graph.loom.invalid/",
        "logAnalyticsResourceId": "https://api.loganalytics.loom.invalid",
        "suffixes": {"storage": "core.loom.invalid", "keyVaultDns": "vault.loom.invalid", "acrLoginServer": "azurecr.loom.invalid"},
    }


async def metadata(req: ArmRequest) -> web.Response:
    return arm_json(metadata_document(req.base, req.server.login_endpoint))


async def subscriptions(req: ArmRequest) -> web.Response:
    items = example_body("Subscriptions_List.Microsoft.Resources-2022-12-01.json")["value"]
    if req.server.token_tenant is not None:
        tenant = req.server.token_tenant((req.request.headers.get("Authorization") or "").removeprefix("Bearer "))
        if tenant in req.server.tenant_subscriptions:
            items = copy.deepcopy(req.server.tenant_subscriptions[tenant])
    return arm_json(req.server.page(req.request, items))


async def tenants(req: ArmRequest) -> web.Response:
    # Not in the shared fixtures: the spec's shape ({"value": [TenantIdDescription], "nextLink"})
    items = [{"id": f"/tenants/{t['tenantId']}", "tenantCategory": "Home", **t} for t in req.server.tenants]
    return arm_json(req.server.page(req.request, items))


async def subscription(req: ArmRequest) -> web.Response:
    for s in example_body("Subscriptions_List.Microsoft.Resources-2022-12-01.json")["value"]:
        if s["subscriptionId"] == req["sub"]:
            return arm_json(s)
    return arm_error(404, "SubscriptionNotFound", f"The subscription '{req['sub']}' could not be found.")


def _graph_rows() -> list[dict[str, Any]]:
    rows = []
    for name in ("Resources_FirstPageQuery.Microsoft.ResourceGraph-2024-04-01.json", "Resources_NextPageQuery.Microsoft.ResourceGraph-2024-04-01.json"):
        rows += example_body(name)["data"]
    return rows


async def resource_groups(req: ArmRequest) -> web.Response:
    # Not in the specifications' examples: ResourceGroup objects (id, name, type, location,
    # properties.provisioningState) for the groups that hold the Resource Graph example resources.
    sub = req["sub"]
    names = sorted({r["id"].split("/")[4] for r in _graph_rows()})
    groups = [{"id": f"/subscriptions/{sub}/resourceGroups/{n}", "name": n, "type": "Microsoft.Resources/resourceGroups",
               "location": "eastus", "properties": {"provisioningState": "Succeeded"}, "tags": {}} for n in names]
    return arm_json({"value": groups})


def _generic_resources(sub: str, rg: str | None) -> list[dict[str, Any]]:
    # Not in the specifications' examples: GenericResource objects built from the Resource Graph example rows.
    out = []
    for r in _graph_rows():
        parts = r["id"].split("/")
        if rg is None or parts[4].lower() == rg.lower():
            out.append({"id": r["id"].replace(parts[2], sub, 1), "name": r["name"], "type": r["type"], "location": r["location"]})
    return out


async def resources_in_rg(req: ArmRequest) -> web.Response:
    return arm_json({"value": _generic_resources(req["sub"], req["rg"])})


async def resources(req: ArmRequest) -> web.Response:
    return arm_json({"value": _generic_resources(req["sub"], None)})


async def cost_query(req: ArmRequest) -> web.Response:
    name = "ResourceGroupQuery.json" if "/resourcegroups/" in req["scope"].lower() else "SubscriptionQuery.json"
    result = example_body(name)
    rows = result["properties"]["rows"]
    start = int(req.query.get("$skiptoken", "0"))
    end = start + req.server.cost_page_rows
    result["properties"]["rows"] = rows[start:end]
    result["properties"]["nextLink"] = req.server.next_link(req.request, end) if end < len(rows) else None
    return arm_json(result)


async def budgets(req: ArmRequest) -> web.Response:
    return arm_json(example_body("Budgets_List.Microsoft.Consumption-2024-08-01.json"))


async def budget(req: ArmRequest) -> web.Response:
    b = example_body("Budgets_Get.Microsoft.Consumption-2024-08-01.json")
    b["name"] = req["name"]
    return arm_json(b)


async def budget_put(req: ArmRequest) -> web.Response:
    return arm_json(example_body("Consumption_2024-08-01_CreateOrUpdateBudget.json", "201"), status=201)


async def validate(req: ArmRequest) -> web.Response:
    return _lro(req, 200, example_body("PostDeploymentValidateOnSubscription.2026-09-01.json"))


async def what_if(req: ArmRequest) -> web.Response:
    return _lro(req, 200, example_body("PostDeploymentWhatIfOnSubscription.2026-09-01.json"))


async def deployment_put(req: ArmRequest) -> web.Response:
    sub, name, server = req["sub"], req["name"], req.server
    d = example_body("PutDeploymentSubscriptionTemplateSpecsWithId.2025-04-01.json", "201")
    d["name"] = name
    d["id"] = f"/subscriptions/{sub}/providers/Microsoft.Resources/deployments/{name}"
    d["properties"]["provisioningState"] = "Accepted"
    server._deployments[name] = {"body": d, "polls": server.lro_polls}
    op = uuid.uuid4().hex
    server._ops[op] = {"left": server.lro_polls, "status": 200, "body": {"status": "Succeeded"}, "deployment": name}
    return arm_json(d, status=201, headers={"Azure-AsyncOperation": f"{req.base}/_operations/{op}", "Retry-After": "0"})


async def deployment_get(req: ArmRequest) -> web.Response:
    name = req["name"]
    if name not in req.server._deployments:
        return arm_error(404, "DeploymentNotFound", f"Deployment '{name}' could not be found.")
    return arm_json(req.server._deployments[name]["body"])


async def operations(req: ArmRequest) -> web.Response:
    return arm_json(example_body("SYNTHESIZED_DeploymentOperations_ListAtSubscriptionScope.json"))


async def operation_status(req: ArmRequest) -> web.Response:
    op, server = req["op"], req.server
    state = server._ops.get(op)
    if state is None:
        return arm_error(404, "OperationNotFound", op)
    if state["left"] > 0:
        state["left"] -= 1
        if "deployment" in state:
            return arm_json({"status": "Running"}, headers={"Retry-After": "0"})
        return web.Response(status=202, headers={"Location": f"{req.base}/_operations/{op}", "Retry-After": "0"})
    if "deployment" in state:
        server._deployments[state["deployment"]]["body"]["properties"]["provisioningState"] = "Succeeded"
    return arm_json(state["body"], status=state["status"])


async def peering_put(req: ArmRequest) -> web.Response:
    return arm_json(example_body("VirtualNetworkPeeringCreate.network-2024-07-01.json"))


async def dns_link_put(req: ArmRequest) -> web.Response:
    # Azure answers 202 (Retry-After 60); the final body is the 200 example.
    return _lro(req, 200, example_body("VirtualNetworkLinkPut.privatedns-2024-06-01.json"))


async def role_assignments(req: ArmRequest) -> web.Response:
    return arm_json(example_body("RoleAssignments_ListForScope.authorization-2022-04-01.json"))


async def role_assignment_put(req: ArmRequest) -> web.Response:
    return arm_json(example_body("RoleAssignments_CreateForSubscription.authorization-2022-04-01.json", "201"), status=201)


async def resource_graph(req: ArmRequest) -> web.Response:
    opts = (req.body or {}).get("options") or {}
    if opts.get("$skipToken"):
        return arm_json(example_body("Resources_NextPageQuery.Microsoft.ResourceGraph-2024-04-01.json"))
    if opts.get("$top"):
        return arm_json(example_body("Resources_FirstPageQuery.Microsoft.ResourceGraph-2024-04-01.json"))
    return arm_json(example_body("Resources_BasicQuery.Microsoft.ResourceGraph-2024-04-01.json"))
