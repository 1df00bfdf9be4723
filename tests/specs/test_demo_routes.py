"""Every route of the demo Azure, driven once and held to the official spec of its operation at the
api-version loom uses (tests/fixtures/specs): path, method, required query parameters, request
body, and the response body for the status answered.  A route without a spec file fails here."""

from __future__ import annotations

import pytest

from loom_tui.demo_azure.launcher import start_demo_azure
from tests.demo_azure.conftest import get_json
from tests.specs.drive import drive
from tests.specs.pending import SPEC_PENDING, split
from tests.support.specs import book, check, record

# Routes held elsewhere, each with its reason.
NOT_IN_SPECS = {
    "metadata": "GET /metadata/endpoints is ARM's cloud metadata document, described in the Azure docs and in no spec file",
    "operations.status": "an Azure-AsyncOperation URL: held to common-types' OperationStatusResult below",
    "operations.result": "a Location URL: 202 while running, then the operation's result (checked below)",
    "deployments.status": "a deployment's Azure-AsyncOperation URL: held to common-types' OperationStatusResult below",
    "operations": "the stateless test server's status URL (/_operations/{id}); no demo route answers there",
    "resources.get_by_id": "the catch-all GET of the estate: each call is held to the spec of the type it names (test_loom_requests)",
    "resource_graph": "an example-body fallback route; loom never calls Resource Graph",
    "powerbi.execute_queries": "the Power BI REST API, not ARM: its documented shape is held in tests/capacity/test_fabric_cu.py",
    # Microsoft Graph has no azure-rest-api-specs file (its contract is its OData $metadata):
    # the shapes loom reads are held in tests/azure/test_graph.py
    "graph.user": "Microsoft Graph, not ARM (no spec file): held in tests/azure/test_graph.py",
    "graph.user_member_of": "Microsoft Graph, not ARM (no spec file): held in tests/azure/test_graph.py",
    "graph.directory_object": "Microsoft Graph, not ARM (no spec file): held in tests/azure/test_graph.py",
    "graph.group_members": "Microsoft Graph, not ARM (no spec file): held in tests/azure/test_graph.py",
    "graph.groups": "Microsoft Graph, not ARM (no spec file): held in tests/azure/test_graph.py",
    "graph.service_principals": "Microsoft Graph, not ARM (no spec file): held in tests/azure/test_graph.py",
}
# Example-body fallbacks an estate route of the same path always answers first (never reached).
SHADOWED = {"deployments.what_if", "peerings.put", "dns_links.put"}
# Routes driven by loom's own areas (test_loom_requests), not by a call here.
DRIVEN_BY_LOOM = {
    "deployments.nested_operations": "a nested deployment's operations: loom's DLZ deploy reads them",
    "deployments.nested_operations_sdk": "the same through the SDK's path form",
    "deployments.nested_get": "a nested deployment: a DLZ deploy run again reads whether it already succeeded",
}
STATUS_ROUTES = {"operations.status", "deployments.status"}



@pytest.fixture(scope="module")
def driven(tmp_path_factory):
    handle = start_demo_azure(tmp_path_factory.mktemp("demo"), action_seconds=0.2)
    try:
        rec = record(handle.server)
        import asyncio

        asyncio.run(drive(handle, get_json))
        yield handle, rec
    finally:
        handle.stop()


def test_every_route_is_driven_or_named(driven) -> None:
    handle, rec = driven
    names = {r.name for r in handle.server.router.routes}
    missing = sorted(names - rec.routes() - set(NOT_IN_SPECS) - SHADOWED - set(DRIVEN_BY_LOOM))
    assert not missing, f"demo routes no call here reaches: {missing}"


def test_every_answer_is_one_the_spec_allows(driven) -> None:
    _, rec = driven
    problems, pending = split([p for x in rec.exchanges if x.route not in NOT_IN_SPECS for p in check(x)])
    driven = rec.routes()
    landed = sorted((SPEC_PENDING & driven) - pending)
    assert not landed, f"these routes have their spec file now: take them off SPEC_PENDING: {landed}"
    assert not problems, "\n".join(problems)


def test_status_documents_are_operation_status_results(driven) -> None:
    from tests.support.specs.check import schema_errors

    _, rec = driven
    spec = book()
    uri = next(u for u in spec.files if u.endswith("common-types/resource-management/v5/types.json")) + "#/definitions/OperationStatusResult"
    seen = [x for x in rec.exchanges if x.route in STATUS_ROUTES]
    assert seen
    problems = [f"{x.label()}: {p}" for x in seen for p in schema_errors(spec, uri, x.response, "response")]
    assert not problems, "\n".join(problems)
    results = rec.to("operations.result")
    assert results and all(x.status in (200, 202, 204) or x.status >= 400 for x in results)
    assert all("location" in {k.lower() for k in x.headers} for x in results if x.status == 202)
