"""The tenant's domains registry, as the web console keeps it (``lib/azure/domain-registry.ts`` at
the pinned commit): one document ``{id: "domains:<tid>", tenantId: <tid>, kind: "domains",
items: [DomainItem], updatedAt}`` in ``tenant-settings``.  A workspace's ``domain`` is a domain
**id**; people see the domain's **name**.

* :meth:`DomainRegistry.load_or_seed` is the console's ``loadOrSeedDomains``: a tenant without the
  document gets the starter set (``default`` first, the guaranteed binding target), written when
  loom may write, and only shown when it may not (read-only).
* A document loom wrote before it followed the console (``{"domains": [{id, name, displayName}]}``)
  is read as items and rewritten in the console's shape on the next change; a shape the console
  would throw on never stays behind.
* Input takes an id or a name, case-insensitively (:meth:`resolve`); a new domain's id is made as
  ``upsertDomainBinding`` makes it (lower case, anything but ``a-z0-9-`` becomes ``-``).
* :meth:`upsert_binding` writes a domain's DLZ binding fields as ``upsertDomainBinding`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from loom_tui.domain.clock import now_iso
from loom_tui.store.errors import Conflict, PreconditionFailed

from loom_tui.services.etag_edit import edit_with_etag

if TYPE_CHECKING:
    from loom_tui.store.scoped import ScopedStore

DEFAULT_DOMAIN_ID = "default"
CONTAINER = "tenant-settings"
VALID_CAPACITY_SKUS = ("F2", "F4", "F8", "F32", "F64", "F128", "F512")
DOMAIN_STATUSES = ("registered", "attaching", "active", "detached", "error")
DOMAIN_TAG_KEY = "loom-domain"
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)

# (id, name, description, icon, themeColor, parentId): the console's starterDomains()
STARTERS = (
    ("default", "Default", "Default domain — the fallback binding for workspaces until a Data Landing Zone is attached.", "building", "#0078d4", None),
    ("finance", "Finance", "Financial planning, reporting, and chargeback data products.", "money", "#107c10", None),
    ("sales-marketing", "Sales & Marketing", "Pipeline, campaign, and customer-360 data products.", "megaphone", "#e3008c", None),
    ("operations", "Operations", "Supply-chain, logistics, and operational telemetry.", "gear", "#5c2d91", None),
    ("people", "People & HR", "Workforce, recruiting, and people-analytics data products.", "people", "#bd7800", "operations"),
)


@dataclass(frozen=True)
class Domain:
    id: str
    name: str


def doc_id(tid: str) -> str:
    return f"domains:{tid}"


def domain_id_for(text: str) -> str:
    """The id the console makes from a domain id or name (``upsertDomainBinding``)."""
    return re.sub(r"[^a-z0-9-]", "-", (text or "").strip().lower())


def chargeback_tag(domain_id: str) -> str:
    return f"{DOMAIN_TAG_KEY}:{domain_id}"


def starter_domains(who: str) -> list[dict[str, Any]]:
    now = now_iso()
    out = []
    for id_, name, desc, icon, color, parent in STARTERS:
        item: dict[str, Any] = {"id": id_, "name": name, "description": desc, "icon": icon, "themeColor": color,
                                "status": "registered", "createdAt": now, "createdBy": who}
        if parent:
            item["parentId"] = parent
        out.append(item)
    return out


def items_of(doc: dict | None) -> list[dict[str, Any]]:
    """The domain items of a registry document: the console's ``items``, or the entries of loom's
    older ``domains`` list read as items (``displayName`` was the name, ``name`` the id)."""
    if not doc:
        return []
    items = doc.get("items")
    if isinstance(items, list):
        return [i for i in items if isinstance(i, dict) and isinstance(i.get("id"), str) and i["id"]]
    out = []
    for d in doc.get("domains") or []:
        if not isinstance(d, dict):
            continue
        id_ = str(d.get("id") or d.get("name") or "")
        if not id_:
            continue
        item = {k: v for k, v in d.items() if k != "displayName"}
        item["id"], item["name"] = id_, str(d.get("displayName") or d.get("name") or id_)
        item.setdefault("createdAt", now_iso())
        item.setdefault("createdBy", "loom")
        out.append(item)
    return out


def console_shape(doc: dict, tid: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """``doc`` in the console's shape with ``items`` (every field the console or loom does not know
    is kept; loom's old ``domains`` list goes: its entries are now the items)."""
    out = {k: v for k, v in doc.items() if k != "domains"}
    out.update({"id": doc_id(tid), "tenantId": tid, "kind": "domains", "items": items, "updatedAt": now_iso()})
    return out


class DomainRegistry:
    def __init__(self, scoped: "ScopedStore", who: str, *, writable: bool) -> None:
        self.scoped = scoped
        self.who = who
        self.writable = writable

    @property
    def tid(self) -> str:
        return self.scoped.tid

    async def read(self) -> dict | None:
        return await self.scoped.tenant_get(CONTAINER, doc_id(self.tid))

    async def load_or_seed(self) -> list[dict[str, Any]]:
        """The tenant's domain items; the starter set when there is no document (written when
        loom may write, as the console seeds on first read)."""
        doc = await self.read()
        if doc is not None:
            return items_of(doc)
        items = starter_domains(self.who)
        seed = {"id": doc_id(self.tid), "tenantId": self.tid, "kind": "domains", "items": items, "updatedAt": now_iso()}
        if not self.writable:
            return items
        try:
            await self.scoped.tenant_create(CONTAINER, seed)
        except Conflict:  # someone seeded it meanwhile: theirs counts
            return items_of(await self.read())
        return items

    async def domains(self) -> list[Domain]:
        return [Domain(i["id"], str(i.get("name") or i["id"])) for i in await self.load_or_seed()]

    async def names(self) -> dict[str, str]:
        """``{id: name}`` — what lists show for a workspace's ``domain``."""
        return {d.id: d.name for d in await self.domains()}

    @staticmethod
    def match(text: str, domains: list[Domain]) -> Domain | None:
        """The domain ``text`` names, by id or by name (case-insensitive)."""
        t = (text or "").strip().lower()
        if not t:
            return None
        for d in domains:
            if d.id.lower() == t:
                return d
        for d in domains:
            if d.name.lower() == t:
                return d
        return None

    async def resolve(self, text: str) -> Domain | None:
        return self.match(text, await self.domains())

    async def _change(self, change: Any) -> dict[str, Any]:
        """Apply ``change(items) -> item`` to the registry with an ETag check, seeding it first."""
        async def read() -> dict[str, Any] | None:
            await self.load_or_seed()
            return await self.read()

        async def write(doc: dict[str, Any] | None) -> dict[str, Any]:
            if doc is None:  # deleted between the seed and the read: seed and read again
                raise PreconditionFailed(CONTAINER, f"domains:{self.tid}")
            items = [dict(i) for i in items_of(doc)]
            result = change(items)
            await self.scoped.tenant_replace(CONTAINER, console_shape(doc, self.tid, items), if_match=doc.get("_etag"))
            return result

        return await edit_with_etag(read, write, attempts=5, gave_up="the tenant's domains kept changing; try again")

    async def add(self, name: str) -> Domain:
        """A new domain (status ``registered``), or the one that has this id or name already."""
        new_id = domain_id_for(name)

        def change(items: list[dict[str, Any]]) -> dict[str, Any]:
            for i in items:
                if i["id"] == new_id or str(i.get("name", "")).lower() == name.strip().lower():
                    return i
            item = {"id": new_id, "name": name.strip(), "status": "registered", "createdAt": now_iso(), "createdBy": self.who}
            items.append(item)
            return item

        item = await self._change(change)
        return Domain(item["id"], str(item.get("name") or item["id"]))

    async def upsert_binding(self, domain: str, *, subscription_ids: list[str] | None = None, dlz_rg: str | None = None,
                             location: str | None = None, capacity_sku: str | None = None, status: str | None = None,
                             name: str | None = None) -> dict[str, Any]:
        """The console's ``upsertDomainBinding``: create the domain when absent, merge the DLZ
        binding (subscriptions as a union), stamp ``chargebackTag`` and — without an explicit
        status — ``active`` once a subscription is bound.  Returns the domain item."""
        known = await self.resolve(domain)
        id_ = known.id if known else domain_id_for(domain)
        if not id_:
            raise ValueError("a domain id is required")
        subs = sorted({s.strip().lower() for s in subscription_ids or [] if _GUID.match(s.strip())}) or None

        def change(items: list[dict[str, Any]]) -> dict[str, Any]:
            now = now_iso()
            idx = next((n for n, i in enumerate(items) if i["id"] == id_), -1)
            old = items[idx] if idx >= 0 else {}
            merged = list(dict.fromkeys([*(old.get("subscriptionIds") or []), *(subs or [])])) or None
            new_status = status if status in DOMAIN_STATUSES else ("active" if merged else old.get("status") or "registered")
            item = {**old, "id": id_, "name": str(name or old.get("name") or id_).strip(),
                    "status": new_status, "createdAt": old.get("createdAt") or now, "createdBy": old.get("createdBy") or self.who,
                    "updatedAt": now, "updatedBy": self.who,
                    "chargebackTag": old.get("chargebackTag") or chargeback_tag(id_)}
            if merged:
                item["subscriptionIds"] = merged
            if dlz_rg and dlz_rg.strip():
                item["dlzRg"] = dlz_rg.strip()
            if location and location.strip():
                item["location"] = location.strip()
            if capacity_sku in VALID_CAPACITY_SKUS:
                item["capacitySku"] = capacity_sku
            if idx >= 0:
                items[idx] = item
            else:
                items.append(item)
            return item

        return await self._change(change)
