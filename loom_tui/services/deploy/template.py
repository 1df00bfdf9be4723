"""The DLZ template that ships in the package (subscription-scope ARM JSON), or one the operator
points to (a compiled Bicep file), and the parameter file for it."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from loom_tui.domain.dlz import DlzPlan
from loom_tui.errors import ValidationError

PARAMS_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"


def shipped_template() -> dict[str, Any]:
    text = resources.files("loom_tui.data").joinpath("templates/dlz.json").read_text(encoding="utf-8")
    return json.loads(text)


def load_template(path: str | Path | None) -> dict[str, Any]:
    """The shipped template, or the ARM JSON at ``path`` (it must take the shipped template's
    parameters, since the plan supplies exactly those)."""
    if path is None:
        return shipped_template()
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationError("template", f"cannot read {p}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise ValidationError("template", f"{p} is not JSON (line {exc.lineno}: {exc.msg}); compile Bicep with `az bicep build` first") from None
    if not isinstance(doc, dict) or "resources" not in doc or "$schema" not in doc:
        raise ValidationError("template", f"{p} is not an ARM template (no $schema / resources)")
    if "subscriptionDeploymentTemplate" not in str(doc.get("$schema")):
        raise ValidationError("template", f"{p} is not a subscription-scope template ($schema {doc.get('$schema')})")
    missing = set(shipped_template()["parameters"]) - set(doc.get("parameters") or {})
    extra_required = {k for k, v in (doc.get("parameters") or {}).items()
                      if k not in shipped_template()["parameters"] and isinstance(v, dict) and "defaultValue" not in v}
    if extra_required:
        raise ValidationError("template", f"{p} needs parameters the plan does not supply: {', '.join(sorted(extra_required))}")
    del missing  # a template may ignore some of ours; ARM refuses unknown ones, so they are trimmed below
    return doc


def parameters_for(template: dict[str, Any], plan: DlzPlan) -> dict[str, Any]:
    """The plan's parameters that ``template`` declares (ARM refuses undeclared ones)."""
    declared = set(template.get("parameters") or {})
    return {k: v for k, v in plan.template_parameters().items() if k in declared}


def parameter_file(template: dict[str, Any], plan: DlzPlan) -> dict[str, Any]:
    return {"$schema": PARAMS_SCHEMA, "contentVersion": "1.0.0.0", "parameters": parameters_for(template, plan)}
