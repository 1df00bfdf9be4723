"""Whether an Azure cost details file is actual or amortized cost, and how that was told.

The header of an EA or MCA cost details file is the same for both datasets.  In order:

1. ``--type`` given by the operator;
2. the export's ``manifest.json`` (``exportConfig.type``: ``ActualCost`` or ``AmortizedCost``);
3. the rows themselves, as Cost Management builds the two datasets:
   - *amortized*: unused-commitment rows (``ChargeType`` ``UnusedReservation`` or
     ``UnusedSavingsPlan``), or usage covered by a reservation or savings plan that carries cost
     (the purchase spread over the term);
   - *actual*: a reservation or savings-plan purchase that carries cost (amortized data moves
     that cost onto the usage instead);
4. the file name (``...amortized...``);
5. nothing tells: actual, and the import says so.

FOCUS files carry both costs on every row (``BilledCost``, ``EffectiveCost``): none of this applies.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .errors import CostFileError
from .formats import AZURE, FOCUS, Layout
from .runs import Manifest
from .sqlexpr import positional

COMMITMENTS = "('reservation', 'savingsplan')"


def settle_kind(con: Any, layout: Layout, rel: str, *, path: str, forced: str | None, manifest: Manifest | None,
                file_name: str) -> tuple[Layout, str]:
    """The layout with its kind decided, and the basis to tell the operator."""
    if manifest is not None:
        _check_family(layout, manifest, path)
    if layout.family == FOCUS:
        return layout, "FOCUS: actual and amortized on every row"
    if forced:
        if manifest is not None and manifest.kind != forced:
            raise CostFileError(path, f"--type {forced}, but its manifest {manifest.path} says {manifest.dataset}", line=1)
        return _with_kind(layout, forced), "--type"
    if manifest is not None:
        return _with_kind(layout, manifest.kind or "actual"), f"manifest.json ({manifest.dataset})"
    told = _by_content(con, layout, rel)
    if told is not None:
        return _with_kind(layout, told[0]), f"content: {told[1]}"
    if "amortized" in file_name.lower():
        return _with_kind(layout, "amortized"), "file name"
    return _with_kind(layout, "actual"), "nothing in the file tells: counted as actual (--type amortized if it is not)"


def _check_family(layout: Layout, manifest: Manifest, path: str) -> None:
    focus = manifest.kind is None
    if focus != (layout.family == FOCUS):
        has = "FOCUS" if layout.family == FOCUS else "Azure cost details"
        raise CostFileError(path, f"has {has} columns, but its manifest {manifest.path} says {manifest.dataset}", line=1)


def _with_kind(layout: Layout, kind: str) -> Layout:
    base = layout.label.rsplit(" ", 1)[0] if layout.label.endswith((" actual", " amortized")) else layout.label
    return replace(layout, kind=kind, label=f"{base} {kind}")


def _by_content(con: Any, layout: Layout, rel: str) -> tuple[str, str] | None:
    if layout.family != AZURE:
        return None
    pos = positional(layout)
    ct = pos.get("charge_category")
    lower = [c.lower() for c in layout.columns]
    if ct is None or "pricingmodel" not in lower:
        return None
    pm, cost = f"c{lower.index('pricingmodel')}", pos["cost"]
    try:
        found = con.execute(
            f"SELECT coalesce(bool_or(lower({ct}) IN ('unusedreservation', 'unusedsavingsplan')), false), "
            f"coalesce(bool_or(lower({ct}) = 'usage' AND lower({pm}) IN {COMMITMENTS} AND {cost} <> 0), false), "
            f"coalesce(bool_or(lower({ct}) = 'purchase' AND lower({pm}) IN {COMMITMENTS} AND {cost} <> 0), false) "
            f"FROM {rel}").fetchone()
    except Exception:  # noqa: BLE001 - a bad cell: the import itself names its line and column
        return None
    unused, usage, purchase = found
    if unused:
        return "amortized", "unused reservation or savings-plan rows"
    if usage:
        return "amortized", "usage covered by a reservation or savings plan carries cost"
    if purchase:
        return "actual", "a reservation or savings-plan purchase carries cost"
    return None
