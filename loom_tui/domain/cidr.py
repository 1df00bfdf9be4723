"""Address spaces of the hub and the spokes: parsing, overlap, the next free /16, the subnet plan.

All IPv4.  A spoke is a /16 to a /20 starting at ``a.b.0.0`` (the platform's subnet layout); the hub is the Admin Plane's VNet (10.0.0.0/16 in every
boundary).  The allocator proposes the lowest ``10.N.0.0/16`` (N ≥ 1) that overlaps none of the
address spaces read live from the hub and every existing spoke.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Iterable

MIN_PREFIX = 16  # largest spoke
MAX_PREFIX = 20  # smallest spoke: the platform's subnets reach a.b.11.31


class CidrError(ValueError):
    """The text is not a usable spoke address space; the message says why."""


@dataclass(frozen=True)
class Taken:
    """An address space already in use, with the name of what uses it (for the message)."""

    name: str
    cidr: str


def parse_cidr(text: str) -> ipaddress.IPv4Network:
    """Syntax only: ``a.b.c.d/n``, IPv4, no host bits set."""
    raw = (text or "").strip()
    if "/" not in raw:
        raise CidrError(f"{raw or '(empty)'} is not a CIDR: write it as a.b.c.d/n, e.g. 10.1.0.0/16")
    try:
        net = ipaddress.ip_network(raw, strict=False)
    except ValueError:
        raise CidrError(f"{raw} is not a CIDR: write it as a.b.c.d/n, e.g. 10.1.0.0/16") from None
    if not isinstance(net, ipaddress.IPv4Network):
        raise CidrError(f"{raw} is IPv6; the spoke needs an IPv4 address space")
    if str(net) != raw:
        exact = ipaddress.ip_network(raw, strict=False)
        raise CidrError(f"{raw} has host bits set; the network is {exact}")
    return net


def check_size(net: ipaddress.IPv4Network) -> None:
    if not MIN_PREFIX <= net.prefixlen <= MAX_PREFIX:
        raise CidrError(f"{net} is a /{net.prefixlen}; a spoke must be between /{MIN_PREFIX} and /{MAX_PREFIX} "
                        "(the platform's network.bicep lays its subnets out from a.b.0.0 to a.b.11.31)")
    a, b, c, d = str(net.network_address).split(".")
    if c != "0" or d != "0":
        raise CidrError(f"{net} does not start at {a}.{b}.0.0: the platform's network.bicep places the subnets at "
                        f"{a}.{b}.0.0/22 onwards, outside this space")


def overlapping(net: ipaddress.IPv4Network, taken: Iterable[Taken]) -> list[Taken]:
    """Every taken address space ``net`` overlaps (unparseable ones are skipped: they take nothing)."""
    out = []
    for t in taken:
        try:
            other = ipaddress.ip_network(t.cidr, strict=False)
        except ValueError:
            continue
        if isinstance(other, ipaddress.IPv4Network) and net.overlaps(other):
            out.append(t)
    return out


def check_spoke(text: str, taken: Iterable[Taken]) -> ipaddress.IPv4Network:
    """Syntax, size and overlap: the network, or CidrError naming each clash."""
    net = parse_cidr(text)
    check_size(net)
    clashes = overlapping(net, taken)
    if clashes:
        names = ", ".join(f"{t.name} ({t.cidr})" for t in clashes)
        raise CidrError(f"{net} overlaps {names}")
    return net


def next_free(taken: Iterable[Taken]) -> ipaddress.IPv4Network | None:
    """The lowest free ``10.N.0.0/16`` for N in 1..255, or None when all are used."""
    taken = list(taken)
    for n in range(1, 256):
        cand = ipaddress.IPv4Network(f"10.{n}.0.0/16")
        if not overlapping(cand, taken):
            return cand
    return None


@dataclass(frozen=True)
class Subnet:
    name: str
    cidr: str
    purpose: str


# the platform's network.bicep: (name, purpose, offset from a.b.0.0 as "c.d/prefix")
_PLAN = (
    ("snet-databricks-public", "Databricks host (public), delegated, NSG", "0.0/22"),
    ("snet-databricks-private", "Databricks container (private), delegated, NSG", "4.0/22"),
    ("snet-private-endpoints", "private endpoints (network policies off)", "8.0/24"),
    ("snet-synapse", "Synapse", "9.0/24"),
    ("snet-workloads", "workloads", "10.0/24"),
    ("snet-pbi-vnet-gateway", "Power BI VNet gateway, delegated", "11.0/27"),
)


def subnet_plan(space: ipaddress.IPv4Network) -> list[Subnet]:
    """The spoke's subnets as the platform's network.bicep lays them out: from the first two
    octets of the space (``a.b.0.0/22``, ``a.b.4.0/22``, ``a.b.8.0/24`` … ``a.b.11.0/27``)."""
    a, b = str(space.network_address).split(".")[:2]
    return [Subnet(name, f"{a}.{b}.{off}", purpose) for name, purpose, off in _PLAN]
