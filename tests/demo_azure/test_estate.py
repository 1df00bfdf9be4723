"""The demo estate and its state, without a server: deterministic, matching the demo tenant, and the
state's id parsing, merge patches and operation timing (a fake clock: no sleeping)."""

from __future__ import annotations

import ipaddress

from loom_tui.demo_azure.estate import ADMIN_SUB, HUB_CIDR, PRIVATE_DNS_ZONES
from loom_tui.demo_azure.estate_all import build_estate
from loom_tui.demo_azure.state import State, merge_patch, split_id
from loom_tui.local.demo import DEMO_TENANT, DOMAINS, demo_workspaces


def test_the_estate_is_deterministic_and_tagged_from_the_demo_tenant() -> None:
    a, b = build_estate(), build_estate()
    assert a.resources == b.resources and a.subscriptions == b.subscriptions
    ws = {w["id"]: w for w in demo_workspaces()}
    for r in a.resources:
        tags = r.get("tags") or {}
        if "loomWorkspaceId" in tags:
            assert ws[tags["loomWorkspaceId"]]["domain"] == tags["loomDomain"]
        if tags:
            assert tags["loomTenantId"] == DEMO_TENANT
    rgs = {r["name"] for r in a.resources if r["type"] == "Microsoft.Resources/resourceGroups"}
    assert rgs == {"rg-csa-loom-admin-eastus2"} | {f"rg-csa-loom-dlz-{d}-{'eastus2' if d in ('finance', 'marketing', 'sales') else 'centralus'}" for d, *_ in DOMAINS}


def test_hub_zones_and_peerings() -> None:
    e = build_estate()
    zones = [r for r in e.resources if r["type"] == "Microsoft.Network/privateDnsZones"]
    assert [z["name"] for z in zones] == list(PRIVATE_DNS_ZONES) and len(zones) == 17
    assert "privatelink.eastus2.kusto.windows.net" in PRIVATE_DNS_ZONES
    links = [r for r in e.resources if r["type"].endswith("/virtualNetworkLinks")]
    assert len(links) == 17 and all(l["name"] == "link-hub" and "vnet-csa-loom-hub" in l["properties"]["virtualNetwork"]["id"] for l in links)
    vnets = {r["id"]: r for r in e.resources if r["type"] == "Microsoft.Network/virtualNetworks"}
    peerings = [r for r in e.resources if r["type"].endswith("/virtualNetworkPeerings")]
    pairs = {(p["id"].split("/virtualNetworkPeerings/")[0], p["properties"]["remoteVirtualNetwork"]["id"]) for p in peerings}
    assert len(peerings) == 12 and all((b, a) in pairs for a, b in pairs)  # both ways
    nets = [ipaddress.ip_network(v["properties"]["addressSpace"]["addressPrefixes"][0]) for v in vnets.values()]
    assert ipaddress.ip_network(HUB_CIDR) in nets
    assert not any(x.overlaps(y) for i, x in enumerate(nets) for y in nets[i + 1:])


def test_the_red_lines_are_there() -> None:
    e = build_estate()
    by_type: dict[str, list] = {}
    for r in e.resources:
        by_type.setdefault(r["type"].lower(), []).append(r)
    caps = by_type["microsoft.fabric/capacities"]
    assert sorted(c["properties"]["state"] for c in caps).count("Paused") == 2
    blob = by_type["microsoft.storage/storageaccounts/blobservices"]
    assert [b["properties"]["deleteRetentionPolicy"]["enabled"] for b in blob].count(False) == 1
    vaults = by_type["microsoft.keyvault/vaults"]
    assert [v["properties"].get("enablePurgeProtection") for v in vaults].count(None) == 1
    assert [c["properties"]["state"] for c in by_type["microsoft.kusto/clusters"]].count("Stopped") == 1
    spark = by_type["microsoft.synapse/workspaces/bigdatapools"]
    assert [p["properties"]["autoPause"]["enabled"] for p in spark].count(False) == 1
    cosmos = by_type["microsoft.documentdb/databaseaccounts"]
    assert len(cosmos) == 1 and cosmos[0]["properties"]["backupPolicy"]["type"] == "Continuous"
    assert cosmos[0]["id"].startswith(f"/subscriptions/{ADMIN_SUB}/")


def test_split_id_and_merge_patch() -> None:
    assert split_id("/subscriptions/S/resourceGroups/R") == ("s", "r", "microsoft.resources/resourcegroups", "/subscriptions/s")
    assert split_id("/subscriptions/S/resourceGroups/R/providers/Microsoft.Synapse/workspaces/W/sqlPools/P") == (
        "s", "r", "microsoft.synapse/workspaces/sqlpools", "/subscriptions/s/resourcegroups/r/providers/microsoft.synapse/workspaces/w")
    assert split_id("/subscriptions/S/providers/Microsoft.Authorization/roleAssignments/A")[:3] == ("s", "", "microsoft.authorization/roleassignments")
    assert merge_patch({"a": 1, "b": {"c": 2, "d": 3}}, {"b": {"c": None, "e": 4}, "f": [1]}) == {"a": 1, "b": {"d": 3, "e": 4}, "f": [1]}


def test_operations_follow_the_clock_and_apply_once(tmp_path) -> None:
    now = [1000.0]
    path = tmp_path / "state.sqlite"
    one = State(path, clock=lambda: now[0], action_seconds=3)
    two = State(path, clock=lambda: now[0])  # a second process on the same file
    rid = next(r["id"] for r in one.list(type="Microsoft.Fabric/capacities"))
    op = one.start_operation(rid, "fabric.suspend", transient={"properties": {"state": "Pausing"}},
                             final={"properties": {"state": "Paused"}})
    now[0] += 1.5
    assert two.get(rid)["properties"]["state"] == "Pausing"
    assert two.operation(op["id"])["status"] == "InProgress" and two.operation(op["id"])["percent"] == 50.0
    assert one.running(rid)["action"] == "fabric.suspend"
    now[0] += 2
    assert two.get(rid)["properties"]["state"] == "Paused" and one.get(rid)["properties"]["state"] == "Paused"
    assert one.operation(op["id"])["status"] == "Succeeded" and one.running(rid) is None
    one.fail_action("fabric.resume", target=rid.upper(), at="operation", code="Boom", message="no")
    assert two.take_action_fault("fabric.resume", "/other") is None
    fault = two.take_action_fault("fabric.resume", rid)
    assert fault is not None and fault.code == "Boom" and two.take_action_fault("fabric.resume", rid) is None
    one.reset()
    assert two.get(rid)["properties"]["state"] == "Active"
    one.close()
    two.close()


def test_certificates_are_made_once_private_and_valid_for_127_0_0_1(tmp_path) -> None:
    import ssl

    from cryptography import x509

    from loom_tui.demo_azure.certs import ensure_certs

    files = ensure_certs(tmp_path / "tls")
    first = files.cert.read_bytes()
    assert ensure_certs(tmp_path / "tls").cert.read_bytes() == first  # reused, not remade
    assert (tmp_path / "tls").stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in (files.ca, files.cert, files.key))
    cert = x509.load_pem_x509_certificate(first)
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "127.0.0.1" in [str(ip) for ip in sans.get_values_for_type(x509.IPAddress)]
    ctx = ssl.create_default_context(cafile=str(files.ca))  # the CA verifies the server certificate
    assert ctx.cert_store_stats()["x509_ca"] == 1
    (tmp_path / "tls" / "not-after").write_text("2000-01-01T00:00:00+00:00")
    assert ensure_certs(tmp_path / "tls").cert.read_bytes() != first  # expired: made again


def test_route_faults_and_delays_are_shared_and_consumed(tmp_path) -> None:
    one, two = State(tmp_path / "s.sqlite"), State(tmp_path / "s.sqlite")
    one.set_delay("resources.list", 0.25)
    one.inject_fault("resources.list", "429", variant="consumption", seconds=3, times=2)
    for _ in range(2):
        delay, fault = two.route_fault("resources.list")
        assert delay == 0.25 and (fault.kind, fault.variant, fault.seconds) == ("429", "consumption", 3)
    assert two.route_fault("resources.list") == (0.25, None)
    one.set_delay("resources.list", 0)
    assert two.route_fault("resources.list") == (0.0, None)
    import pytest

    with pytest.raises(ValueError):
        one.inject_fault("resources.list", "418")
    one.close()
    two.close()
