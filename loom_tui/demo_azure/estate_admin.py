"""The Admin Plane's part of the demo estate that a DLZ deployment reads (``dlz-attach``'s
handoffs): the Log Analytics workspace, the console's and the activator's managed identities, the
shared ADX cluster (with its system identity) and the DLZ template spec (one version, whose main
template declares every parameter of the platform's landing-zone module); and the demo tenant's
group membership (``assignedTo()`` follows it)."""

from __future__ import annotations

import json
from importlib import resources

from loom_tui.local.demo import DEMO_ADMIN_GROUP, DEMO_TENANT, DEMO_USERS

from . import estate as e

LAW = "law-csa-loom-eastus2"
CONSOLE_UAMI = "uami-loom-console-eastus2"
ACTIVATOR_UAMI = "uami-loom-activator-eastus2"
ADX_CLUSTER = "adxcsaloomshared"
SPEC, SPEC_VERSION = "csa-loom-landing-zone", "1.0.0"
DEPLOYERS_GROUP = "5a5a0000-0000-4000-8000-00000000ad02"  # "DLZ deployers": lee.engineer, through the group only


def spec_template() -> dict:
    return json.loads(resources.files("loom_tui.demo_azure").joinpath("data/dlz_template_spec.json").read_text(encoding="utf-8"))


def build(est: "e.Estate") -> None:
    sub, rg, loc = e.ADMIN_SUB, e.ADMIN_RG, e.HUB_REGION
    tags = {"loomTenantId": DEMO_TENANT, "loomRole": "admin-plane"}
    est.add(e._res(sub, rg, "Microsoft.OperationalInsights/workspaces", LAW, loc, tags, {
        "provisioningState": "Succeeded", "customerId": e.stable_uuid(LAW, "customer"), "sku": {"name": "PerGB2018"},
        "retentionInDays": 90, "publicNetworkAccessForIngestion": "Enabled", "publicNetworkAccessForQuery": "Enabled",
        "createdDate": e.CREATED, "modifiedDate": e.CREATED}))
    for name in (CONSOLE_UAMI, ACTIVATOR_UAMI):
        rid = f"{e.rg_id(sub, rg)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}"
        est.add(e._res(sub, rg, "Microsoft.ManagedIdentity/userAssignedIdentities", name, loc, tags, {
            "tenantId": DEMO_TENANT, "principalId": e.stable_uuid(rid, "principal"), "clientId": e.stable_uuid(rid, "client")}))
    e._kusto(est, sub, rg, ADX_CLUSTER, loc, tags, "Running")
    spec_id = f"{e.rg_id(sub, rg)}/providers/Microsoft.Resources/templateSpecs/{SPEC}"
    est.add({"id": spec_id, "name": SPEC, "type": "Microsoft.Resources/templateSpecs", "location": loc, "tags": dict(tags),
             "systemData": e._system_data(), "properties": {
                 "description": "CSA Loom Data Landing Zone (the platform's landing-zone module, compiled)", "displayName": "CSA Loom DLZ"}})
    est.add({"id": f"{spec_id}/versions/{SPEC_VERSION}", "name": SPEC_VERSION, "type": "Microsoft.Resources/templateSpecs/versions",
             "location": loc, "tags": dict(tags), "systemData": e._system_data(),
             "properties": {"description": "landing-zone main.bicep at 26890f87", "mainTemplate": spec_template()}})
    est.docs.append(("group-members", DEMO_ADMIN_GROUP, [DEMO_USERS[0][0]]))
    est.docs.append(("group-members", DEPLOYERS_GROUP, [DEMO_USERS[2][0]]))
    for role in ("Contributor", "Owner"):
        e._assign(est, f"/subscriptions/{e.DLZ_SUBS[0]}", role, DEPLOYERS_GROUP, "Group")
    e._assign(est, e.rg_id(sub, rg), "Contributor", DEPLOYERS_GROUP, "Group")

