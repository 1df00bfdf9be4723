"""DR posture rules (pure): each check of a Cosmos account, storage account or Key Vault is one
line, OK or FAIL in words, with the ``az`` command that fixes it.

- Cosmos DB: continuous backup (7 or 30 days) is OK; periodic backup is a FAIL (point-in-time
  restore needs continuous).
- Storage (blob service properties): blob soft delete on with at least ``MIN_DAYS`` days,
  container soft delete on, and versioning on — except on a hierarchical-namespace (ADLS Gen2)
  account, where Azure does not support blob versioning or point-in-time restore (Learn's feature
  matrix; ARM refuses the combination): there the restore baseline is soft delete plus the change
  feed, as the platform's ``storage.bicep`` sets it, so the third check is the change feed.
- Key Vault: soft delete on (ARM may omit ``enableSoftDelete``: it defaults to true and can no
  longer be turned off, so absent counts as on), purge protection on (absent = off).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

MIN_DAYS = 7


@dataclass(frozen=True)
class Check:
    resource_id: str
    resource: str  # name
    kind: str  # "Cosmos DB", "Storage", "Key Vault"
    check: str  # "backup policy", "blob soft delete", ...
    ok: bool
    detail: str  # what was found, in words
    fix: str = ""  # the az command (empty when ok)

    @property
    def status(self) -> str:
        return "OK" if self.ok else "FAIL"


def _q(v: str) -> str:
    return shlex.quote(v)


def _rg(resource_id: str) -> str:
    from loom_tui.domain.capacity import parse_id

    return parse_id(resource_id)[1]


def cosmos(doc: dict[str, Any]) -> list[Check]:
    rid, name = str(doc.get("id") or ""), str(doc.get("name") or "")
    policy = (doc.get("properties") or {}).get("backupPolicy") or {}
    kind = str(policy.get("type") or "")
    fix = (f"az cosmosdb update --name {_q(name)} --resource-group {_q(_rg(rid))} "
           f"--backup-policy-type Continuous --continuous-tier Continuous30Days")
    if kind.lower() == "continuous":
        tier = str((policy.get("continuousModeProperties") or {}).get("tier") or "Continuous30Days")
        days = "7" if "7" in tier else "30"
        return [Check(rid, name, "Cosmos DB", "backup policy", True, f"continuous, {days} days point-in-time restore")]
    if kind.lower() == "periodic":
        p = policy.get("periodicModeProperties") or {}
        detail = (f"periodic: every {p.get('backupIntervalInMinutes', '?')} min, kept "
                  f"{p.get('backupRetentionIntervalInHours', '?')} h; no point-in-time restore")
        migrating = (policy.get("migrationState") or {}).get("status")
        if migrating:
            detail += f" (migration to continuous: {migrating})"
        return [Check(rid, name, "Cosmos DB", "backup policy", False, detail, fix)]
    return [Check(rid, name, "Cosmos DB", "backup policy", False, "no backup policy reported", fix)]


def storage(account_id: str, account: str, blob_service: dict[str, Any], account_doc: dict[str, Any] | None = None) -> list[Check]:
    """``account_doc``: the storage account as ARM returns it (for ``isHnsEnabled``)."""
    props = blob_service.get("properties") or {}
    hns = bool(((account_doc or {}).get("properties") or {}).get("isHnsEnabled"))
    rg = _rg(account_id)
    base = f"az storage account blob-service-properties update --account-name {_q(account)} --resource-group {_q(rg)}"
    out: list[Check] = []
    blob = props.get("deleteRetentionPolicy") or {}
    days = blob.get("days")
    if blob.get("enabled") and isinstance(days, int) and days >= MIN_DAYS:
        out.append(Check(account_id, account, "Storage", "blob soft delete", True, f"on, {days} days"))
    else:
        found = f"on, only {days} days (at least {MIN_DAYS})" if blob.get("enabled") else "off"
        out.append(Check(account_id, account, "Storage", "blob soft delete", False, found,
                         f"{base} --enable-delete-retention true --delete-retention-days {max(MIN_DAYS, days or 0)}"))
    cont = props.get("containerDeleteRetentionPolicy") or {}
    if cont.get("enabled"):
        out.append(Check(account_id, account, "Storage", "container soft delete", True, f"on, {cont.get('days', '?')} days"))
    else:
        out.append(Check(account_id, account, "Storage", "container soft delete", False, "off",
                         f"{base} --enable-container-delete-retention true --container-delete-retention-days {MIN_DAYS}"))
    if hns:
        if (props.get("changeFeed") or {}).get("enabled"):
            out.append(Check(account_id, account, "Storage", "change feed", True,
                             "on (hierarchical namespace: Azure has no blob versioning here; soft delete + change feed restore)"))
        else:
            out.append(Check(account_id, account, "Storage", "change feed", False,
                             "off (hierarchical namespace: no blob versioning, so the change feed is the restore record)",
                             f"{base} --enable-change-feed true"))
    elif props.get("isVersioningEnabled"):
        out.append(Check(account_id, account, "Storage", "versioning", True, "on"))
    else:
        out.append(Check(account_id, account, "Storage", "versioning", False, "off", f"{base} --enable-versioning true"))
    return out


def key_vault(doc: dict[str, Any]) -> list[Check]:
    rid, name = str(doc.get("id") or ""), str(doc.get("name") or "")
    props = doc.get("properties") or {}
    rg = _rg(rid)
    out: list[Check] = []
    soft = props.get("enableSoftDelete")
    days = props.get("softDeleteRetentionInDays", 90)
    if soft is False:
        out.append(Check(rid, name, "Key Vault", "soft delete", False, "off",
                         f"az keyvault update --name {_q(name)} --resource-group {_q(rg)} --enable-soft-delete true"))
    else:
        out.append(Check(rid, name, "Key Vault", "soft delete", True, f"on, {days} days" + ("" if soft else " (default)")))
    if props.get("enablePurgeProtection"):
        out.append(Check(rid, name, "Key Vault", "purge protection", True, "on"))
    else:
        out.append(Check(rid, name, "Key Vault", "purge protection", False, "off",
                         f"az keyvault update --name {_q(name)} --resource-group {_q(rg)} --enable-purge-protection true"))
    return out


def failed(resource_id: str, name: str, kind: str, why: str) -> Check:
    """A resource whose settings could not be read: red, with the reason (never silently OK)."""
    return Check(resource_id, name, kind, "settings readable", False, f"could not be read: {why}")
