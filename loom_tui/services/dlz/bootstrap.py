"""The post-deploy bootstrap the platform still runs after a DLZ exists, with the exact command.

At the pinned platform commit this is the ``csa-loom-post-deploy-bootstrap`` workflow
(``.github/workflows/csa-loom-post-deploy-bootstrap.yml``): it grants the console identity the
Synapse Administrator data-plane role, registers it as a Databricks workspace service principal
(SCIM), and grants it APIM Service Contributor.  These are data-plane grants (Synapse RBAC,
Databricks SCIM) that neither ARM nor Microsoft Graph performs, so loom names them rather than
doing them.  (``scripts/csa-loom/bootstrap-all.sh``, which some platform docs name, does not exist
at that commit: the platform's own ``scripts/ci/check-docs-deploy-refs.mjs`` says so.)"""

from __future__ import annotations

import shlex
from typing import Any

from .parameters import PLATFORM_BOUNDARY

WORKFLOW = "csa-loom-post-deploy-bootstrap.yml"
STEPS = ("grant the console identity Synapse Administrator (Synapse data-plane RBAC)",
         "register the console identity as a Databricks workspace service principal (SCIM)",
         "grant the console identity API Management Service Contributor (when APIM exists)")


def bootstrap_command(*, boundary: str, region: str, admin_subscription: str, subscription: str, domain: str) -> str:
    q = shlex.quote
    spelled = PLATFORM_BOUNDARY.get(boundary, boundary)
    return (f"gh workflow run {WORKFLOW} -f boundary={q(spelled)} -f region={q(region)} -f admin_subscription={q(admin_subscription)} "
            f"-f dlz_subscription={q(subscription)} -f dlz_domain={q(domain)}")


def bootstrap_for(plan: dict[str, Any]) -> tuple[list[str], str]:
    """(what it does, the command) for a recorded plan (``DlzPlan.to_dict()``)."""
    hub = str(plan.get("hub_vnet_id") or "")
    parts = hub.split("/")
    admin_sub = parts[2] if len(parts) > 2 else ""
    return list(STEPS), bootstrap_command(boundary=str(plan.get("boundary") or ""), region=str(plan.get("region") or ""),
                                          admin_subscription=admin_sub, subscription=str(plan.get("subscription_id") or ""),
                                          domain=str(plan.get("domain") or ""))
