"""Issue 24 item 8: an ADLS Gen2 (hierarchical namespace) account cannot have blob versioning
(Azure refuses the combination), so the DR check does not ask for it there: the restore baseline
is blob and container soft delete plus the change feed, as the platform's storage.bicep sets it."""

from __future__ import annotations

from loom_tui.services.capacity import dr

RID = "/subscriptions/s/resourceGroups/rg-a/providers/Microsoft.Storage/storageAccounts/saloomx"
BLOB = {"properties": {"deleteRetentionPolicy": {"enabled": True, "days": 30}, "containerDeleteRetentionPolicy": {"enabled": True, "days": 30},
                       "isVersioningEnabled": False, "changeFeed": {"enabled": True}}}
HNS = {"properties": {"isHnsEnabled": True}}


def test_an_hns_account_with_soft_delete_and_change_feed_passes():
    lines = {c.check: c for c in dr.storage(RID, "saloomx", BLOB, HNS)}
    assert all(c.ok for c in lines.values()), lines
    assert "versioning" not in lines and "hierarchical namespace" in lines["change feed"].detail


def test_an_hns_account_without_change_feed_fails_with_its_fix():
    body = {"properties": {**BLOB["properties"], "changeFeed": {"enabled": False}}}
    lines = {c.check: c for c in dr.storage(RID, "saloomx", body, HNS)}
    assert not lines["change feed"].ok and lines["change feed"].fix.endswith("--enable-change-feed true")


def test_a_flat_namespace_account_still_needs_versioning():
    lines = {c.check: c for c in dr.storage(RID, "saloomx", BLOB, {"properties": {"isHnsEnabled": False}})}
    assert not lines["versioning"].ok and "--enable-versioning true" in lines["versioning"].fix
