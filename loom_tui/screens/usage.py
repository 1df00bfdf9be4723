"""Usage metrics (from the document store only)."""

from __future__ import annotations

from .not_built import NotBuiltScreen


class UsageScreen(NotBuiltScreen):
    AREA = "Usage"
    WHAT = "Workspaces, items, item types and audit activity of the tenant, from the document store."
    MISSING = "the usage aggregates are not built yet."
