"""The DLZ template and where it comes from: a template spec version in the Admin Plane (deployed
by id: the air-gapped way to ship a compiled template), a compiled JSON file the operator points
to, or the template that ships in the package (a port of the platform's landing-zone network and
storage modules).  The scope (subscription or resource group) follows the template's schema."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from loom_tui.errors import ValidationError

PARAMS_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"
SPEC_TYPE = "Microsoft.Resources/templateSpecs/versions"  # its api-version is picked per cloud (api_versions.py)
SHIPPED = "loom_tui/data/templates/dlz.json"
MAX_TEMPLATE = 4 * 1024 * 1024  # ARM refuses a template over 4 MB


def shipped_template() -> dict[str, Any]:
    text = resources.files("loom_tui.data").joinpath("templates/dlz.json").read_text(encoding="utf-8")
    return json.loads(text)


def scope_of(doc: dict[str, Any]) -> str:
    """``subscription`` or ``resourceGroup``, from the template's ``$schema``."""
    return "subscription" if "subscriptionDeploymentTemplate" in str(doc.get("$schema")) else "resourceGroup"


def check_template(doc: Any, where: str = "the template") -> dict[str, Any]:
    """``doc`` if it is an ARM template loom can deploy (subscription or resource-group scope,
    a ``resources`` list, a ``parameters`` object); else :class:`ValidationError` saying why."""
    if not isinstance(doc, dict) or "resources" not in doc or "$schema" not in doc:
        raise ValidationError("template", f"{where} is not an ARM template (no $schema / resources)")
    schema = str(doc.get("$schema"))
    if "subscriptionDeploymentTemplate" not in schema and "/deploymentTemplate.json" not in schema:
        raise ValidationError("template", f"{where} is neither a subscription- nor a resource-group-scope template ($schema {schema})")
    if not isinstance(doc.get("parameters") or {}, dict):
        raise ValidationError("template", f"{where}: 'parameters' is not an object")
    return doc


def resource_types(doc: dict[str, Any], linked: dict[str, Any] | None = None) -> list[str]:
    """Every resource type the template (and its inline or linked nested templates) holds."""
    out: list[str] = []
    res = doc.get("resources") or []
    for r in (res.values() if isinstance(res, dict) else res):
        if not isinstance(r, dict):
            continue
        out.append(str(r.get("type") or ""))
        props = r.get("properties") or {}
        inner = props.get("template") if isinstance(props, dict) else None
        link = props.get("templateLink") if isinstance(props, dict) else None
        if isinstance(inner, dict):
            out += resource_types(inner, linked)
        elif isinstance(link, dict) and linked and str(link.get("relativePath")) in linked:
            out += resource_types(linked[str(link["relativePath"])], linked)
    return out


@dataclass
class TemplateInfo:
    kind: str  # spec | file | shipped
    ref: str  # the template spec version id, the file's absolute path, or SHIPPED
    template: dict[str, Any]  # the main template (a spec's mainTemplate, read)
    sha256: str = ""
    note: str = ""  # why this source (e.g. "no DLZ template spec in the Admin Plane")
    linked: dict[str, Any] = field(default_factory=dict)

    @property
    def scope(self) -> str:
        return scope_of(self.template)

    @property
    def declared(self) -> dict[str, Any]:
        return dict(self.template.get("parameters") or {})

    @property
    def role_assignments(self) -> int:
        return sum(1 for t in resource_types(self.template, self.linked) if t.lower() == "microsoft.authorization/roleassignments")

    def record(self) -> dict[str, str]:
        """What the plan keeps (so a resumed run deploys the same template)."""
        return {"kind": self.kind, "ref": self.ref, "sha256": self.sha256, "scope": self.scope,
                "roleAssignments": str(self.role_assignments), "note": self.note}

    def label(self) -> str:
        if self.kind == "spec":
            return f"template spec {self.ref.split('/templateSpecs/', 1)[-1].replace('/versions/', ' version ')}"
        return f"file {self.ref}" if self.kind == "file" else "loom's shipped template (a port of the platform's network and storage modules)"


def load_template(path: str | Path | None) -> dict[str, Any]:
    """The shipped template, or the compiled ARM JSON at ``path`` (checked)."""
    if path is None or str(path) in ("", "shipped"):
        return shipped_template()
    p = Path(path).expanduser()
    try:
        if p.stat().st_size > MAX_TEMPLATE:
            raise ValidationError("template", f"{p} is larger than ARM's 4 MB template limit")
        raw = p.read_bytes()
    except OSError as exc:
        raise ValidationError("template", f"cannot read {p}: {exc.strerror or exc}") from None
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValidationError("template", f"{p} is not UTF-8 text; compile Bicep with `az bicep build` first") from None
    except (json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", "?")
        raise ValidationError("template", f"{p} is not JSON (line {line}); compile Bicep with `az bicep build` first") from None
    return check_template(doc, str(p))


def file_info(path: str) -> TemplateInfo:
    p = Path(path).expanduser().resolve()
    doc = load_template(p)
    return TemplateInfo("file", str(p), doc, hashlib.sha256(p.read_bytes()).hexdigest())


async def spec_info(clients: Any, version_id: str, note: str = "") -> TemplateInfo:
    from loom_tui.azure.errors import ArmError

    try:
        from loom_tui.azure.api_versions import pick

        body = (await clients.send("GET", version_id, await pick(clients, SPEC_TYPE, path=version_id))).body or {}
    except ArmError as exc:
        raise ValidationError("template", f"the template spec version {version_id} could not be read: {exc}") from None
    props = body.get("properties") or {}
    doc = check_template(props.get("mainTemplate"), f"template spec {version_id}")
    linked = {str(a.get("path")): a.get("template") for a in props.get("linkedTemplates") or [] if isinstance(a, dict)}
    digest = hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()
    return TemplateInfo("spec", str(body.get("id") or version_id), doc, digest, note, linked)


async def resolve(clients: Any, choice: str, facts: Any) -> TemplateInfo:
    """The template of ``choice`` (the answers' ``template``): "" = the newest DLZ template spec
    version in the Admin Plane, else the shipped one (said so); "shipped"; a version id; a file."""
    choice = (choice or "").strip()
    if choice == "shipped":
        return TemplateInfo("shipped", SHIPPED, shipped_template(), note="chosen")
    if choice.lower().startswith("/subscriptions/"):
        if "/providers/microsoft.resources/templatespecs/" not in choice.lower() or "/versions/" not in choice.lower():
            raise ValidationError("template", f"{choice} is not a template spec version id (…/templateSpecs/NAME/versions/VERSION)")
        return await spec_info(clients, choice, "chosen")
    if choice:
        return file_info(choice)
    admin = getattr(facts, "admin", None)
    if admin is not None and admin.specs:
        newest = admin.specs[0]
        return await spec_info(clients, newest.id, f"the newest version of the Admin Plane's template spec {newest.spec}")
    return TemplateInfo("shipped", SHIPPED, shipped_template(),
                        note="no DLZ template spec in the Admin Plane resource group, and no file given")


def load_recorded_file(source: dict[str, Any]) -> dict[str, Any]:
    """A recorded file template, refused when the file changed since."""
    path = str(source.get("ref") or source.get("path") or "")
    try:
        now = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        raise ValidationError("template", f"the deployment used the template {path}, which cannot be read now: {exc.strerror or exc}") from None
    if now != source.get("sha256"):
        raise ValidationError("template", f"the template {path} changed since the deployment started; deploy again with --template")
    return load_template(path)


def inline_of(source: dict[str, Any]) -> dict[str, Any] | None:
    """The inline template a recorded plan deploys (None: a template spec, deployed by id)."""
    kind = source.get("kind") or ("file" if source.get("path") else "shipped")
    if kind == "spec":
        return None
    return load_recorded_file(source) if kind == "file" else shipped_template()


def parameter_file(plan: Any) -> dict[str, Any]:
    return {"$schema": PARAMS_SCHEMA, "contentVersion": "1.0.0.0", "parameters": plan.template_parameters()}
