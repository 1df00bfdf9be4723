"""What a deployed resource looks like in the demo estate (the body Azure returns after the PUT)
and what-if's view of a planned resource against what exists (``covers``: every property the
template sets has that value; read-only properties Azure adds are not a change, as in ARM)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from ..estate import stable_uuid

if TYPE_CHECKING:
    from ..state import State

PEERINGS = "microsoft.network/virtualnetworks/virtualnetworkpeerings"


def peering_body(state: "State", rid: str, props: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """A peering as ARM returns it: ``Connected`` when the remote VNet peers back, else
    ``Initiated``; and the remote side's peerings back (None when the remote network does not exist)."""
    remote_id = str(((props or {}).get("remoteVirtualNetwork") or {}).get("id") or "")
    remote = state.get(remote_id) if remote_id else None
    if remote is None:
        return None
    vnet_id = rid.rsplit("/virtualNetworkPeerings/", 1)[0]
    back = [p for p in state.list(parent=remote_id, type="Microsoft.Network/virtualNetworks/virtualNetworkPeerings")
            if p["properties"]["remoteVirtualNetwork"]["id"].lower() == vnet_id.lower()]
    space = remote["properties"]["addressSpace"]
    name = rid.rstrip("/").split("/")[-1]
    return {"id": rid, "name": name, "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
            "etag": f'W/"{stable_uuid(rid, "etag", str(state.clock()))}"',
            "properties": {"allowVirtualNetworkAccess": bool(props.get("allowVirtualNetworkAccess", True)),
                           "allowForwardedTraffic": bool(props.get("allowForwardedTraffic", False)),
                           "allowGatewayTransit": bool(props.get("allowGatewayTransit", False)),
                           "useRemoteGateways": bool(props.get("useRemoteGateways", False)),
                           "remoteVirtualNetwork": {"id": remote["id"]}, "remoteAddressSpace": dict(space),
                           "remoteVirtualNetworkAddressSpace": dict(space),
                           "remoteBgpCommunities": {"virtualNetworkCommunity": "12076:20002", "regionalCommunity": "12076:50004"},
                           "peeringState": "Connected" if back else "Initiated", "peeringSyncLevel": "FullyInSync",
                           "provisioningState": "Succeeded", "resourceGuid": stable_uuid(rid)}}, back


def connect_back(state: "State", back: list[dict[str, Any]]) -> None:
    for p in back:
        if p["properties"].get("peeringState") != "Connected":
            state.patch(p["id"], {"properties": {"peeringState": "Connected"}})


def materialise(p: dict[str, Any], existing: dict[str, Any] | None, state: "State | None" = None) -> dict[str, Any]:
    """The estate's resource body for a planned resource (merged over an existing one)."""
    body = p["body"]
    rtype, rid = p["type"], p["id"]
    name = p["name"].split("/")[-1]
    props = dict(body.get("properties") or {})
    props["provisioningState"] = "Succeeded"
    low = rtype.lower()
    if low == "microsoft.network/virtualnetworks":
        props["subnets"] = [{"name": s.get("name"), "id": f"{rid}/subnets/{s.get('name')}", "type": f"{rtype}/subnets",
                             "properties": {**(s.get("properties") or {}), "provisioningState": "Succeeded", "ipConfigurations": []}}
                            for s in props.get("subnets") or []]
        props.setdefault("virtualNetworkPeerings", [])
        props["resourceGuid"] = str(uuid.uuid5(uuid.NAMESPACE_URL, rid.lower()))
    elif low == "microsoft.storage/storageaccounts":
        props["primaryEndpoints"] = {svc: f"https://{name}.{svc}.core.windows.net/" for svc in ("blob", "dfs", "file", "queue", "table", "web")}
        props["primaryLocation"] = body.get("location")
        props["statusOfPrimary"] = "available"
    elif low == "microsoft.keyvault/vaults":
        props["vaultUri"] = f"https://{name}.vault.azure.net/"
    elif low == "microsoft.fabric/capacities":
        props["state"] = "Active"
    elif low == "microsoft.network/networksecuritygroups":
        props["securityRules"] = [{**r, "id": f"{rid}/securityRules/{r.get('name')}", "type": f"{rtype}/securityRules",
                                   "properties": {**(r.get("properties") or {}), "provisioningState": "Succeeded"}}
                                  for r in props.get("securityRules") or []]
    elif low == "microsoft.network/privateendpoints":
        props["privateLinkServiceConnections"] = [
            {**c, "id": f"{rid}/privateLinkServiceConnections/{c.get('name')}",
             "properties": {**(c.get("properties") or {}), "provisioningState": "Succeeded",
                            "privateLinkServiceConnectionState": {"status": "Approved", "description": "Auto-Approved", "actionsRequired": "None"}}}
            for c in props.get("privateLinkServiceConnections") or []]
        props["networkInterfaces"] = [{"id": rid.replace("/privateEndpoints/", "/networkInterfaces/") + f".nic.{stable_uuid(rid)}"}]
    elif low == "microsoft.eventgrid/systemtopics":
        props["metricResourceId"] = stable_uuid(rid, "metric")
    elif low == "microsoft.authorization/roleassignments":
        props.pop("provisioningState", None)
        props["scope"] = rid.rsplit("/providers/Microsoft.Authorization/roleAssignments/", 1)[0]
        props.setdefault("principalType", "User")
    elif low == PEERINGS and state is not None:
        got = peering_body(state, rid, props)
        if got is not None:
            new, back = got
            connect_back(state, back)
            props = new["properties"]
    out: dict[str, Any] = dict(existing or {})
    out.update({"id": rid, "name": name, "type": rtype, "properties": {**((existing or {}).get("properties") or {}), **props}})
    for k in ("location", "tags", "sku", "kind", "identity"):
        if k in body:
            out[k] = body[k]
    if low == "microsoft.resources/resourcegroups":
        out.setdefault("managedBy", None)
    return out


def covers(want: Any, have: Any) -> bool:
    """Does ``have`` (what exists) hold every value ``want`` (the template) sets?"""
    if want is None:
        return True
    if isinstance(want, dict):
        return isinstance(have, dict) and all(covers(v, _get(have, k)) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(have, list) and len(want) == len(have) and all(covers(w, h) for w, h in zip(want, have))
    if isinstance(want, str) and isinstance(have, str) and want.startswith("/subscriptions/"):
        return want.lower() == have.lower()
    return want == have


def _get(d: dict[str, Any], key: str) -> Any:
    if key in d:
        return d[key]
    return next((v for k, v in d.items() if k.lower() == key.lower()), None)


def what_if_change(p: Any, existing: dict[str, Any] | None) -> dict[str, Any]:
    after = {"id": p.id, "name": p.name.split("/")[-1], "type": p.type, "apiVersion": p.api_version, **p.body}
    if existing is None:
        return {"resourceId": p.id, "changeType": "Create", "after": after}
    delta = []
    for k in ("tags", "sku", "location", "kind"):
        if k in p.body and not covers(p.body[k], existing.get(k)) and not (k == "location" and str(p.body[k]).lower() == str(existing.get(k)).lower()):
            delta.append({"path": k, "propertyChangeType": "Modify" if k in existing else "Create", "before": existing.get(k), "after": p.body[k]})
    have = existing.get("properties") or {}
    for k, v in (p.body.get("properties") or {}).items():
        if not covers(v, _get(have, k)):
            delta.append({"path": f"properties.{k}", "propertyChangeType": "Modify" if k in have else "Create", "before": have.get(k), "after": v})
    before = {k: existing.get(k) for k in ("id", "name", "type", "location", "tags", "sku", "kind", "properties") if k in existing}
    if not delta:
        return {"resourceId": p.id, "changeType": "NoChange", "before": before, "after": after}
    return {"resourceId": p.id, "changeType": "Modify", "before": before, "after": after, "delta": delta}
