"""The answers of the DLZ wizard and the plan built from them (pure data)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

MODES = ("single-sub", "multi-sub")
ANSWER_KEYS = ("boundary", "mode", "subscription_id", "region", "domain", "capacity_sku", "address_space", "template")


@dataclass
class DlzAnswers:
    """What the operator chose; the keys are the answers file's keys (step names)."""

    boundary: str = ""
    mode: str = ""
    subscription_id: str = ""
    region: str = ""
    domain: str = ""
    capacity_sku: str = ""
    address_space: str = ""
    template: str = ""  # "" (the Admin Plane's template spec, else the shipped one), "shipped", a file, a template spec version id
    parameters: dict[str, Any] = field(default_factory=dict)  # the template parameters the operator gave (asked ones)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "DlzAnswers":
        known = {f.name for f in fields(cls)} - {"parameters"}
        params = (d or {}).get("parameters")
        return cls(**{k: ("" if v is None else str(v)) for k, v in (d or {}).items() if k in known},
                   parameters=dict(params) if isinstance(params, dict) else {})


@dataclass(frozen=True)
class Problem:
    """Why a step or an answer is not acceptable: the answer's key and one sentence."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True)
class PlannedSubnet:
    name: str
    cidr: str
    purpose: str


@dataclass(frozen=True)
class DlzPlan:
    """Every parameter of one DLZ deployment, and every name it creates."""

    tenant_id: str
    boundary: str
    boundary_label: str
    cloud: str
    mode: str
    subscription_id: str
    region: str
    domain: str
    capacity_sku: str
    address_space: str
    resource_group: str
    vnet: str
    storage_account: str
    key_vault: str  # "" now: the platform's DLZ has no Key Vault (kept to read older records)
    capacity: str  # "" now: no Fabric capacity in the DLZ (capacity_sku is a recorded sizing)
    deployment_name: str
    container_platform: str
    subnets: tuple[PlannedSubnet, ...]
    tags: dict[str, str]
    capacity_admins: tuple[str, ...]
    hub_vnet_id: str
    hub_address_space: str
    dns_zones: tuple[str, ...]
    dns_zones_missing: tuple[str, ...] = ()  # services whose zone name this cloud does not publish
    storage_containers: tuple[str, ...] = ("bronze", "silver", "gold", "landing", "checkpoints", "csv-imports", "org-visuals",
                                           "uat-results", "ops-state")
    extra: dict[str, Any] = field(default_factory=dict)
    template: dict[str, str] = field(default_factory=dict)  # {kind: spec|file|shipped, ref, sha256, scope, roleAssignments}
    parameters: dict[str, Any] = field(default_factory=dict)  # every template parameter loom passes, by name
    parameter_sources: dict[str, str] = field(default_factory=dict)  # name -> where the value came from
    resource_group_exists: bool = False

    @property
    def spoke_vnet_id(self) -> str:
        return (f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"
                f"/providers/Microsoft.Network/virtualNetworks/{self.vnet}")

    def template_parameters(self) -> dict[str, Any]:
        """The ``parameters`` object of the deployment (the parameter file's inner object)."""
        return {k: {"value": v} for k, v in self.parameters.items()}

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["subnets"] = [asdict(s) for s in self.subnets]
        d["spoke_vnet_id"] = self.spoke_vnet_id
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "DlzPlan":
        """The plan as recorded (``to_dict``), so an interrupted deployment resumes with it."""
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in d.items() if k in known}
        kw["subnets"] = tuple(PlannedSubnet(**s) for s in d.get("subnets") or ())
        for k in ("capacity_admins", "dns_zones", "dns_zones_missing", "storage_containers"):
            if k in kw:
                kw[k] = tuple(kw[k])
        return cls(**kw)
