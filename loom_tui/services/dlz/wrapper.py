"""The deployment loom submits: a subscription-scope template as it is; a resource-group-scope
template (the platform's landing-zone module) inside a subscription-scope wrapper that creates
the resource group when it does not exist yet and deploys the template into it as a nested
deployment — inline, or by its template spec version id.  One subscription-scope deployment, so
validate and what-if see the whole DLZ before anything exists."""

from __future__ import annotations

from typing import Any

from loom_tui.domain.dlz import DlzPlan

SUB_SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"


def literal(value: Any) -> Any:
    """A value placed in a template as data: strings that start with '[' are escaped ('[[')."""
    if isinstance(value, str) and value.startswith("["):
        return "[" + value
    if isinstance(value, dict):
        return {k: literal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [literal(v) for v in value]
    return value


def rg_tags(plan: DlzPlan) -> dict[str, str]:
    """The platform's DLZ resource group tags (bootstrap-dlz-rgs.sh) and loom's."""
    return {"csa-loom-tier": "dlz", "csa-loom-domain": plan.domain, "loomTenantId": plan.tenant_id, "loomDomain": plan.domain}


def deployment_body(plan: DlzPlan, inline: dict[str, Any] | None) -> tuple[dict[str, Any] | None, str | None, dict[str, Any]]:
    """``(template, template spec version id, parameters)`` of the subscription-scope deployment."""
    spec = plan.template.get("ref") if plan.template.get("kind") == "spec" else None
    params = plan.template_parameters()
    if plan.template.get("scope", "resourceGroup") == "subscription":
        return (None if spec else inline), spec, params
    nested: dict[str, Any] = {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
                              "parameters": {k: {"value": literal(v["value"])} for k, v in params.items()}}
    if spec:
        nested["templateLink"] = {"id": spec}
    else:
        nested["template"] = inline
    resources: list[dict[str, Any]] = []
    deploy: dict[str, Any] = {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": plan.deployment_name,
                              "resourceGroup": plan.resource_group, "properties": nested}
    if not plan.resource_group_exists:
        resources.append({"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2022-09-01", "name": plan.resource_group,
                          "location": plan.region, "tags": literal(rg_tags(plan))})
        deploy["dependsOn"] = [f"[subscriptionResourceId('Microsoft.Resources/resourceGroups', '{plan.resource_group}')]"]
    resources.append(deploy)
    return {"$schema": SUB_SCHEMA, "contentVersion": "1.0.0.0", "resources": resources}, None, {}
