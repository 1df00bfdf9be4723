"""The runner's network stages, as the platform names things: the hub-side peering
``peer-to-dlz-<domain>`` (hub-side-peering.bicep) and the spoke side ``peer-to-admin-hub``
(network.bicep: the template usually made it already); a private DNS link of the spoke to every
zone the hub's resource group holds.  A peering or a link that already joins the same two
networks — whatever its name — is adopted, never duplicated (ARM refuses a second link of a zone
to the same network with 409), so a run over a DLZ the platform built changes nothing."""

from __future__ import annotations

import asyncio
from typing import Any

from loom_tui.azure.errors import ArmError, arm_error_text

from .stage_events import StageEvent, StageFailed

# api-versions are picked per cloud (loom_tui/azure/api_versions.py) through the runner
PEERINGS = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
DNS_ZONES = "Microsoft.Network/privateDnsZones"
DNS_LINKS = "Microsoft.Network/privateDnsZones/virtualNetworkLinks"


def hub_peering_name(domain: str) -> str:
    return f"peer-to-dlz-{domain}"


SPOKE_PEERING = "peer-to-admin-hub"


async def _pointing_at(runner: Any, url: str, rtype: str, key: str, target_id: str) -> dict[str, Any] | None:
    """The first resource listed at ``url`` (peerings of a VNet, links of a zone) whose
    ``properties.<key>.id`` is ``target_id``, whatever its name."""
    async for r in runner.clients.pages(url, await runner._api(rtype)):
        rid = str(((r.get("properties") or {}).get(key) or {}).get("id") or "")
        if rid.lower() == target_id.lower():
            return r
    return None


async def peer(runner: Any) -> str:
    plan = runner.plan
    hub, spoke = plan.hub_vnet_id, plan.spoke_vnet_id
    if not hub:
        raise StageFailed("peering", "the hub network is not known; check the profile's admin_plane_rg")
    sides = {"hub-to-spoke": (hub, spoke, hub_peering_name(plan.domain)), "spoke-to-hub": (spoke, hub, SPOKE_PEERING)}
    urls: dict[str, str] = {}
    notes = []
    for key, (vnet, remote, name) in sides.items():  # in order: the second one makes both Connected
        have = await _pointing_at(runner, f"{vnet}/virtualNetworkPeerings", PEERINGS, "remoteVirtualNetwork", remote)
        if have is not None:
            urls[key] = str(have.get("id"))
            notes.append(f"{key}: adopted {have.get('name')}")
            await runner.emit(StageEvent("peering", "running", f"{key}: {have.get('name')} exists, adopted"))
            continue
        url = f"{vnet}/virtualNetworkPeerings/{name}"
        body = {"properties": {"remoteVirtualNetwork": {"id": remote}, "allowVirtualNetworkAccess": True,
                               "allowForwardedTraffic": True, "allowGatewayTransit": False, "useRemoteGateways": False}}
        await runner._put_and_wait(url, await runner._api(PEERINGS), body)
        urls[key] = url
        notes.append(f"{key}: created {name}")
        await runner.emit(StageEvent("peering", "running", f"{key} created ({name})", 0.5 if key == "hub-to-spoke" else 0.9))
    lines = []
    for key, url in urls.items():  # read both back
        got = await runner.clients.send("GET", url, await runner._api(PEERINGS))
        state = str(((got.body or {}).get("properties") or {}).get("peeringState") or "")
        runner.peering[key] = state
        lines.append(f"{key}: {state}")
    if any(v != "Connected" for v in runner.peering.values()):
        raise StageFailed("peering", "the peering is not Connected both ways: " + ", ".join(lines))
    return "Connected both ways (" + "; ".join(notes) + ")"


SETTLING = ("InProgress", "Updating", "Creating")


def _link_state(link: dict[str, Any]) -> str:
    props = link.get("properties") or {}
    return str(props.get("virtualNetworkLinkState") or props.get("provisioningState") or "")


async def _settled(runner: Any, url: str, got: dict[str, Any]) -> dict[str, Any]:
    """The link read until its state settles, with the one poller (the network deadline); the last
    answer, or ``got`` when none could be read — the caller reads its state either way."""
    from loom_tui.azure import lro

    target = lro.Target(lro.with_api_version(url, await runner._api(DNS_LINKS)), "resource", "network")
    final = await lro.poll(runner.clients, target, pace=runner.pace, interval=runner.poll_seconds,
                           judge=lambda body: ("InProgress", "") if _link_state(body) in SETTLING else ("Succeeded", ""))
    return final.body if isinstance(final.body, dict) else got


async def link_dns(runner: Any) -> str:
    plan = runner.plan
    if not runner.hub_scope:
        raise StageFailed("dns", "the hub resource group is not known")
    zones = {str(z.get("name")).lower(): str(z.get("id")) async for z in
             runner.clients.pages(f"{runner.hub_scope}/providers/Microsoft.Network/privateDnsZones", await runner._api(DNS_ZONES))}
    wanted = list(plan.dns_zones)
    missing = [z for z in wanted if z.lower() not in zones]
    done = 0

    def existing(zone_id: str) -> Any:
        return _pointing_at(runner, f"{zone_id}/virtualNetworkLinks", DNS_LINKS, "virtualNetwork", plan.spoke_vnet_id)

    async def one(zone: str) -> dict[str, str]:
        nonlocal done
        zone_id = zones[zone.lower()]
        got = await existing(zone_id)
        adopted = got is not None
        if got is None:
            body = {"location": "global", "tags": {"loomTenantId": plan.tenant_id, "loomDomain": plan.domain},
                    "properties": {"virtualNetwork": {"id": plan.spoke_vnet_id}, "registrationEnabled": False}}
            try:
                got = await runner._put_and_wait(f"{zone_id}/virtualNetworkLinks/link-{plan.domain}", await runner._api(DNS_LINKS), body)
            except ArmError as exc:  # a link made meanwhile under another name: ARM's 409; adopt it
                if getattr(exc, "status", None) != 409:
                    raise
                got = await existing(zone_id)
                if got is None:
                    raise
                adopted = True
        if _link_state(got) in SETTLING:  # a link still being made (an adopted one): follow it until it settles
            got = await _settled(runner, f"{zone_id}/virtualNetworkLinks/{got.get('name')}", got)
        props = got.get("properties") or {}
        done += 1
        await runner.emit(StageEvent("dns", "running", f"{done} of {len(wanted) - len(missing)} zones linked",
                                     done / max(len(wanted), 1)))
        linked_to = str((props.get("virtualNetwork") or {}).get("id") or "")
        ok = linked_to.lower() == plan.spoke_vnet_id.lower()
        state = str(props.get("virtualNetworkLinkState") or props.get("provisioningState") or "") if ok else f"linked to {linked_to or 'nothing'}"
        return {"zone": zone, "state": state, "link": str(got.get("name") or ""), "adopted": "yes" if adopted else "no"}

    results = await asyncio.gather(*(one(z) for z in wanted if z.lower() in zones), return_exceptions=True)
    runner.dns_links = [r for r in results if isinstance(r, dict)]
    errors: list[ArmError | StageFailed] = []
    for r in results:
        if isinstance(r, (ArmError, StageFailed)):
            errors.append(r)
        elif isinstance(r, BaseException):
            raise r
    bad = [d for d in runner.dns_links if d["state"] not in ("Completed", "Succeeded")]
    problems = [f"zone {z} is not in the hub resource group any more; retry" for z in missing]
    problems += [f"{d['zone']}: {d['state']}" for d in bad] + [arm_error_text(e) if isinstance(e, ArmError) else e.message for e in errors]
    if plan.dns_zones_missing:
        problems.append("this cloud does not publish the zone names of: " + ", ".join(plan.dns_zones_missing))
    if problems:
        raise StageFailed("dns", "\n".join(problems))
    adopted = sum(1 for d in runner.dns_links if d.get("adopted") == "yes")
    return f"{len(runner.dns_links)} zones linked to the spoke ({adopted} adopted, {len(runner.dns_links) - adopted} created)"
