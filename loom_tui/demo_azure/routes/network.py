"""Microsoft.Network: virtual networks (with their peerings, PUT too) and private DNS zones (with
their virtual network links, PUT too).

A peering is ``Initiated`` until the remote VNet has the peering back, then ``Connected`` on both
sides; peering VNets whose address spaces overlap is refused, as Azure does.  A VNet can be linked
to a zone once."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..estate import dns_link, stable_uuid
from ..responses import arm_error
from ..router import ArmRequest, Router
from ._arm import accept, item_pattern, not_found, register_type, resource_id, with_transient

if TYPE_CHECKING:
    from ..state import State

VNETS = "Microsoft.Network/virtualNetworks"
PEERINGS = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
ZONES = "Microsoft.Network/privateDnsZones"
LINKS = "Microsoft.Network/privateDnsZones/virtualNetworkLinks"


def register(router: Router, state: "State") -> None:
    def vnet_view(body: dict[str, Any], st: "State") -> dict[str, Any]:
        out = dict(body)
        out["properties"] = {**body["properties"], "virtualNetworkPeerings": st.list(parent=body["id"], type=PEERINGS)}
        return out

    def zone_view(body: dict[str, Any], st: "State") -> dict[str, Any]:
        links = st.list(parent=body["id"], type=LINKS)
        out = dict(body)
        out["properties"] = {**body["properties"], "numberOfVirtualNetworkLinks": len(links),
                             "numberOfVirtualNetworkLinksWithRegistration": sum(1 for l in links if l["properties"].get("registrationEnabled"))}
        return out

    register_type(router, state, "network.vnets", VNETS, shape=vnet_view)
    register_type(router, state, "network.peerings", PEERINGS)
    register_type(router, state, "network.dns_zones", ZONES, shape=zone_view)
    register_type(router, state, "network.dns_links", LINKS)

    async def peering_put(req: ArmRequest) -> web.Response:
        rid = resource_id(req)
        vnet_id = resource_id(req, drop_last=2)
        vnet = state.get(vnet_id)
        if vnet is None:
            return not_found(vnet_id)
        props = (req.body or {}).get("properties") if isinstance(req.body, dict) else None
        remote_id = ((props or {}).get("remoteVirtualNetwork") or {}).get("id")
        if not isinstance(remote_id, str) or not remote_id:
            return arm_error(400, "InvalidRequestFormat", "Cannot parse the request: properties.remoteVirtualNetwork.id is required.")
        remote = state.get(remote_id)
        if remote is None:
            return arm_error(400, "InvalidResourceReference",
                             f"Resource {remote_id} referenced by resource {rid} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.")
        overlap = _overlap(vnet["properties"]["addressSpace"]["addressPrefixes"], remote["properties"]["addressSpace"]["addressPrefixes"])
        if overlap:
            return arm_error(400, "VnetAddressSpacesOverlap",
                             f"Cannot create or update peering {rid}. Virtual networks {vnet_id} and {remote_id} cannot be peered "
                             f"because their address spaces overlap. Overlapping address prefixes: {', '.join(overlap)}")
        old = state.get(rid)
        back = [p for p in state.list(parent=remote_id, type=PEERINGS)
                if p["properties"]["remoteVirtualNetwork"]["id"].lower() == vnet_id.lower()]
        name = rid.rstrip("/").split("/")[-1]
        space = remote["properties"]["addressSpace"]
        new = {"id": f"{vnet['id']}/virtualNetworkPeerings/{name}", "name": name, "type": PEERINGS,
               "etag": f'W/"{stable_uuid(rid, "etag", str(state.clock()))}"',
               "properties": {"allowVirtualNetworkAccess": bool(props.get("allowVirtualNetworkAccess", True)),
                              "allowForwardedTraffic": bool(props.get("allowForwardedTraffic", False)),
                              "allowGatewayTransit": bool(props.get("allowGatewayTransit", False)),
                              "useRemoteGateways": bool(props.get("useRemoteGateways", False)),
                              "remoteVirtualNetwork": {"id": remote["id"]}, "remoteAddressSpace": dict(space),
                              "remoteVirtualNetworkAddressSpace": dict(space),
                              "remoteBgpCommunities": {"virtualNetworkCommunity": "12076:20002", "regionalCommunity": "12076:50004"},
                              "peeringState": "Connected" if back else "Initiated", "peeringSyncLevel": "FullyInSync",
                              "provisioningState": "Succeeded", "resourceGuid": stable_uuid(rid)}}
        transient = {"properties": {"provisioningState": "Updating"}}
        resp = accept(req, state, "network.peerings.put", rid, vnet, transient=transient,
                      final={"properties": {"provisioningState": "Succeeded"}}, result="resource",
                      status=200 if old else 201, answer=with_transient(new, transient))
        if resp.status < 300:
            state.put(new)
            for p in back:
                state.patch(p["id"], {"properties": {"peeringState": "Connected"}})
        return resp

    async def link_put(req: ArmRequest) -> web.Response:
        rid = resource_id(req)
        zone_id = resource_id(req, drop_last=2)
        zone = state.get(zone_id)
        if zone is None:
            return not_found(zone_id)
        body = req.body if isinstance(req.body, dict) else {}
        props = body.get("properties") or {}
        vnet_id = (props.get("virtualNetwork") or {}).get("id")
        if not isinstance(vnet_id, str) or not vnet_id:
            return arm_error(400, "BadRequest", "properties.virtualNetwork.id is required.")
        if state.get(vnet_id) is None:
            return arm_error(400, "BadRequest", f"The virtual network '{vnet_id}' was not found.")
        name = rid.rstrip("/").split("/")[-1]
        for link in state.list(parent=zone_id, type=LINKS):
            if link["name"].lower() != name.lower() and link["properties"]["virtualNetwork"]["id"].lower() == vnet_id.lower():
                return arm_error(409, "Conflict", f"A virtual network cannot be linked to the same zone more than once. "
                                                  f"'{vnet_id}' is already linked to '{zone['name']}' by '{link['name']}'.")
        new = dns_link(zone, name, vnet_id, body.get("tags") or {})
        new["properties"]["registrationEnabled"] = bool(props.get("registrationEnabled", False))
        if props.get("resolutionPolicy"):
            new["properties"]["resolutionPolicy"] = props["resolutionPolicy"]
        resp = accept(req, state, "network.dns_links.put", rid, zone,
                      transient={"properties": {"provisioningState": "Updating", "virtualNetworkLinkState": "InProgress"}},
                      final={"properties": {"provisioningState": "Succeeded", "virtualNetworkLinkState": "Completed"}},
                      result="resource", status=202)
        if resp.status < 300:
            state.put(new)
        return resp

    router.add("network.peerings.put", "PUT", item_pattern(PEERINGS), peering_put)
    router.add("network.dns_links.put", "PUT", item_pattern(LINKS), link_put)


def _overlap(a: list[str], b: list[str]) -> list[str]:
    out = []
    for x in a:
        for y in b:
            try:
                if ipaddress.ip_network(x, strict=False).overlaps(ipaddress.ip_network(y, strict=False)):
                    out.append(f"{x} and {y}")
            except ValueError:
                continue
    return out
