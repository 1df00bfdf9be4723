"""The Fabric capacity range F2 … F2048 (the web console offers only seven of the eleven)."""

from __future__ import annotations

from dataclasses import dataclass

RECOMMENDED = "F8"


@dataclass(frozen=True)
class FabricSku:
    name: str
    capacity_units: int

    @property
    def recommended(self) -> bool:
        return self.name == RECOMMENDED


FABRIC_SKUS: tuple[FabricSku, ...] = tuple(FabricSku(f"F{2 ** n}", 2 ** n) for n in range(1, 12))
SKU_NAMES = tuple(s.name for s in FABRIC_SKUS)


def find_sku(name: str) -> FabricSku | None:
    n = (name or "").strip().upper()
    return next((s for s in FABRIC_SKUS if s.name == n), None)
