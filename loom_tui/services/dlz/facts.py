"""What the wizard needs to know about the estate, read live (or given by a test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from loom_tui.domain.cidr import Taken


@dataclass(frozen=True)
class NetworkRow:
    """A virtual network of the estate (the hub or a spoke)."""

    name: str
    id: str
    subscription_id: str
    resource_group: str
    address_space: tuple[str, ...]
    location: str = ""


@dataclass(frozen=True)
class SubscriptionRow:
    subscription_id: str
    display_name: str
    state: str = "Enabled"


@dataclass(frozen=True)
class ExistingDlz:
    domain: str
    subscription_id: str
    region: str = ""
    resource_group: str = ""
    address_space: str = ""
    state: str = "deployed"  # a DLZ loom recorded mid-deployment: "deploying" | "failed"
    source: str = "recorded"  # "recorded" (loom's record) or how it was found: "resource group", "tags", "virtual network"

    @property
    def reserves(self) -> bool:
        """A failed record reserves nothing (domain, subscription, address space): what its run
        left in Azure is read live and reserves what it holds."""
        return self.state != "failed"


@dataclass(frozen=True)
class RoleCheck:
    """One role the deployment needs at one scope, and whether the identity holds it."""

    role: str
    scope: str
    held: bool
    via: str = ""  # e.g. "Owner" when a broader role covers it


@dataclass(frozen=True)
class PermissionReport:
    principal_id: str
    principal_label: str
    subscription_id: str
    checks: tuple[RoleCheck, ...]
    fixes: tuple[str, ...] = ()  # one `az role assignment create ...` line per missing role
    portal_links: tuple[str, ...] = ()
    error: str = ""  # the check itself failed (ARM's text)

    @property
    def ok(self) -> bool:
        return not self.error and all(c.held for c in self.checks)

    @property
    def missing(self) -> list[RoleCheck]:
        return [c for c in self.checks if not c.held]


@dataclass
class DeployFacts:
    tenant_id: str
    profile_cloud: str
    storage_suffix: str = "core.windows.net"
    portal: str = "https://portal.azure.com"
    admin_subscription_id: str = ""
    admin_resource_group: str = ""
    hub: NetworkRow | None = None
    spokes: list[NetworkRow] = field(default_factory=list)
    subscriptions: list[SubscriptionRow] = field(default_factory=list)
    regions: dict[str, list[str]] = field(default_factory=dict)  # subscription id -> region names
    dlzs: list[ExistingDlz] = field(default_factory=list)
    found: list[ExistingDlz] = field(default_factory=list)  # every DLZ found in Azure (discovery), records aside
    draft_domains: set[str] = field(default_factory=set)  # domains of the OTHER drafts (anyone's in the tenant)
    draft_owners: dict[str, str] = field(default_factory=dict)  # domain -> "your" / "dana.steward@…'s"
    capacity_admins: list[str] = field(default_factory=list)
    permissions: PermissionReport | None = None
    problems: list[str] = field(default_factory=list)  # what could not be read (shown, never hidden)
    admin: Any = None  # admin_plane.AdminPlane: Log Analytics, console identity, ADX, hub zones, template specs
    groups: set[str] = field(default_factory=set)  # "<subscription>/<resource group>" (lower case) of every group seen

    def group_exists(self, subscription_id: str, resource_group: str) -> bool:
        return f"{subscription_id}/{resource_group}".lower() in self.groups

    def taken(self) -> list[Taken]:
        """Every address space in use: the hub, each spoke read live, each recorded DLZ."""
        out: list[Taken] = []
        if self.hub:
            out += [Taken(f"hub {self.hub.name}", c) for c in self.hub.address_space]
        for s in self.spokes:
            out += [Taken(f"spoke {s.name}", c) for c in s.address_space]
        seen = {t.cidr for t in out}
        out += [Taken(f"DLZ {d.domain}", d.address_space) for d in self.reserving() if d.address_space and d.address_space not in seen]
        return out

    def reserving(self) -> list[ExistingDlz]:
        """The DLZs that hold their domain, subscription and address space (not failed records)."""
        return [d for d in self.dlzs if d.reserves]

    def dlz_domains(self) -> set[str]:
        return {d.domain for d in self.reserving()}

    def others(self, domain: str, subscription_id: str, region: str) -> list[ExistingDlz]:
        """The reserving DLZs but the one these answers resume (its record, and what its earlier
        run left in Azure under the same domain)."""
        own = self.resuming(domain, subscription_id, region)
        return [d for d in self.reserving() if own is None or (d is not own and d.domain != own.domain)]

    def resuming(self, domain: str, subscription_id: str, region: str) -> ExistingDlz | None:
        """The DLZ with exactly these answers (domain, subscription, region) — recorded mid-
        deployment, deployed, or found in Azure: planning it again resumes or re-runs that
        deployment (idempotent: its own names and spoke are not a clash)."""
        for d in [*self.dlzs, *self.found]:
            if d.domain == domain and d.subscription_id.lower() == subscription_id.lower() and d.region == region:
                return d
        return None

    def taken_except(self, vnet_id_suffix: str, domain: str = "") -> list[Taken]:
        """``taken()`` without the spoke whose id ends with ``vnet_id_suffix`` (lower case)."""
        out = []
        if self.hub:
            out += [Taken(f"hub {self.hub.name}", c) for c in self.hub.address_space]
        for s in self.spokes:
            if vnet_id_suffix and s.id.lower().endswith(vnet_id_suffix):
                continue
            out += [Taken(f"spoke {s.name}", c) for c in s.address_space]
        seen = {t.cidr for t in out}
        out += [Taken(f"DLZ {d.domain}", d.address_space) for d in self.reserving()
                if d.address_space and d.address_space not in seen and d.domain != domain]
        return out

    def regions_of(self, subscription_id: str) -> list[str]:
        return self.regions.get(subscription_id, [])
