"""DR posture, read live: the Cosmos DB accounts', storage accounts' and Key Vaults' settings of
the inventory, through the shared clients, checked by the rules of ``dr.py``."""

from __future__ import annotations

import asyncio
from typing import Any

from loom_tui.domain.capacity import COSMOS, KEY_VAULT, STORAGE, Resource

from . import apis, dr
from .failures import describe

KINDS = {COSMOS: "Cosmos DB", STORAGE: "Storage", KEY_VAULT: "Key Vault"}


async def _one(clients: Any, r: Resource) -> list[dr.Check]:
    kind = KINDS[r.type_key]
    try:
        if r.type_key == STORAGE:  # the account (hierarchical namespace?) and its blob service
            account, blob = await asyncio.gather(
                clients.send("GET", r.id, await apis.version(clients, STORAGE, r.id)),
                clients.send("GET", apis.blob_service(r.id), await apis.version(clients, apis.BLOB_SERVICES, r.id)))
            return dr.storage(r.id, r.name, blob.body or {}, account.body or {})
        doc = (await clients.send("GET", r.id, await apis.version(clients, r.type_key, r.id))).body or {}
        return dr.cosmos(doc) if r.type_key == COSMOS else dr.key_vault(doc)
    except Exception as exc:  # noqa: BLE001 — an unreadable setting is a red line, never skipped
        return [dr.failed(r.id, r.name, kind, describe(r.name, exc).reason)]


async def check(clients: Any, rows: list[Resource]) -> list[dr.Check]:
    targets = sorted((r for r in rows if r.type_key in KINDS), key=lambda r: (KINDS[r.type_key], r.name.lower()))
    results = await asyncio.gather(*(_one(clients, r) for r in targets))
    return [c for cs in results for c in cs]
