"""A DLZ's domain name and the Azure names derived from it.

The template computes the same names with the same functions (``concat``, ``replace``, ``take``,
``uniqueString``), so what the wizard shows as the operator types is what Azure creates.
Globally unique names (storage account, Key Vault) carry 13 characters of
``uniqueString(subscriptionId, domain)``.
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
    key_vault: str
    capacity: str
    deployment: str


def derive_names(domain: str, region: str, subscription_id: str) -> DlzNames:
    compact = domain.replace("-", "")
    u = unique_string(subscription_id, domain)
    return DlzNames(
        resource_group=f"rg-csa-loom-dlz-{domain}-{region}",
        vnet=f"vnet-csa-loom-dlz-{domain}-{region}",
        storage_account=("st" + compact[:9] + u)[:24],
        key_vault=("kv" + compact[:9] + u)[:24],
        capacity=("fcdlz" + compact + region)[:63],
        deployment=f"loom-dlz-{domain}-{region}"[:64],
    )


def names_problems(names: DlzNames) -> list[str]:
    """Azure's naming rules, checked on the derived names (a guard: derive_names keeps them)."""
    out = []
    if not STORAGE_RE.match(names.storage_account):
        out.append(f"storage account {names.storage_account!r} breaks Azure's rule (3-24 lower-case letters and digits)")
    if not KEYVAULT_RE.match(names.key_vault):
        out.append(f"Key Vault {names.key_vault!r} breaks Azure's rule (3-24 letters, digits, '-')")
    if not CAPACITY_RE.match(names.capacity):
        out.append(f"Fabric capacity {names.capacity!r} breaks Azure's rule (3-63 lower-case letters and digits)")
    if len(names.resource_group) > 90:
        out.append(f"resource group {names.resource_group!r} is longer than 90 characters")
    return out
