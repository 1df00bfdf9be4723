"""Issue 24 item 9: ``loom dlz list`` lists every DLZ the estate has — loom's records and the
landing zones found in Azure by resource group name, by the platform's tags or by spoke name —
each with its source."""

from __future__ import annotations

import json

from loom_tui.services.dlz.discovery import found_dlzs
from loom_tui.services.dlz.facts import NetworkRow

from tests.dlz.test_cli_dlz import GOOD, loom

SUB = "11111111-1111-1111-1111-111111111111"


def _rg(name: str, location: str = "eastus2", **tags: str) -> tuple[str, dict]:
    return SUB, {"id": f"/subscriptions/{SUB}/resourceGroups/{name}", "name": name, "location": location, "tags": tags}


def test_found_by_name_by_the_platforms_tags_and_by_spoke_name():
    groups = [_rg("rg-csa-loom-dlz-supply-chain-eastus2"), _rg("rg-bureau-data", "centralus", **{"csa-loom-tier": "dlz", "csa-loom-domain": "bureau"}),
              _rg("rg-other"), _rg("rg-loose"), _rg("rg-csa-loom-admin-eastus2")]
    nets = [NetworkRow("vnet-csa-loom-dlz-supply-chain-eastus2", "/v1", SUB, "rg-csa-loom-dlz-supply-chain-eastus2", ("10.5.0.0/16",)),
            NetworkRow("vnet-csa-loom-dlz-legacy-westus3", "/v2", SUB, "rg-loose", ("10.6.0.0/16",)),
            NetworkRow("vnet-app", "/v3", SUB, "rg-other", ("10.7.0.0/16",))]
    found = {d.domain: d for d in found_dlzs(groups, nets)}
    assert set(found) == {"supply-chain", "bureau", "legacy"}
    assert (found["supply-chain"].source, found["supply-chain"].region, found["supply-chain"].address_space) == ("resource group", "eastus2", "10.5.0.0/16")
    assert (found["bureau"].source, found["bureau"].region) == ("tags", "centralus")
    assert (found["legacy"].source, found["legacy"].resource_group) == ("virtual network", "rg-loose")


def test_list_shows_the_estates_dlzs_with_their_source_then_a_recorded_one(tmp_path):
    listed = json.loads(loom("dlz", "list", "-o", "json").stdout)
    demo = {d["domain"]: d for d in listed}
    assert {"finance", "marketing", "sales", "supply-chain", "hr", "research"} <= set(demo)  # the six Capacity shows
    assert all(d["source"] == "found by resource group" and d["state"] == "found" for d in demo.values())
    assert demo["finance"]["addressSpace"] == "10.10.0.0/16"
    table = loom("dlz", "list").stdout
    assert "found by resource group" in table and "research" in table
    answers = tmp_path / "dlz.toml"
    answers.write_text(GOOD)
    loom("dlz", "deploy", "--answers", str(answers), "--yes")
    row = next(d for d in json.loads(loom("dlz", "list", "-o", "json").stdout) if d["domain"] == "logistics")
    assert row["source"] == "recorded; found by resource group" and row["state"] == "deployed"
