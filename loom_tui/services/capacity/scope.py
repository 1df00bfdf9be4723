"""Which resource groups the Capacity area scans, in which subscriptions, and why each one.

Sources, in order: the profile's Admin Plane RG and DLZ RGs, the landing zones recorded in the
store (the DLZ wizard adds them), and every resource group of the profile's subscriptions that
follows the naming convention ``rg-csa-loom-*`` or carries a Loom tag.  A named group is looked
for in every subscription of the profile (the profile names groups, not where they live).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loom_tui.domain.capacity import LOOM_RG, dlz_of

LOOM_TAGS = ("CSA_Loom", "loomDomain", "loom-domain", "loomTenantId")


@dataclass(frozen=True)
class StoredDlz:
    """A landing zone recorded in the store: its name (domain) and resource group."""

    name: str
    resource_group: str
    subscription_id: str | None = None


@dataclass(frozen=True)
class ScanTarget:
    subscription_id: str
    resource_group: str
    dlz: str  # the landing zone, ADMIN_PLANE, or "" when unknown
    why: str  # "profile admin_plane_rg", "profile dlz_rgs", "recorded DLZ", "name rg-csa-loom-*", "tag CSA_Loom"


@dataclass
class Scope:
    admin_rg: str | None
    named: dict[str, str] = field(default_factory=dict)  # rg lower -> why it is named
    known_dlz: dict[str, str] = field(default_factory=dict)  # rg lower -> DLZ name
    pinned: dict[str, str] = field(default_factory=dict)  # rg lower -> subscription (recorded DLZs that say where)

    @classmethod
    def build(cls, admin_rg: str | None, dlz_rgs: list[str], stored: list[StoredDlz]) -> "Scope":
        s = cls(admin_rg=admin_rg)
        if admin_rg:
            s.named[admin_rg.lower()] = "profile admin_plane_rg"
        for rg in dlz_rgs:
            s.named.setdefault(rg.lower(), "profile dlz_rgs")
        for d in stored:
            key = d.resource_group.lower()
            s.named.setdefault(key, "recorded DLZ")
            s.known_dlz[key] = d.name
            if d.subscription_id:
                s.pinned[key] = d.subscription_id.lower()
        return s

    def select(self, subscription_id: str, groups: list[tuple[str, dict[str, str]]]) -> list[ScanTarget]:
        """The groups of one subscription to scan, from its listing ``[(name, tags)]``."""
        out: list[ScanTarget] = []
        for name, tags in groups:
            key = name.lower()
            if key in self.pinned and self.pinned[key] != subscription_id.lower():
                continue
            why = self.named.get(key)
            if why is None and LOOM_RG.match(name):
                why = "name rg-csa-loom-*"
            if why is None:
                tag = next((t for t in LOOM_TAGS if (tags or {}).get(t)), None)
                why = f"tag {tag}" if tag else None
            if why is not None:
                out.append(ScanTarget(subscription_id, name, self.dlz(name, tags), why))
        return out

    def fallback(self, subscription_id: str) -> list[ScanTarget]:
        """When a subscription's group listing is refused: the named groups, tried directly (a
        role on the group alone still lets them be read)."""
        return [ScanTarget(subscription_id, rg, self.dlz(rg), why) for rg, why in self.named.items()
                if self.pinned.get(rg, subscription_id.lower()) == subscription_id.lower()]

    def missing(self, found: list[ScanTarget]) -> list[str]:
        """Named groups found in no subscription."""
        seen = {t.resource_group.lower() for t in found}
        return sorted(rg for rg in self.named if rg not in seen)

    def dlz(self, rg: str, tags: dict[str, str] | None = None) -> str:
        return dlz_of(rg, tags, admin_rg=self.admin_rg, known=self.known_dlz)
