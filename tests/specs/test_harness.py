"""The spec harness itself can fail: a body the spec refuses, a field it does not declare, a
status it does not answer, an api-version without a spec file, a route without one."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.specs import Exchange, book, check

SUB = "/subscriptions/de700000-0000-4000-8000-0000000000d1"
CAP = SUB + "/resourceGroups/rg-x/providers/Microsoft.Fabric/capacities/fcx"
GOOD = {"id": CAP, "name": "fcx", "type": "Microsoft.Fabric/capacities", "location": "eastus2",
        "sku": {"name": "F2", "tier": "Fabric"}, "properties": {"state": "Active", "provisioningState": "Succeeded",
                                                                "administration": {"members": ["a@b.example"]}}}
SPECS = Path(__file__).resolve().parent.parent / "fixtures" / "specs"


def x(method: str, path: str, *, body=None, status=200, response=None, headers=None, api="2023-11-01") -> Exchange:
    return Exchange("t", method, path, {"api-version": api} if api else {}, body, status, headers or {}, response)


def test_a_spec_conforming_exchange_passes() -> None:
    assert check(x("GET", CAP, response=GOOD)) == []
    assert check(x("PATCH", CAP, body={"sku": {"name": "F8", "tier": "Fabric"}}, status=202,
                   headers={"Location": "https://h/op", "Retry-After": "5"})) == []


def test_a_request_body_the_spec_refuses_fails() -> None:
    bad = check(x("PATCH", CAP, body={"sku": {"tier": "Fabric"}}, status=202, headers={"Location": "u"}))
    assert any("'name' is a required property" in p for p in bad), bad
    tier = check(x("PATCH", CAP, body={"sku": {"name": "F8", "tier": "Premium"}}, status=202, headers={"Location": "u"}))
    assert any("'Premium' is not one of ['Fabric']" in p for p in tier), tier
    extra = check(x("PATCH", CAP, body={"sku": {"name": "F8", "tier": "Fabric", "capacity": 2}}, status=202, headers={"Location": "u"}))
    assert any("request sku.capacity: not in the spec's schema" in p for p in extra), extra
    missing = check(x("PATCH", CAP, body=None, status=202, headers={"Location": "u"}))
    assert any("requires one" in p for p in missing)


def test_a_response_the_spec_does_not_allow_fails() -> None:
    invented = dict(GOOD, properties={**GOOD["properties"], "utilization": 3})
    assert any("properties.utilization: not in the spec's schema" in p for p in check(x("GET", CAP, response=invented)))
    wrong = dict(GOOD, properties={**GOOD["properties"], "state": "Sleeping"})
    assert any("'Sleeping' is not one of" in p for p in check(x("GET", CAP, response=wrong)))
    assert any("status 201 is not an answer" in p for p in check(x("POST", CAP + "/suspend", status=201, headers={"Location": "u"})))
    assert any("without Location or Azure-AsyncOperation" in p for p in check(x("POST", CAP + "/suspend", status=202)))
    assert any("a body on a 204" in p for p in check(x("DELETE", CAP, status=204, response={"a": 1})))
    assert any("not a whole number" in p for p in check(x("POST", CAP + "/suspend", status=202, headers={"Location": "u", "Retry-After": "soon"})))


def test_errors_are_held_to_the_default_response() -> None:
    assert check(x("GET", CAP, status=404, response={"error": {"code": "NotFound", "message": "m"}})) == []
    assert check(x("GET", CAP, status=404, response={"error": {"code": 404}})) != []


def test_the_request_itself_is_checked() -> None:
    assert any("required query parameter 'api-version'" in p or "no spec file kept for api-version None" in p
               for p in check(x("GET", CAP, response=GOOD, api=None)))
    assert any("path value capacityName='Fc-X'" in p for p in check(x("GET", SUB + "/resourceGroups/rg-x/providers/Microsoft.Fabric/capacities/Fc-X", response=GOOD)))
    assert any("no spec file kept for api-version 2099-01-01" in p for p in check(x("GET", CAP, response=GOOD, api="2099-01-01")))
    assert any("no spec file kept for GET" in p for p in check(x("GET", SUB + "/providers/Microsoft.Nothing/things", response={})))
    assert any("DELETE is not" in p or "no spec file" in p for p in check(x("DELETE", CAP + "/skus", status=200)))


def test_every_spec_file_is_in_the_manifest_with_its_commit() -> None:
    manifest = json.loads((SPECS / "MANIFEST.json").read_text())["files"]
    on_disk = {p.relative_to(SPECS).as_posix() for p in SPECS.rglob("*.json") if p.name != "MANIFEST.json"}
    assert on_disk == set(manifest), (on_disk ^ set(manifest))
    for path, entry in manifest.items():
        assert len(entry["commit"]) == 40 and entry["form"] in ("stripped", "extract"), path
        assert entry["form"] == "stripped" or entry.get("kept"), f"{path}: an extract names the path items it kept"
    assert book().operations


def test_an_enum_takes_only_its_values_and_those_the_spec_examples_use() -> None:
    """Query_Usage lists granularity Daily; its upstream example MCABillingProfileQueryGrouping sends
    None (MANIFEST example_values) — both pass; any other value fails."""
    q = SUB + "/providers/Microsoft.CostManagement/query"

    def query(granularity):
        body = {"type": "ActualCost", "timeframe": "MonthToDate",
                "dataset": {"granularity": granularity, "aggregation": {"totalCost": {"name": "Cost", "function": "Sum"}}}}
        return check(x("POST", q, body=body, status=204, api="2024-08-01"))

    assert query("Daily") == [] and query("None") == []
    assert any("'Monthly' is not one of ['Daily']" in p for p in query("Monthly"))
