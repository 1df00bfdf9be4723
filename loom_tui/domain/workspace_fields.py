"""What a workspace's capacity and domain may be (no I/O here; the service brings the tenant's domains).

**Capacity.** A real SKU or none.  The SKUs are the Fabric capacities F2 … F2048 (the wizard's
seven of ``csa-loom-facts.json`` are a subset; the whole range is ``fabric_skus``) and the Power BI
Premium capacities P1 … P5 (the GCC boundary's Power BI SKU is ``P1``, web-console.md §4).  Typed
case-insensitively, stored upper-case.  The web console stored free text too ("Premium P1",
"Shared (Pro)", "Trial"): such a value is kept when an edit leaves it unchanged, and refused when
typed new, naming the SKU it probably meant ("Premium P1" → P1).

**Domain.** One of the tenant's domains (the ``domains:<tid>`` registry, the console's shape),
named by id or name case-insensitively and stored as its **id** (the console's rule).  A new domain only by an explicit choice
(the form's "new domain" box, ``--new-domain``): then it must be a domain name as the DLZ
wizard's (``[a-z0-9-]``, 3–24).
"""

from __future__ import annotations

import re

from loom_tui.errors import ValidationError

from .dlz_names import domain_problem
from .fabric_skus import SKU_NAMES as FABRIC_SKU_NAMES

POWER_BI_SKUS = ("P1", "P2", "P3", "P4", "P5")
CAPACITY_SKUS: tuple[str, ...] = FABRIC_SKU_NAMES + POWER_BI_SKUS
_SKU_IN_TEXT = re.compile(r"\b([FP]\d{1,4})\b", re.IGNORECASE)


def capacity_hint() -> str:
    return f"a Fabric SKU {FABRIC_SKU_NAMES[0]} … {FABRIC_SKU_NAMES[-1]} or Power BI {POWER_BI_SKUS[0]} … {POWER_BI_SKUS[-1]}"


def check_capacity(value: str, stored: str | None = None) -> str:
    """The capacity to store ('' = none).  ``stored`` is the workspace's current value: an edit
    that leaves it as it is keeps it, whatever it is."""
    text = (value or "").strip()
    if not text:
        return ""
    if stored is not None and text == str(stored).strip():
        return text
    sku = text.upper()
    if sku in CAPACITY_SKUS:
        return sku
    meant = _SKU_IN_TEXT.search(text)
    if meant and meant.group(1).upper() in CAPACITY_SKUS and meant.group(1).upper() != sku:
        raise ValidationError("capacity", f"{text!r} is not a SKU: type {meant.group(1).upper()} (SKUs: {capacity_hint()}; empty = none)")
    raise ValidationError("capacity", f"{text!r} is not a capacity SKU: use {capacity_hint()}, or leave it empty for none")


def check_domain(value: str, known: list[tuple[str, str]] | tuple[tuple[str, str], ...], *, new: bool = False,
                 stored: str | None = None) -> tuple[str, bool]:
    """``(domain id to store, is it new to the tenant)``.  ``known``: the tenant's domains as
    ``(id, name)``; ``value`` names one by id or by name, case-insensitively.  ``stored``: the
    workspace's current domain, kept as it is when unchanged.  A new domain returns the typed name
    (the caller adds it and stores the id it gets)."""
    text = (value or "").strip()
    if not text:
        return "", False
    if stored is not None and text == str(stored).strip():
        return text, False
    low = text.lower()
    for id_, _ in known:
        if id_.lower() == low:
            return id_, False
    for id_, name in known:
        if str(name).lower() == low:
            return id_, False
    if not new:
        listed = ", ".join(sorted(str(n) for _, n in known)) if known else "none yet"
        raise ValidationError("domain", f"{text!r} is not one of this tenant's domains ({listed}); "
                                        "choose one, or start a new domain on purpose (the form's 'New domain' box, --new-domain)")
    problem = domain_problem(text)
    if problem:
        raise ValidationError("domain", f"{text!r} cannot be a new domain: {problem.removeprefix('a domain name ')}")
    return text, True
