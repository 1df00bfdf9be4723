"""The DNS stage when some links fail (network_stages.link_dns): ARM's refusals and a stage's own
failure are gathered into one StageFailed naming each, after the links that did succeed are
recorded; any other exception is a fault and propagates as itself."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from loom_tui.azure.errors import ArmError
from loom_tui.services.dlz.network_stages import link_dns
from loom_tui.services.dlz.runner import StageFailed

HUB = "/subscriptions/s/resourceGroups/hub"
SPOKE = "/subscriptions/s/resourceGroups/dlz/providers/Microsoft.Network/virtualNetworks/spoke"


class Runner:
    """What link_dns reads of the runner; the PUT of each zone's link answers from ``outcomes``."""

    def __init__(self, outcomes: dict[str, BaseException | None]) -> None:
        self.outcomes = outcomes
        self.plan = SimpleNamespace(dns_zones=list(outcomes), spoke_vnet_id=SPOKE, tenant_id="t", domain="sales",
                                    dns_zones_missing=[])
        self.hub_scope = HUB
        self.dns_links: list[dict[str, str]] = []
        self.clients = self

    async def pages(self, url: str, api: str) -> Any:
        if url.endswith("/privateDnsZones"):
            for zone in self.outcomes:
                yield {"name": zone, "id": f"{HUB}/providers/Microsoft.Network/privateDnsZones/{zone}"}

    async def _api(self, rtype: str) -> str:
        return "2024-06-01"

    async def emit(self, event: Any) -> None:
        return None

    async def _put_and_wait(self, url: str, api: str, body: dict[str, Any]) -> dict[str, Any]:
        failure = self.outcomes[url.split("/privateDnsZones/")[1].split("/")[0]]
        if failure is not None:
            raise failure
        return {"name": url.rsplit("/", 1)[1], "properties": {"virtualNetwork": {"id": SPOKE}, "provisioningState": "Succeeded"}}


async def test_refusals_and_stage_failures_are_named_together_after_the_links_that_worked() -> None:
    runner = Runner({"a.zone": ArmError(403, "AuthorizationFailed", "no write on a.zone"),
                     "b.zone": StageFailed("dns", "b.zone never settled"),
                     "c.zone": None})
    with pytest.raises(StageFailed) as failed:
        await link_dns(runner)
    assert failed.value.stage == "dns"
    assert failed.value.message.splitlines() == ["AuthorizationFailed: no write on a.zone", "b.zone never settled"]
    assert runner.dns_links == [{"zone": "c.zone", "state": "Succeeded", "link": "link-sales", "adopted": "no"}]


async def test_any_other_exception_propagates_as_itself() -> None:
    runner = Runner({"a.zone": ArmError(403, "AuthorizationFailed", "no write on a.zone"),
                     "b.zone": KeyError("a bug, not Azure's answer")})
    with pytest.raises(KeyError):
        await link_dns(runner)
