"""The DLZ template that ships in the package (subscription-scope ARM JSON), or one the operator
points to (a compiled Bicep file), and the parameter file for it."""

from __future__ import annotations

import hashlib
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


# the ARM type each parameter the runner passes must have (lower case; secure variants accepted)
PARAMETER_TYPES = {"location": "string", "domain": "string", "loomTenantId": "string", "boundary": "string",
                   "addressSpace": "string", "subnets": "array", "capacitySku": "string", "capacityAdmins": "array",
                   "complianceTags": "object"}
_SECURE = {"securestring": "string", "secureobject": "object"}


def check_template(doc: Any, where: str = "the template") -> dict[str, Any]:
    """``doc`` if it is a subscription-scope ARM template that declares every parameter the
    runner passes, with its type, and needs no other one; else :class:`ValidationError` naming
    each problem."""
    if not isinstance(doc, dict) or "resources" not in doc or "$schema" not in doc:
        raise ValidationError("template", f"{where} is not an ARM template (no $schema / resources)")
    if "subscriptionDeploymentTemplate" not in str(doc.get("$schema")):
        raise ValidationError("template", f"{where} is not a subscription-scope template ($schema {doc.get('$schema')})")
    declared = doc.get("parameters") or {}
    if not isinstance(declared, dict):
        raise ValidationError("template", f"{where}: 'parameters' is not an object")
    problems = []
    missing = [k for k in PARAMETER_TYPES if k not in declared]
    if missing:
        problems.append(f"it does not declare {', '.join(missing)} (loom passes every one: the plan's answers would be ignored)")
    for k, want in PARAMETER_TYPES.items():
        spec = declared.get(k)
        if isinstance(spec, dict):
            got = str(spec.get("type") or "").lower()
            if _SECURE.get(got, got) != want:
                problems.append(f"parameter {k} is of type {spec.get('type')!r}, loom passes {want!r}")
    extra = sorted(k for k, v in declared.items() if k not in PARAMETER_TYPES and not (isinstance(v, dict) and "defaultValue" in v))
    if extra:
        problems.append(f"it needs parameters loom does not supply: {', '.join(extra)}")
    if problems:
        raise ValidationError("template", f"{where}: " + "; ".join(problems))
    return doc


def load_template(path: str | Path | None) -> dict[str, Any]:
    """The shipped template, or the compiled ARM JSON at ``path`` (checked: JSON, subscription
    scope, the parameters the runner passes declared with their types)."""
    if path is None or str(path) == "":
        return shipped_template()
    p = Path(path).expanduser()
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ValidationError("template", f"cannot read {p}: {exc.strerror or exc}") from None
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValidationError("template", f"{p} is not UTF-8 text; compile Bicep with `az bicep build` first") from None
    except json.JSONDecodeError as exc:
        raise ValidationError("template", f"{p} is not JSON (line {exc.lineno}: {exc.msg}); compile Bicep with `az bicep build` first") from None
    return check_template(doc, str(p))


def template_source(path: str | Path | None) -> dict[str, str] | None:
    """What the DLZ's record keeps of an operator's template (so a resumed run deploys the same
    one): its absolute path and the SHA-256 of its bytes.  None for the shipped template."""
    if path is None or str(path) == "":
        return None
    p = Path(path).expanduser().resolve()
    return {"path": str(p), "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}


def load_recorded(source: dict[str, Any] | None) -> dict[str, Any]:
    """The template a recorded deployment used; refused when the file changed since."""
    if not source:
        return shipped_template()
    path = str(source.get("path") or "")
    try:
        now = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        raise ValidationError("template", f"the deployment used the template {path}, which cannot be read now: {exc.strerror or exc}") from None
    if now != source.get("sha256"):
        raise ValidationError("template", f"the template {path} changed since the deployment started; deploy again with --template")
    return load_template(path)


def parameters_for(template: dict[str, Any], plan: DlzPlan) -> dict[str, Any]:
    """The plan's parameters that ``template`` declares (ARM refuses undeclared ones)."""
    declared = set(template.get("parameters") or {})
    return {k: v for k, v in plan.template_parameters().items() if k in declared}


def parameter_file(template: dict[str, Any], plan: DlzPlan) -> dict[str, Any]:
    return {"$schema": PARAMS_SCHEMA, "contentVersion": "1.0.0.0", "parameters": parameters_for(template, plan)}
