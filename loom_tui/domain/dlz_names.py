"""A DLZ's domain name and the Azure names derived from it.

The platform's landing-zone module computes the same names with the same functions (``format``,
``replace``, ``take``, ``uniqueString``), so what the wizard shows as the operator types is what
Azure creates.  The globally unique storage account name carries ``uniqueString`` of the
resource group's id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .arm_hash import unique_string

DOMAIN_RE = re.compile(r"^[a-z0-9-]{3,24}$")
STORAGE_RE = re.compile(r"^[a-z0-9]{3,24}$")
KEYVAULT_RE = re.compile(r"^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")
CAPACITY_RE = re.compile(r"^[a-z][a-z0-9]{2,62}$")


def normalise_domain(text: str) -> str:
    """What the domain field keeps while typing: lower case, only ``[a-z0-9-]``."""
    return "".join(ch for ch in (text or "").lower() if ch in "abcdefghijklmnopqrstuvwxyz0123456789-")


def domain_problem(domain: str, taken: set[str] | frozenset[str] = frozenset()) -> str | None:
    """Why ``domain`` cannot name a new DLZ, or None."""
    if not domain:
        return "a domain name is required"
    if not DOMAIN_RE.match(domain):
        if len(domain) < 3 or len(domain) > 24:
            return f"is {len(domain)} characters long; 3 to 24 are allowed"
        return "only lower-case letters, digits and '-' are allowed"
    if domain.startswith("-") or domain.endswith("-"):
        return "must not start or end with '-'"
    if "--" in domain:
        return "must not contain '--'"
    if domain in taken:
        return f"a DLZ for domain {domain!r} already exists"
    return None


@dataclass(frozen=True)
class DlzNames:
    resource_group: str
    vnet: str
    storage_account: str
    deployment: str
    nsg: str = ""


def derive_names(domain: str, region: str, subscription_id: str) -> DlzNames:
    """The names the platform's landing-zone module gives (network.bicep, storage.bicep): the
    storage account is ``take('saloom<domain without ->' + uniqueString(resourceGroup().id), 24)``."""
    rg = f"rg-csa-loom-dlz-{domain}-{region}"
    u = unique_string(f"/subscriptions/{subscription_id}/resourceGroups/{rg}")
    return DlzNames(
        resource_group=rg,
        vnet=f"vnet-csa-loom-dlz-{domain}-{region}",
        storage_account=("saloom" + domain.replace("-", "") + u)[:24],
        deployment=f"loom-dlz-{domain}-{region}"[:64],
        nsg=f"nsg-databricks-{domain}-{region}",
    )


def names_problems(names: DlzNames) -> list[str]:
    """Azure's naming rules, checked on the derived names (a guard: derive_names keeps them)."""
    out = []
    if not STORAGE_RE.match(names.storage_account):
        out.append(f"storage account {names.storage_account!r} breaks Azure's rule (3-24 lower-case letters and digits)")
    if len(names.resource_group) > 90:
        out.append(f"resource group {names.resource_group!r} is longer than 90 characters")
    return out
