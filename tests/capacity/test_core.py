"""The pure core of the Capacity area: rows from ARM documents, scope, filter/sort, summary,
CU-equivalent roll-up, auto-pause decisions, DR rules, portal links.  No I/O."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from loom_tui.domain import capacity as cap
from loom_tui.services.capacity import autopause, dr, metrics, summary, view
from loom_tui.services.capacity.scope import Scope, StoredDlz

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "azure-rest"


def example(name: str, status: str = "200") -> dict:
    return json.loads((FIX / name).read_text())["responses"][status]["body"]


def fabric(name="fc1", state="Active", sku="F64", rg="rg-csa-loom-dlz-finance-eastus2", sub="s1", **kw):
    doc = {"id": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Fabric/capacities/{name}", "name": name,
           "type": "Microsoft.Fabric/capacities", "location": "eastus2", "sku": {"name": sku, "tier": "Fabric"},
           "properties": {"state": state, "provisioningState": kw.pop("provisioning", "Succeeded")}}
    r = cap.resource_from_arm(doc, dlz=cap.dlz_of(rg))
    return cap.Resource(**{**r.__dict__, **kw}) if kw else r


def test_rows_from_the_official_examples():
    f = cap.resource_from_arm(example("FabricCapacities_Get.Microsoft.Fabric-2026-08-01.json"))
    assert (f.name, f.sku, f.state, f.provisioning_state, f.resource_group) == ("azsdktest", "F2", "Active", "Succeeded", "TestRG")
    assert f.subscription_id == "548B7FB7-3B2A-4F46-BB02-66473F1FC22C" and f.provider == "Microsoft.Fabric" and f.is_running
    p = cap.resource_from_arm(example("SqlPools_Get.Microsoft.Synapse-2021-06-01.json"))
    assert (p.state, p.sku, p.runtime.label) == ("Online", "DW100c", "Synapse SQL pool")
    k = cap.resource_from_arm(example("KustoClusters_Get.Microsoft.Kusto-2025-02-14.json"))
    assert k.sku == "Standard_L16as_v3" and k.sku_capacity == 2 and k.state is None and k.pausable
    v = cap.resource_from_arm(example("Vaults_Get.Microsoft.KeyVault-2025-05-01.json"))
    assert not v.pausable and v.state is None


def test_public_json_row_has_the_documented_keys():
    row = cap.public(fabric(cost_note="no cost source"))
    for key in ("id", "name", "type", "resourceGroup", "subscriptionId", "location", "sku", "provisioningState", "state",
                "monthToDateCost", "currency", "utilization24h"):
        assert key in row
    assert row["monthToDateCost"] is None and row["costNote"] == "no cost source"


def test_dlz_from_name_tag_record_and_admin():
    assert cap.dlz_of("rg-csa-loom-dlz-supply-chain-eastus2") == "supply-chain"
    assert cap.dlz_of("rg-csa-loom-admin-eastus2") == cap.ADMIN_PLANE
    assert cap.dlz_of("rg-data", {"loom-domain": "hr"}) == "hr"
    assert cap.dlz_of("rg-data", known={"rg-data": "research"}) == "research"
    assert cap.dlz_of("rg-other") == ""


def test_scope_named_convention_tagged_and_pinned():
    s = Scope.build("rg-admin", ["rg-dlz-a"], [StoredDlz("sales", "rg-sales", "s2")])
    groups = [("rg-admin", {}), ("RG-DLZ-A", {}), ("rg-csa-loom-dlz-hr-eastus", {}), ("rg-x", {"CSA_Loom": "true"}),
              ("rg-unrelated", {}), ("rg-sales", {})]
    got = {t.resource_group: t.why for t in s.select("s1", groups)}
    assert got == {"rg-admin": "profile admin_plane_rg", "RG-DLZ-A": "profile dlz_rgs", "rg-csa-loom-dlz-hr-eastus": "name rg-csa-loom-*",
                   "rg-x": "tag CSA_Loom"}  # rg-sales is recorded in s2, not s1
    assert [t.dlz for t in s.select("s2", [("rg-sales", {})])] == ["sales"]
    assert s.missing(s.select("s1", groups)) == ["rg-sales"]
    assert {t.resource_group for t in s.fallback("s1")} == {"rg-admin", "rg-dlz-a"}


def test_filter_and_sort_any_column_missing_values_last():
    rows = [fabric("b", "Paused", "F2", utilization_24h=None), fabric("a", "Active", "F64", utilization_24h=40.0),
            fabric("c", "Active", "F8", rg="rg-csa-loom-dlz-hr-eastus", utilization_24h=3.0)]
    assert [r.name for r in view.apply(rows, view.CapacityView(sort="utilization"))] == ["c", "a", "b"]
    assert [r.name for r in view.apply(rows, view.CapacityView(sort="utilization", descending=True))] == ["a", "c", "b"]
    assert [r.name for r in view.apply(rows, view.CapacityView(state="paused"))] == ["b"]
    assert [r.name for r in view.apply(rows, view.CapacityView(dlz="hr"))] == ["c"]
    assert [r.name for r in view.apply(rows, view.CapacityView(text="F64"))] == ["a"]
    assert [r.name for r in view.apply(rows, view.CapacityView(type="capacities", provider="microsoft.fabric"))] == ["a", "b", "c"]
    assert view.apply(rows, view.CapacityView(provider="Microsoft.Kusto")) == []
    for key in view.SORTS:
        assert len(view.apply(rows, view.CapacityView(sort=key))) == 3
    with pytest.raises(ValueError):
        view.apply(rows, view.CapacityView(sort="nope"))


def test_summary_and_cu_roll_up():
    pool = cap.resource_from_arm({"id": "/subscriptions/s1/resourceGroups/rg-csa-loom-dlz-finance-eastus2/providers/Microsoft.Synapse/"
                                        "workspaces/w/sqlPools/p", "type": "Microsoft.Synapse/workspaces/sqlPools", "name": "w/p",
                                  "sku": {"name": "DW200c"}, "properties": {"status": "Online"}}, dlz="finance")
    kusto = cap.resource_from_arm({"id": "/subscriptions/s1/resourceGroups/rg-csa-loom-dlz-finance-eastus2/providers/Microsoft.Kusto/"
                                         "clusters/k", "type": "Microsoft.Kusto/clusters", "name": "k",
                                   "sku": {"name": "Standard_E8ads_v5", "capacity": 3}, "properties": {"state": "Running"}}, dlz="finance")
    rows = [fabric("a", utilization_24h=50.0, cost_mtd=10.0, currency="USD"),  # 64 CU * 0.5 = 32
            fabric("b", "Paused", cost_mtd=2.5, currency="USD"),  # paused: 0
            cap.Resource(**{**pool.__dict__, "utilization_24h": 25.0}),  # 200/100 DPU * 8 * 0.25 = 4
            cap.Resource(**{**kusto.__dict__, "utilization_24h": 60.0}),  # 24 vCores * 0.6 / 60 = 0.24
            fabric("c", rg="rg-csa-loom-dlz-hr-eastus")]  # no utilization: missing
    s = summary.summarize(rows)
    assert s.total == 5 and s.by_provider[0] == ("Microsoft.Fabric", 3)
    assert dict(s.by_state) == {"Active": 2, "Paused": 1, "Online": 1, "Running": 1}
    fin = next(d for d in s.by_dlz if d.dlz == "finance")
    assert fin.cu_equivalent == pytest.approx(36.24) and fin.cu_rows == 4 and fin.cost_mtd == 12.5 and fin.currency == "USD"
    assert (fin.running, fin.paused) == (3, 1)
    hr = next(d for d in s.by_dlz if d.dlz == "hr")
    assert hr.cu_missing == 1 and hr.cu_equivalent == 0 and hr.cost_mtd is None


def test_sku_helpers():
    assert cap.F_SKUS[0] == "F2" and cap.F_SKUS[-1] == "F2048" and len(cap.F_SKUS) == 11
    assert cap.fabric_cus("f16") == 16 and cap.fabric_cus("P1") is None
    assert cap.adx_vcores("Standard_L16as_v3", 2) == 32 and cap.adx_vcores("Dev(No SLA)_Standard_E2a_v4", 1) == 2
    assert cap.synapse_dwu("DW100c") == 100


def test_portal_link_per_cloud():
    rid = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Fabric/capacities/x"
    assert cap.portal_link("https://portal.azure.us", rid, "t1") == f"https://portal.azure.us/#@t1/resource{rid}/overview"
    from loom_tui.azure.clouds import BUILTIN

    assert all(c.portal.startswith("https://portal.") for c in BUILTIN.values())
    r = cap.resource_from_arm({"id": rid, "type": "Microsoft.Fabric/capacities"})
    assert cap.public(r, "https://portal.azure.us/x")["portalUrl"] == "https://portal.azure.us/x" and "portalNote" not in cap.public(r, "https://p/x")
    assert cap.public(r, None) | {} == {**cap.public(r, None), "portalUrl": None, "portalNote": "no portal for this cloud"}


# -- metrics and auto-pause -------------------------------------------------------------------

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def series(values, grain=timedelta(minutes=5), end=NOW):
    pts = []
    for i, v in enumerate(values):
        at = end - grain * (len(values) - i)
        pts.append({"timeStamp": at.strftime("%Y-%m-%dT%H:%M:%SZ"), **({} if v is None else {"average": v / 2, "maximum": v})})
    body = {"value": [{"name": {"value": "CPU"}, "unit": "Percent", "timeseries": [{"data": pts}]}]}
    return metrics.parse(body, "cpu")


def test_metrics_parse_official_example_merges_dimension_series():
    body = json.loads((FIX / "Metrics_List.Microsoft.Insights-2024-02-01.json").read_text())["responses"]["200"]["body"]
    s = metrics.parse(body, "BlobCount")
    assert s is not None and len(s.points) == 5 and s.points[0].average == 7.0  # Hot 7 beats Standard 2
    assert metrics.parse(body, "Nope") is None


def test_auto_pause_decisions_each_with_a_reason():
    two = timedelta(hours=2)
    d = autopause.decide(fabric(), series([1.0] * 30), now=NOW, idle_for=two, threshold=5)
    assert d.pause and "idle: peak 1.0 %" in d.reason and "2h" in d.reason
    d = autopause.decide(fabric(), series([1.0] * 20 + [7.0] + [1.0] * 9), now=NOW, idle_for=two, threshold=5)
    assert not d.pause and d.reason.startswith("busy: 7.0 %")
    d = autopause.decide(fabric(), series([1.0] * 10), now=NOW, idle_for=two)
    assert not d.pause and "covers only" in d.reason
    d = autopause.decide(fabric(), series([1.0] * 12 + [None] * 6 + [1.0] * 12), now=NOW, idle_for=two)
    assert not d.pause and "gap" in d.reason
    d = autopause.decide(fabric(), None, now=NOW, idle_for=two, metric_error="403 Forbidden")
    assert not d.pause and "403 Forbidden" in d.reason
    d = autopause.decide(fabric(state="Paused"), series([0.0] * 30), now=NOW, idle_for=two)
    assert not d.pause and "Paused" in d.reason
    d = autopause.decide(fabric(provisioning="Updating"), series([0.0] * 30), now=NOW, idle_for=two)
    assert not d.pause and "Updating" in d.reason
    d = autopause.decide(fabric(), series([0.0] * 30, end=NOW - timedelta(hours=1)), now=NOW, idle_for=timedelta(minutes=30))
    assert not d.pause
    d = autopause.decide(fabric(), series([4.9] * 30), now=NOW, idle_for=two, threshold=5)
    assert d.pause  # under the threshold, strictly


def test_durations():
    assert autopause.parse_duration("2h") == timedelta(hours=2)
    assert autopause.parse_duration("90m") == timedelta(minutes=90)
    assert autopause.describe(timedelta(days=1)) == "1d"
    for bad in ("", "2", "2 weeks", "1m"):
        with pytest.raises(ValueError):
            autopause.parse_duration(bad)


# -- DR ---------------------------------------------------------------------------------------


def test_dr_cosmos_periodic_example_fails_with_fix_continuous_passes():
    doc = example("DatabaseAccounts_Get.Microsoft.DocumentDB-2025-04-15.json")
    (c,) = dr.cosmos(doc)
    assert not c.ok and c.status == "FAIL" and "periodic" in c.detail and "InProgress" in c.detail
    assert c.fix.startswith("az cosmosdb update --name ") and "--backup-policy-type Continuous" in c.fix
    doc["properties"]["backupPolicy"] = {"type": "Continuous", "continuousModeProperties": {"tier": "Continuous7Days"}}
    (c,) = dr.cosmos(doc)
    assert c.ok and "7 days" in c.detail and c.fix == ""


def test_dr_storage_lines():
    body = example("BlobServices_GetServiceProperties.Microsoft.Storage-2025-06-01.json")
    rid = "/subscriptions/s/resourceGroups/rg-a/providers/Microsoft.Storage/storageAccounts/sto8607"
    lines = {c.check: c for c in dr.storage(rid, "sto8607", body)}
    assert lines["blob soft delete"].ok and "300 days" in lines["blob soft delete"].detail
    assert lines["versioning"].ok
    assert not lines["container soft delete"].ok and "--enable-container-delete-retention true" in lines["container soft delete"].fix
    assert "--resource-group rg-a" in lines["container soft delete"].fix
    short = dr.storage(rid, "sto8607", {"properties": {"deleteRetentionPolicy": {"enabled": True, "days": 3}}})
    assert not short[0].ok and "only 3 days" in short[0].detail and "--delete-retention-days 7" in short[0].fix


def test_dr_key_vault_lines_and_quoting():
    doc = example("Vaults_Get.Microsoft.KeyVault-2025-05-01.json")
    soft, purge = dr.key_vault(doc)
    assert soft.ok and "(default)" in soft.detail
    assert not purge.ok and purge.fix == "az keyvault update --name sample-vault --resource-group sample-resource-group --enable-purge-protection true"
    doc["properties"].update(enableSoftDelete=False, enablePurgeProtection=True)
    doc["name"] = "v; rm -rf /"
    soft, purge = dr.key_vault(doc)
    assert not soft.ok and "'v; rm -rf /'" in soft.fix and purge.ok


def test_capacity_core_imports_no_textual():
    import subprocess
    import sys

    code = ("import loom_tui.domain.capacity, loom_tui.services.capacity.scope, loom_tui.services.capacity.view, "
            "loom_tui.services.capacity.summary, loom_tui.services.capacity.autopause, loom_tui.services.capacity.dr, "
            "loom_tui.services.capacity.metrics; import sys; print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
