"""Domain validation, the derived names within Azure's rules, uniqueString, SKUs, boundaries, DNS zones."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loom_tui.domain.arm_hash import unique_string
from loom_tui.domain.boundary import BOUNDARIES, boundaries_for, find_boundary
from loom_tui.domain.dlz_names import derive_names, domain_problem, names_problems, normalise_domain
from loom_tui.domain.dns_zones import dlz_dns_zones
from loom_tui.domain.fabric_skus import FABRIC_SKUS, RECOMMENDED, find_sku


@pytest.mark.parametrize("values, expected", [
    (("test",), "rbgf3xv4ufgzg"), (("hello", "world"), "a7wkljktk6wne"), (("abc",), "cgtzqvhu4i23s"),
    (("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg",), "bmg7c6xu4tw46"),
    (("foo", "bar", "baz"), "xzi4ioaxtmth4"),
])
def test_unique_string_matches_arm(values, expected):
    # values published as Bicep's uniqueString() output
    assert unique_string(*values) == expected


@pytest.mark.parametrize("domain, why", [
    ("", "required"), ("ab", "3 to 24"), ("a" * 25, "3 to 24"), ("Finance", "lower-case"), ("fin_ance", "lower-case"),
    ("fin ance", "lower-case"), ("-finance", "start or end"), ("finance-", "start or end"), ("fin--ance", "'--'"),
    ("finance", "already exists"),
])
def test_domain_problems(domain, why):
    assert why in (domain_problem(domain, {"finance"}) or "")


@pytest.mark.parametrize("domain", ["abc", "finance", "supply-chain", "a" * 24, "x1-y2-z3", "123"])
def test_good_domains(domain):
    assert domain_problem(domain, {"finance-old"}) is None


def test_normalise_domain_keeps_only_the_allowed_characters():
    assert normalise_domain("Supply Chain_2!\x1b[31m") == "supplychain231m"


@given(st.from_regex(r"[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,23}", fullmatch=True),
       st.sampled_from(["eastus2", "usgovvirginia", "westeurope"]), st.uuids())
@settings(max_examples=300, deadline=None)
def test_derived_names_keep_azure_rules(domain, region, sub):
    if domain_problem(domain):
        return
    names = derive_names(domain, region, str(sub))
    assert names_problems(names) == []
    assert re.fullmatch(r"[a-z0-9]{3,24}", names.storage_account)
    assert names.storage_account.startswith("saloom")  # storage.bicep: take('saloom<domain>' + uniqueString(rg id), 24)
    assert names.resource_group == f"rg-csa-loom-dlz-{domain}-{region}"


def test_derived_names_differ_by_subscription():
    a = derive_names("finance", "eastus2", "11111111-1111-1111-1111-111111111111")
    b = derive_names("finance", "eastus2", "22222222-2222-2222-2222-222222222222")
    assert a.storage_account != b.storage_account and a.storage_account.startswith("saloomfinance")


def test_the_storage_name_is_the_platforms_uniquestring_of_the_resource_group_id():
    from loom_tui.domain.arm_hash import unique_string

    n = derive_names("supply-chain", "eastus2", "11111111-1111-1111-1111-111111111111")
    rg_id = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-csa-loom-dlz-supply-chain-eastus2"
    assert n.storage_account == ("saloomsupplychain" + unique_string(rg_id))[:24]


def test_fabric_range_is_f2_to_f2048_with_f8_recommended():
    assert [s.name for s in FABRIC_SKUS] == ["F2", "F4", "F8", "F16", "F32", "F64", "F128", "F256", "F512", "F1024", "F2048"]
    assert RECOMMENDED == "F8" and find_sku("f64").capacity_units == 64 and find_sku("F3") is None


def test_boundaries():
    assert [b.key for b in boundaries_for("AzureCloud")] == ["commercial", "gcc", "gcc-high", "il5"]
    assert BOUNDARIES["il5"].cloud == "AzureUSGovernment" and BOUNDARIES["il5"].compliance_tags["DISA_IL"] == "IL5"
    assert BOUNDARIES["gcc"].default_location == "eastus" and BOUNDARIES["gcc-high"].default_mode == "multi-sub"
    assert find_boundary("GCC-High", "AzureCloud").key == "gcc-high" and find_boundary("IL4", "AzureCloud").key == "gcc-high"
    custom = boundaries_for("USSec")[-1]
    assert custom.key == "cloud:USSec" and custom.cloud == "USSec" and find_boundary("cloud:ussec", "USSec") == custom
    for b in BOUNDARIES.values():
        assert {"Environment", "CSA_Loom", "Data_Classification"} <= set(b.compliance_tags)


def test_seventeen_dns_zones_per_cloud():
    pub = dlz_dns_zones("AzureCloud", "eastus2", "core.windows.net")
    assert len(pub) == 17 and all(z for _, z in pub)
    assert ("container_apps", "privatelink.eastus2.azurecontainerapps.io") in pub
    assert ("blob", "privatelink.blob.core.windows.net") in pub
    gov = dict(dlz_dns_zones("AzureUSGovernment", "usgovvirginia", "core.usgovcloudapi.net"))
    assert gov["key_vault"] == "privatelink.vaultcore.usgovcloudapi.net" and gov["blob"] == "privatelink.blob.core.usgovcloudapi.net"
    secret = dlz_dns_zones("USSec", "usseceast", "core.microsoft.scloud")
    assert dict(secret)["blob"] == "privatelink.blob.core.microsoft.scloud"
    assert [k for k, z in secret if z is None]  # unpublished zones are named as missing, never guessed
