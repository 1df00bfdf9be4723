"""Compliance boundaries a Data Landing Zone is deployed under, and what each one sets.

The table is the web console's per-boundary parameter files (commercial / gcc / gcc-high / il5
.bicepparam, see ``/work/shared/reference/web-console.md``).  The compliance tag *values* are our
reading of that table: Data_Classification Standard / CUI-low / CUI / CUI-SP, DISA_IL IL4 / IL5,
FedRAMP Moderate for the public-cloud boundaries and High for Government.

A sovereign or operator-registered cloud (China, USSec, USNat, a custom one) is offered as one
more boundary when it is the profile's own cloud: it has no published defaults, so the region has
to be chosen and the mode defaults to multi-sub.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# the clouds the four named boundaries deploy to
PUBLIC = "AzureCloud"
USGOV = "AzureUSGovernment"


@dataclass(frozen=True)
class Boundary:
    key: str  # what the answers file says: commercial | gcc | gcc-high | il5 | cloud:<name>
    label: str
    cloud: str  # the Azure cloud (environment) it deploys to
    default_location: str | None
    default_mode: str  # single-sub | multi-sub
    container_platform: str  # containerApps | aks
    compliance_tags: dict[str, str] = field(default_factory=dict)
    custom: bool = False


_BASE = {"Environment": "Production", "CSA_Loom": "true"}

BOUNDARIES: dict[str, Boundary] = {
    b.key: b
    for b in (
        Boundary("commercial", "Commercial (Azure public)", PUBLIC, "eastus2", "single-sub", "containerApps",
                 {**_BASE, "FedRAMP_Level": "Moderate", "Data_Classification": "Standard"}),
        Boundary("gcc", "GCC (M365 GCC over Azure public)", PUBLIC, "eastus", "single-sub", "containerApps",
                 {**_BASE, "FedRAMP_Level": "Moderate", "Data_Classification": "CUI-low", "M365_Boundary": "GCC"}),
        Boundary("gcc-high", "GCC-High / IL4 (Azure Government)", USGOV, "usgovvirginia", "multi-sub", "aks",
                 {**_BASE, "FedRAMP_Level": "High", "Data_Classification": "CUI", "M365_Boundary": "GCC-High", "DISA_IL": "IL4"}),
        Boundary("il5", "DoD IL5 (Azure Government)", USGOV, "usgovvirginia", "multi-sub", "aks",
                 {**_BASE, "FedRAMP_Level": "High", "Data_Classification": "CUI-SP", "M365_Boundary": "DoD", "DISA_IL": "IL5"}),
    )
}

# spellings accepted in an answers file
_ALIASES = {"commercial": "commercial", "gcc": "gcc", "gcc-high": "gcc-high", "gcchigh": "gcc-high", "il4": "gcc-high",
            "gcc-high/il4": "gcc-high", "il5": "il5", "dod-il5": "il5"}


def cloud_boundary(cloud: str) -> Boundary:
    """The profile's own sovereign or custom cloud as a boundary."""
    return Boundary(f"cloud:{cloud}", f"{cloud} (this profile's cloud)", cloud, None, "multi-sub", "aks",
                    {**_BASE, "Data_Classification": "Standard", "Cloud": cloud}, custom=True)


def boundaries_for(profile_cloud: str) -> list[Boundary]:
    """What the boundary step offers: the four named ones, plus the profile's cloud when it is
    neither public nor US Government."""
    out = list(BOUNDARIES.values())
    if profile_cloud not in (PUBLIC, USGOV):
        out.append(cloud_boundary(profile_cloud))
    return out


def find_boundary(key: str, profile_cloud: str) -> Boundary | None:
    k = (key or "").strip().lower()
    for b in boundaries_for(profile_cloud):
        if b.key.lower() == k:
            return b
    alias = _ALIASES.get(k.replace(" ", "").replace("_", "-"))
    return BOUNDARIES.get(alias) if alias else None
