"""Clouds: the built-in table, custom clouds from ARM metadata or a file, and `loom cloud`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loom_tui.azure import clouds
from loom_tui.azure.clouds import BUILTIN, CloudError, cloud_from_metadata, get_cloud


def test_five_builtin_clouds_with_their_endpoints() -> None:
    assert list(BUILTIN) == ["AzureCloud", "AzureUSGovernment", "AzureChinaCloud", "USSec", "USNat"]
    gov = BUILTIN["AzureUSGovernment"]
    assert gov.arm_scope == "https://management.usgovcloudapi.net/.default"
    assert gov.private_dns_zones["key_vault"] == "privatelink.vaultcore.usgovcloudapi.net"
    assert gov.private_dns_zones["cosmos_sql"] == "privatelink.documents.azure.us"
    assert gov.private_dns_zones["container_registry"] == "privatelink.azurecr.us"
    assert gov.private_dns_zones["storage_blob"] == "privatelink.blob.core.usgovcloudapi.net"
    assert BUILTIN["AzureChinaCloud"].private_dns_zones["key_vault"] == "privatelink.vaultcore.azure.cn"
    assert BUILTIN["USSec"].cosmos_suffix is None and BUILTIN["USSec"].zones_incomplete


def test_instance_discovery_only_for_hosts_msal_knows() -> None:
    assert [c.name for c in BUILTIN.values() if c.instance_discovery] == ["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"]
    assert not BUILTIN["USNat"].instance_discovery


def test_builtin_names_are_case_insensitive() -> None:
    assert get_cloud("azureusgovernment").name == "AzureUSGovernment"
    with pytest.raises(CloudError, match="no cloud named 'Nowhere'"):
        get_cloud("Nowhere")


def _doc(**over) -> dict:
    doc = {
        "portal": "https://portal.contoso.secret",
        "authentication": {"loginEndpoint": "https://login.contoso.secret/", "audiences": ["https://management.contoso.secret/"]},
        "resourceManager": "https://management.contoso.secret",
        "suffixes": {"storage": "core.contoso.secret"},
    }
    doc.update(over)
    return doc


def test_metadata_document_to_cloud() -> None:
    c = cloud_from_metadata("Secret", _doc(), source="file")
    assert c.authority_host == "https://login.contoso.secret"
    assert c.arm_endpoint == "https://management.contoso.secret/"
    assert c.arm_scope == "https://management.contoso.secret/.default"
    assert c.private_dns_zones["storage_dfs"] == "privatelink.dfs.core.contoso.secret"
    assert c.zones_incomplete and not c.instance_discovery and c.cosmos_suffix is None
    extra = cloud_from_metadata("Secret", _doc(privateDnsZones={"key_vault": "privatelink.vaultcore.contoso.secret"}), source="f")
    assert not extra.zones_incomplete


def test_list_form_picks_the_named_cloud() -> None:
    doc = [dict(_doc(), name="A"), dict(_doc(resourceManager="https://arm.b.example"), name="B")]
    assert cloud_from_metadata("B", doc, source="f").arm_endpoint == "https://arm.b.example/"
    with pytest.raises(CloudError, match="lists 2 clouds"):
        cloud_from_metadata("C", doc, source="f")


@pytest.mark.parametrize(
    "change,message",
    [
        ({"authentication": None}, "authentication: missing"),
        ({"resourceManager": "management.contoso.secret"}, "resourceManager: not an absolute URL"),
        ({"suffixes": {}}, "suffixes.storage: missing"),
        ({"privateDnsZones": ["x"]}, "privateDnsZones: must be an object"),
    ],
)
def test_bad_metadata_says_which_field(change: dict, message: str) -> None:
    with pytest.raises(CloudError, match=message):
        cloud_from_metadata("X", _doc(**change), source="f")


def test_register_refuses_builtin_and_duplicates(tmp_path: Path) -> None:
    reg = tmp_path / "clouds.json"
    c = cloud_from_metadata("Secret", _doc(), source="f")
    clouds.register_cloud(c, reg)
    with pytest.raises(CloudError, match="already registered"):
        clouds.register_cloud(c, reg)
    clouds.register_cloud(c, reg, replace=True)
    with pytest.raises(CloudError, match="built-in"):
        clouds.register_cloud(cloud_from_metadata("azurecloud", _doc(), source="f"), reg)
    assert get_cloud("Secret", reg) == c


def test_corrupt_registry_names_the_file(tmp_path: Path) -> None:
    reg = tmp_path / "clouds.json"
    reg.write_text("{nope")
    with pytest.raises(CloudError, match="clouds.json: not valid JSON"):
        clouds.list_clouds(reg)


# ------------------------------------------------------------------ the `loom cloud` command


def test_cli_register_from_metadata_url_then_show_json(loom, arm_thread) -> None:
    arm_thread.login_endpoint = "https://login.loom.invalid"
    code, out, err = loom("cloud", "register", "Lab", "--metadata-url", arm_thread.url)
    assert code == 0, err
    assert "instance discovery off" in out
    assert [c.route for c in arm_thread.calls] == ["metadata"]
    assert arm_thread.calls[0].query == {"api-version": "2022-09-01"}
    code, out, _ = loom("cloud", "show", "Lab", "--json")
    shown = json.loads(out)
    assert shown["arm_endpoint"] == arm_thread.url + "/"
    assert shown["authority_host"] == "https://login.loom.invalid"
    assert shown["source"] == arm_thread.url
    code, out, _ = loom("cloud", "list")
    assert "Lab" in out and "custom" in out and "USNat" in out


def test_cli_register_from_file_and_errors(loom, tmp_path: Path) -> None:
    f = tmp_path / "secret.json"
    f.write_text(json.dumps(_doc()))
    code, out, err = loom("cloud", "register", "Secret", "--from-file", str(f))
    assert code == 0, err
    code, out, _ = loom("cloud", "show", "Secret")
    assert "privatelink.blob.core.contoso.secret" in out and "incomplete" in out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_doc(suffixes={})))
    code, _, err = loom("cloud", "register", "Bad", "--from-file", str(bad))
    assert code == 2 and "suffixes.storage: missing" in err
    code, _, err = loom("cloud", "show", "Nope")
    assert code == 3 and "no cloud named 'Nope'" in err  # not found


def test_cli_register_unreachable_metadata(loom) -> None:
    code, _, err = loom("cloud", "register", "Gone", "--metadata-url", "http://127.0.0.1:9/")
    assert code == 1 and "cannot be reached" in err  # a failure, not bad input
