"""Microsoft Graph lookups (loom_tui/azure/graph.py) through the run's transport, held to the demo
Azure's Graph (loom_tui/demo_azure/routes/graph.py) in the shapes Graph v1.0 documents: a user by
UPN or id, a directory object with its ``@odata.type``, groups and service principals by
``$filter=displayName eq '...'``, 404 ``Request_ResourceNotFound``, 403
``Authorization_RequestDenied``; the endpoint and token scope per cloud."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from loom_tui.azure.clients import AzureClients
from loom_tui.azure.clouds import BUILTIN
from loom_tui.azure.graph import GraphLookup, graph_for_cloud, odata_quote
from loom_tui.config import Profile
from loom_tui.errors import ConflictError, Forbidden
from loom_tui.local.demo import DEMO_DOMAIN, DEMO_GROUPS, DEMO_USERS
from loom_tui.services.principals import NoGraph, resolve
from loom_tui.wiring import demo_cloud, principal_lookup
from tests.demo_azure.conftest import SecretCredential, auth, get_json


@pytest.fixture
async def graph(demo_handle):
    cred = SecretCredential(demo_handle.secret)
    clients = AzureClients(cred, demo_cloud(demo_handle.arm_endpoint), extra_ca=demo_handle.ca_bundle)
    try:
        yield GraphLookup(clients, graph_for_cloud("DemoAzure", demo_handle.arm_endpoint.rstrip("/"))), cred
    finally:
        await clients.close()


@pytest.fixture
def demo_handle(tmp_path):
    from loom_tui.demo_azure.launcher import start_demo_azure

    handle = start_demo_azure(tmp_path, action_seconds=0.6)
    try:
        yield handle
    finally:
        handle.stop()


def test_endpoint_and_scope_per_cloud() -> None:
    assert graph_for_cloud("AzureCloud").endpoint == "https://graph.microsoft.com"
    assert graph_for_cloud("AzureUSGovernment").scope == "https://graph.microsoft.us/.default"
    assert graph_for_cloud("AzureChinaCloud").endpoint == "https://microsoftgraph.chinacloudapi.cn"
    assert graph_for_cloud("USSec") is None and graph_for_cloud("USNat") is None
    assert graph_for_cloud("USSec", "https://graph.example.scloud/").endpoint == "https://graph.example.scloud"
    assert odata_quote("O'Brien team") == "'O''Brien team'"


async def test_a_cloud_without_graph_is_wired_as_no_graph() -> None:
    async def azure():
        return SimpleNamespace(cloud=BUILTIN["USSec"])

    lookup = await principal_lookup(SimpleNamespace(azure=azure, profile=Profile()))
    assert isinstance(lookup, NoGraph) and "USSec" in lookup.name


async def test_users_groups_and_service_principals_resolve(graph) -> None:
    lookup, cred = graph
    oid, alias, name = DEMO_USERS[2]
    p = await lookup.user(f"{alias.upper()}@{DEMO_DOMAIN}")
    assert (p.id, p.type, p.display_name, p.upn) == (oid, "User", name, f"{alias}@{DEMO_DOMAIN}")
    assert (await lookup.user(oid)).id == oid
    assert await lookup.user(f"nobody@{DEMO_DOMAIN}") is None
    gid, gname, _ = DEMO_GROUPS[1]
    assert [(g.id, g.type) for g in await lookup.named(gname, ("Group", "ServicePrincipal"))] == [(gid, "Group")]
    assert (await lookup.by_id(gid)).type == "Group"
    assert (await resolve(lookup, "loom-pipeline")).type == "ServicePrincipal"
    assert await lookup.named("O'Brien", ("Group",)) == []
    with pytest.raises(ConflictError, match="2 principals are named 'Contractors'"):
        await resolve(lookup, "Contractors")
    assert all(s == (lookup.api.scope,) for s in cred.scopes) and cred.scopes


async def test_graph_forbidden_says_which_permission(graph, demo_handle) -> None:
    lookup, _ = graph
    demo_handle.state.graph_denied = True
    with pytest.raises(Forbidden, match="User.ReadBasic.All"):
        await resolve(lookup, "Analysts")


async def test_the_demo_graph_serves_memberships(demo_handle) -> None:
    gid, _, aliases = DEMO_GROUPS[1]
    status, body, _ = await get_json(demo_handle, f"/v1.0/groups/{gid}/members", headers=auth(demo_handle))
    assert status == 200 and sorted(u["userPrincipalName"] for u in body["value"]) == sorted(f"{a}@{DEMO_DOMAIN}" for a in aliases)
    status, body, _ = await get_json(demo_handle, f"/v1.0/users/{aliases[0]}@{DEMO_DOMAIN}/transitiveMemberOf", headers=auth(demo_handle))
    assert status == 200 and gid in [g["id"] for g in body["value"]]
    status, body, _ = await get_json(demo_handle, "/v1.0/groups?$filter=startswith(displayName,'A')", headers=auth(demo_handle))
    assert status == 400 and body["error"]["code"] == "Request_UnsupportedQuery"
    status, body, _ = await get_json(demo_handle, "/v1.0/users/nobody", headers=auth(demo_handle))
    assert status == 404 and body["error"]["code"] == "Request_ResourceNotFound"
