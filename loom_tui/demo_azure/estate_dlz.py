"""The DLZ area's part of the demo estate: one more DLZ subscription, empty, where the operator
(ops.admin, Owner) can rehearse a multi-sub DLZ deployment; the two DLZ subscriptions of the
estate already hold DLZs, and the Admin Plane takes one single-sub DLZ."""

from __future__ import annotations

from loom_tui.local.demo import DEMO_TENANT, DEMO_USERS

from . import estate as e

SPARE_SUB = "de700000-0000-4000-8000-0000000000d3"


def build(est: "e.Estate") -> None:
    est.subscriptions.append({
        "id": f"/subscriptions/{SPARE_SUB}", "subscriptionId": SPARE_SUB, "tenantId": DEMO_TENANT,
        "displayName": "CSA Loom DLZ West (demo, empty)", "state": "Enabled", "authorizationSource": "RoleBased",
        "managedByTenants": [], "tags": {"loomTenantId": DEMO_TENANT},
        "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "EnterpriseAgreement_2014-09-01",
                                 "spendingLimit": "Off"},
    })
    est.docs.append(("locations", SPARE_SUB, [e._location(SPARE_SUB, r) for r in e.REGIONS]))
    e._assign(est, f"/subscriptions/{SPARE_SUB}", "Owner", DEMO_USERS[0][0], "User")
    e._assign(est, f"/subscriptions/{SPARE_SUB}", "Reader", DEMO_USERS[5][0], "User")

