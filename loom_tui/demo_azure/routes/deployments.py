"""Subscription-scope deployments in the demo Azure: validate, what-if and create, computed from
the submitted template (``arm_eval``), with the deployment's operations listed as they progress.

A deployment is a ``docs`` row (kind ``deployment``) holding the expanded resources and, for each,
when its operation starts and ends (from ``dependsOn``, relative to the PUT).  Everything a reader
sees is computed from those times and the clock, and a finished resource is written into the
estate by whichever process reads it first — so several loom processes (or a killed one and the
one that resumes) agree, as they would on Azure.

Faults: ``state.fail_action("deployments.resource", target=<resource id>)`` makes that resource's
operation end Failed (its dependents never start and the deployment fails with ARM's
``DeploymentFailed``); the server's per-route faults (429, 503, resets) apply to the route names
below.  Template functions the evaluator does not know are refused with ``InvalidTemplate``.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..arm_eval import Planned, Scope, TemplateError
from ..arm_expand import expand
from ..responses import arm_error, arm_json
from ..router import RG, SUB, ArmRequest, Router
from ._arm import operation_urls
from ._deploy_resources import materialise, what_if_change

if TYPE_CHECKING:
    from ..state import State

ORDER = 40
DEPLOYMENT = r"/providers/Microsoft\.Resources/deployments/(?P<name>[^/]+)"
KIND = "deployment"

# seconds each resource type takes, at the default action_seconds (4): the whole DLZ in ~5 s
_DURATION = {
    "microsoft.resources/resourcegroups": 0.5,
    "microsoft.network/virtualnetworks": 1.5,
    "microsoft.storage/storageaccounts": 2.0,
    "microsoft.storage/storageaccounts/blobservices": 0.5,
    "microsoft.storage/storageaccounts/blobservices/containers": 0.5,
    "microsoft.keyvault/vaults": 1.5,
    "microsoft.fabric/capacities": 2.5,
    "microsoft.network/networksecuritygroups": 1.0,
    "microsoft.network/privateendpoints": 2.0,
    "microsoft.network/privateendpoints/privatednszonegroups": 0.5,
    "microsoft.network/virtualnetworks/virtualnetworkpeerings": 1.0,
    "microsoft.insights/diagnosticsettings": 0.3,
    "microsoft.storage/storageaccounts/managementpolicies": 0.3,
    "microsoft.eventgrid/systemtopics": 1.0,
    "microsoft.authorization/roleassignments": 0.5,
}
_STORAGE_RE = re.compile(r"^[a-z0-9]{3,24}$")
_VAULT_RE = re.compile(r"^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")


def _key(sub: str, rg: str | None, name: str) -> str:
    return f"{sub}/{rg or ''}/{name}".lower()


def _scope(state: "State", sub: str, location: str, rg: str | None = None) -> Scope | None:
    s = state.subscription(sub)
    if s is None:
        return None
    rg_doc = state.get(f"/subscriptions/{sub}/resourceGroups/{rg}") if rg else None

    def runtime(p: Planned) -> dict[str, Any]:
        return materialise(_planned_dict(p), state.get(p.id))

    def spec(version_id: str) -> dict[str, Any] | None:
        doc = state.get(version_id)
        return doc if doc and str(doc.get("type", "")).lower() == "microsoft.resources/templatespecs/versions" else None

    return Scope(sub, str(s.get("tenantId") or ""), location, str(s.get("displayName") or ""), rg,
                 str((rg_doc or {}).get("location") or location), lookup=state.get, runtime_of=runtime, template_spec=spec)


def _tail(rid: str) -> str:
    low = rid.lower()
    if "/providers/" not in low:
        m = re.search(r"/resourcegroups/([^/]+)$", low)
        return f"microsoft.resources/resourcegroups/{m.group(1)}" if m else low
    return low.rsplit("/providers/", 1)[1]


def schedule(planned: list[Planned], speed: float) -> list[dict[str, Any]]:
    """Start and end offsets (seconds after the PUT) of every operation, from dependsOn; the
    resources of a nested deployment start once the deployment does, and it ends with the last."""
    tails = {_tail(p.id): i for i, p in enumerate(planned)}
    times: list[tuple[float, float]] = []
    nested_start: dict[str, float] = {}
    for i, p in enumerate(planned):
        start = 0.0
        for d in p.depends_on:
            j = tails.get(_tail(d))
            if j is not None and j < i:
                start = max(start, times[j][1])
        if p.nested_in:
            start = max(start, nested_start.get(p.nested_in, 0.0))
        if p.type.lower() == "microsoft.resources/deployments":
            nested_start[p.name] = start
            times.append((start, start))
            continue
        times.append((start, start + _DURATION.get(p.type.lower(), 1.0) * speed))
    # a nested deployment ends when its last resource does
    for i, p in enumerate(planned):
        if p.type.lower() == "microsoft.resources/deployments":
            inner = [times[j][1] for j, q in enumerate(planned) if q.nested_in == p.name]
            times[i] = (times[i][0], max(inner) if inner else times[i][0])
    return [{"start": s, "end": e} for s, e in times]


def _planned_dict(p: Planned) -> dict[str, Any]:
    return {"id": p.id, "type": p.type, "name": p.name, "apiVersion": p.api_version, "resourceGroup": p.resource_group,
            "body": p.body, "dependsOn": p.depends_on, "nestedIn": p.nested_in}


class Deployments:
    def __init__(self, state: "State") -> None:
        self.state = state

    @property
    def speed(self) -> float:
        return float(getattr(self.state, "action_seconds", 4.0)) / 4.0

    def now(self) -> float:
        return float(self.state.clock())

    # ------------------------------------------------------------ evaluation and checks

    def expand(self, req: ArmRequest, sub: str, rg: str | None = None) -> tuple[list[Planned], dict[str, Any], dict[str, Any]] | web.Response:
        body = req.body if isinstance(req.body, dict) else {}
        props = body.get("properties") or {}
        location = str(body.get("location") or "")
        if rg is None and not location:
            return arm_error(400, "InvalidDeploymentLocation", "The 'location' property must be specified for a subscription-scope deployment.")
        if rg is not None:
            rg_doc = self.state.get(f"/subscriptions/{sub}/resourceGroups/{rg}")
            if self.state.subscription(sub) is not None and rg_doc is None:
                return arm_error(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
            location = location or str((rg_doc or {}).get("location") or "")
        scope = _scope(self.state, sub, location, rg)
        if scope is None:
            return arm_error(404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found.")
        template = props.get("template")
        link = props.get("templateLink")
        if isinstance(link, dict) and link.get("id") and template is None:
            version = scope.template_spec(str(link["id"])) if scope.template_spec else None
            if version is None:
                return arm_error(404, "TemplateSpecVersionNotFound", f"The template spec version '{link['id']}' could not be found.")
            template = (version.get("properties") or {}).get("mainTemplate") or {}
            scope.linked = {str(a.get("path")): a.get("template") for a in (version.get("properties") or {}).get("linkedTemplates") or []}
        elif link is not None or template is None:
            return arm_error(400, "InvalidTemplate", "The demo Azure takes an inline 'template' or a template spec 'templateLink.id' (no URI).")
        if str(props.get("mode") or "Incremental") != "Incremental":
            return arm_error(400, "InvalidDeploymentMode", "The demo Azure deploys only in the 'Incremental' mode.")
        want = "subscriptionDeploymentTemplate" if rg is None else "/deploymentTemplate.json"
        if want not in str((template or {}).get("$schema") or ""):
            return arm_error(400, "InvalidSchema", f"The template schema '{(template or {}).get('$schema')}' is not supported for a "
                                                   f"{'subscription' if rg is None else 'resource group'}-scope deployment.")
        try:
            planned, outputs = expand(template, props.get("parameters") or {}, scope)
        except TemplateError as exc:
            return arm_json(exc.body(), 400)
        return planned, outputs, {**props, "template": template}

    def preflight(self, sub: str, planned: list[Planned]) -> list[dict[str, Any]]:
        """What Azure's preflight would refuse: names, name clashes elsewhere, unknown regions."""
        problems = []
        regions = {str(r.get("name")) for r in (self.state.doc("locations", sub) or [])}
        for p in planned:
            low = p.type.lower()
            name = p.name.split("/")[-1]
            loc = str(p.body.get("location") or "")
            if loc and regions and loc not in regions and loc.lower() != "global":
                problems.append({"code": "LocationNotAvailableForResourceType", "target": p.id,
                                 "message": f"The provided location '{loc}' is not available for resource type '{p.type}'. "
                                            f"List of available regions for the resource type is '{','.join(sorted(regions))}'."})
            if low == "microsoft.storage/storageaccounts":
                if not _STORAGE_RE.match(name):
                    problems.append({"code": "AccountNameInvalid", "target": name,
                                     "message": f"{name} is not a valid storage account name. Storage account name must be between 3 and 24 "
                                                "characters in length and use numbers and lower-case letters only."})
                elif self._taken_elsewhere(p):
                    problems.append({"code": "StorageAccountAlreadyTaken", "target": name,
                                     "message": f"The storage account named {name} is already taken."})
            if low == "microsoft.keyvault/vaults":
                if not _VAULT_RE.match(name):
                    problems.append({"code": "VaultNameNotValid", "target": name,
                                     "message": f"The vault name '{name}' is invalid. A vault's name must be between 3-24 alphanumeric "
                                                "characters. The name must begin with a letter, end with a letter or digit, and not "
                                                "contain consecutive hyphens."})
                elif self._taken_elsewhere(p):
                    problems.append({"code": "VaultAlreadyExists", "target": name,
                                     "message": f"The vault name '{name}' is already in use."})
        return problems

    def _taken_elsewhere(self, p: Planned) -> bool:
        name = p.name.split("/")[-1].lower()
        for r in self.state.list(type=p.type):
            if str(r.get("name", "")).lower() == name and str(r.get("id", "")).lower() != p.id.lower():
                return True
        return False

    @staticmethod
    def preflight_error(name: str, problems: list[dict[str, Any]]) -> web.Response:
        tracking = str(uuid.uuid4())
        return arm_json({"error": {
            "code": "InvalidTemplateDeployment",
            "message": f"The template deployment '{name}' is not valid according to the validation procedure. The tracking id is "
                       f"'{tracking}'. See inner errors for details.",
            "details": [{"code": "PreflightValidationCheckFailed",
                         "message": "Preflight validation failed. Please refer to the details for the specific errors.",
                         "details": problems}]}}, 400)

    # ------------------------------------------------------------ stored deployments

    def doc(self, sub: str, rg: str | None, name: str) -> dict[str, Any] | None:
        return self.state.doc(KIND, _key(sub, rg, name))

    def start(self, sub: str, name: str, location: str, planned: list[Planned], outputs: dict[str, Any],
              props: dict[str, Any], rg: str | None = None) -> dict[str, Any]:
        times = schedule(planned, self.speed)
        faults = {}
        for p in planned:
            if p.type.lower() == "microsoft.resources/deployments":
                continue
            f = self.state.take_action_fault("deployments.resource", p.id)
            if f is not None:
                faults[p.id] = {"code": f.code, "message": f.message, "status": f.status}
        doc = {"sub": sub, "rg": rg, "name": name, "location": location, "started": self.now(), "id": uuid.uuid4().hex,
               "planned": [_planned_dict(p) for p in planned], "times": times, "faults": faults, "outputs": outputs,
               "parameters": props.get("parameters") or {},
               "templateHash": str(int(hashlib.sha256(json.dumps(props.get("template"), sort_keys=True).encode()).hexdigest()[:15], 16))}
        self.state.put_doc(KIND, _key(sub, rg, name), doc)
        return doc

    def progress(self, doc: dict[str, Any]) -> list[dict[str, Any]]:
        """Each planned resource's operation now: state (NotStarted|Running|Succeeded|Failed)
        and when; finished resources are written into the estate."""
        now = self.now() - doc["started"]
        out: list[dict[str, Any]] = []
        failed_ids: set[str] = set()
        by_tail = {_tail(p["id"]): p["id"] for p in doc["planned"]}
        for p, t in zip(doc["planned"], doc["times"]):
            blocked = any(by_tail.get(_tail(d)) in failed_ids for d in p["dependsOn"]) or \
                (p["nestedIn"] and any(q["id"] in failed_ids for q in doc["planned"]
                                       if q["type"].lower() == "microsoft.resources/deployments" and q["name"] == p["nestedIn"]))
            fault = doc["faults"].get(p["id"])
            if blocked:
                st = "NotStarted"
            elif now < t["start"]:
                st = "NotStarted"
            elif now < t["end"]:
                st = "Running"
            else:
                st = "Failed" if fault else "Succeeded"
            if st == "Failed":
                failed_ids.add(p["id"])
            out.append({"p": p, "t": t, "state": st, "fault": fault})
        # a nested deployment fails when one of its resources does; it succeeds when all do
        for o in out:
            p = o["p"]
            if p["type"].lower() == "microsoft.resources/deployments" and o["state"] != "NotStarted":
                inner = [x for x in out if x["p"]["nestedIn"] == p["name"]]
                if any(x["state"] == "Failed" for x in inner):
                    o["state"] = "Failed"
                    o["fault"] = {"code": "DeploymentFailed", "message": "At least one resource deployment operation failed."}
                elif inner and all(x["state"] == "Succeeded" for x in inner):
                    o["state"] = "Succeeded"
                else:
                    o["state"] = "Running"
        for o in out:
            if o["state"] == "Succeeded" and o["p"]["type"].lower() != "microsoft.resources/deployments":
                existing = self.state.get(o["p"]["id"])
                want = materialise(o["p"], existing, self.state)
                if existing != want:
                    self.state.put(want)
        return out

    def overall(self, doc: dict[str, Any], ops: list[dict[str, Any]]) -> str:
        if any(o["state"] == "Failed" for o in ops):
            # failed once every operation that can still run has finished
            if not any(o["state"] == "Running" for o in ops):
                return "Failed"
        if all(o["state"] == "Succeeded" for o in ops):
            return "Succeeded"
        return "Running"

    def extended(self, req: ArmRequest, doc: dict[str, Any], ops: list[dict[str, Any]], state: str | None = None) -> dict[str, Any]:
        state = state or self.overall(doc, ops)
        sub, name = doc["sub"], doc["name"]
        iso = _iso
        ends = [doc["started"] + o["t"]["end"] for o in ops]
        props: dict[str, Any] = {
            "provisioningState": state, "mode": "Incremental", "correlationId": doc["id"], "templateHash": doc["templateHash"],
            "timestamp": iso(max(ends) if state in ("Succeeded", "Failed") and ends else doc["started"]),
            "duration": f"PT{max(0.0, (max(ends) if ends and state != 'Running' else self.now()) - doc['started']):.1f}S",
            "parameters": {k: {"type": "String", "value": v.get("value") if isinstance(v, dict) else v}
                           for k, v in (doc.get("parameters") or {}).items()},
            "providers": [], "dependencies": [],
        }
        if state == "Succeeded":
            props["outputs"] = doc.get("outputs") or {}
            props["outputResources"] = [{"id": o["p"]["id"]} for o in ops if o["p"]["type"].lower() != "microsoft.resources/deployments"]
        if state == "Failed":
            props["error"] = {"code": "DeploymentFailed",
                              "message": "At least one resource deployment operation failed. Please list deployment operations for "
                                         "details. Please see https://aka.ms/arm-deployment-operations for usage details.",
                              "details": [{"code": o["fault"]["code"], "message": o["fault"]["message"]}
                                          for o in ops if o["state"] == "Failed" and o["p"]["type"].lower() != "microsoft.resources/deployments"]}
        base = f"/subscriptions/{sub}/resourceGroups/{doc['rg']}" if doc.get("rg") else f"/subscriptions/{sub}"
        out = {"id": f"{base}/providers/Microsoft.Resources/deployments/{name}", "name": name,
               "type": "Microsoft.Resources/deployments", "properties": props}
        if not doc.get("rg"):
            out["location"] = doc["location"]
        return out

    def operation_rows(self, doc: dict[str, Any], ops: list[dict[str, Any]], nested: str | None) -> list[dict[str, Any]]:
        rows = []
        for o in ops:
            p = o["p"]
            if (p["nestedIn"] or None) != nested or o["state"] == "NotStarted":
                continue
            op_id = hashlib.sha256(f"{doc['id']}/{p['id']}".encode()).hexdigest()[:16].upper()
            rg = p["resourceGroup"] if nested else doc.get("rg")
            base = f"/subscriptions/{doc['sub']}/resourceGroups/{rg}" if rg else f"/subscriptions/{doc['sub']}"
            dep_name = nested or doc["name"]
            start = doc["started"] + o["t"]["start"]
            end = doc["started"] + o["t"]["end"] if o["state"] in ("Succeeded", "Failed") else self.now()
            props: dict[str, Any] = {
                "provisioningOperation": "Create", "provisioningState": o["state"], "timestamp": _iso(end),
                "duration": f"PT{max(0.0, end - start):.1f}S",
                "serviceRequestId": str(uuid.uuid5(uuid.NAMESPACE_URL, op_id)),
                "targetResource": {"id": p["id"], "resourceType": p["type"], "resourceName": p["name"]},
            }
            if o["state"] == "Succeeded":
                props["statusCode"] = "Created" if p["type"].lower() != "microsoft.resources/deployments" else "OK"
            if o["state"] == "Failed":
                props["statusCode"] = "BadRequest" if (o["fault"] or {}).get("status", 400) < 500 else "InternalServerError"
                props["statusMessage"] = {"status": "Failed", "error": {"code": o["fault"]["code"], "message": o["fault"]["message"]}}
            rows.append({"id": f"{base}/providers/Microsoft.Resources/deployments/{dep_name}/operations/{op_id}",
                         "operationId": op_id, "properties": props})
        return rows


def _arm_type(v: Any) -> str:
    """The type ARM names a deployment parameter's value by."""
    return ("Bool" if isinstance(v, bool) else "Int" if isinstance(v, int) else "Array" if isinstance(v, list)
            else "Object" if isinstance(v, dict) else "String")


def _iso(ts: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def register(router: Router, state: "State") -> None:
    d = Deployments(state)
    sub_dep = SUB + DEPLOYMENT
    rg_dep = RG + DEPLOYMENT

    async def validate(req: ArmRequest) -> web.StreamResponse:
        got = d.expand(req, req["sub"])
        if isinstance(got, web.Response):
            return got
        planned, _, _ = got
        problems = d.preflight(req["sub"], planned)
        if problems:
            return d.preflight_error(req["name"], problems)
        return later(req, "deployments.validate", {
            "id": f"/subscriptions/{req['sub']}/providers/Microsoft.Resources/deployments/{req['name']}",
            "name": req["name"], "type": "Microsoft.Resources/deployments",  # DeploymentValidateResult: no location
            "properties": {"provisioningState": "Succeeded", "mode": "Incremental", "correlationId": str(uuid.uuid4()),
                           "timestamp": _iso(d.now()), "duration": "PT0.5S", "dependencies": [], "providers": [],
                           "validatedResources": [{"id": p.id} for p in planned]}})

    async def what_if(req: ArmRequest) -> web.StreamResponse:
        got = d.expand(req, req["sub"])
        if isinstance(got, web.Response):
            return got
        planned, _, _ = got
        problems = d.preflight(req["sub"], planned)
        if problems:
            return d.preflight_error(req["name"], problems)
        changes = [what_if_change(p, state.get(p.id)) for p in planned if p.type.lower() != "microsoft.resources/deployments"]
        return later(req, "deployments.whatif", {"status": "Succeeded", "properties": {"changes": changes}})

    def later(req: ArmRequest, point: str, answer: dict[str, Any]) -> web.Response:
        """``answer`` now (200), or 202 + Location with the answer at the Location URL once a short
        operation ends (both are what the spec allows for validate and what-if)."""
        if req.server.answers.pick(point) != "202-location":
            return arm_json(answer)
        rid = f"/subscriptions/{req['sub']}/providers/Microsoft.Resources/deployments/{req['name']}"
        op = state.start_operation(rid, point, transient={}, final={}, seconds=state.action_seconds / 8,
                                   result={"kind": "body", "body": answer})
        headers = operation_urls(req, op["id"], rid, str((req.body or {}).get("location") or "global"))
        return web.Response(status=202, headers={"Location": headers["Location"], "Retry-After": headers["Retry-After"]})

    async def put(req: ArmRequest) -> web.StreamResponse:
        sub, name = req["sub"], req["name"]
        old = d.doc(sub, None, name)
        if old is not None and d.overall(old, d.progress(old)) == "Running":
            return arm_error(409, "DeploymentActive", f"The deployment with resource id '/subscriptions/{sub}/providers/"
                                                      f"Microsoft.Resources/deployments/{name}' cannot be saved, because this would "
                                                      "overwrite an existing deployment which is still active.")
        got = d.expand(req, sub)
        if isinstance(got, web.Response):
            return got
        planned, outputs, props = got
        problems = d.preflight(sub, planned)
        if problems:
            return d.preflight_error(name, problems)
        doc = d.start(sub, name, str((req.body or {}).get("location")), planned, outputs, props)
        body = d.extended(req, doc, d.progress(doc), state="Accepted")
        api = req.query.get("api-version", "")
        status_url = req.server.answers.link(f"{req.base}/subscriptions/{sub}/providers/Microsoft.Resources/deployments/{name}"
                                             f"/operationStatuses/{doc['id']}?api-version={api}")
        code = 200 if req.server.answers.pick("deployments.put") == "200" else 201
        return arm_json(body, code, headers={"Azure-AsyncOperation": status_url, "Retry-After": req.server.answers.retry_after()})

    async def get(req: ArmRequest) -> web.StreamResponse:
        doc = d.doc(req["sub"], None, req["name"])
        if doc is None:
            return arm_error(404, "DeploymentNotFound", f"Deployment '{req['name']}' could not be found.")
        return arm_json(d.extended(req, doc, d.progress(doc)))

    async def status(req: ArmRequest) -> web.StreamResponse:
        doc = d.doc(req["sub"], None, req["name"])
        if doc is None or doc["id"] != req["op"]:
            return arm_error(404, "DeploymentNotFound", f"Deployment '{req['name']}' could not be found.")
        ops = d.progress(doc)
        st = d.overall(doc, ops)
        body: dict[str, Any] = {"status": st}
        if st == "Failed":
            body["error"] = d.extended(req, doc, ops, "Failed")["properties"]["error"]
        running = st not in ("Succeeded", "Failed", "Canceled")
        told = running and req.server.answers.pick("deployments.status") == "retry-after"
        return arm_json(body, headers={"Retry-After": req.server.answers.retry_after()} if told else None)

    async def operations(req: ArmRequest) -> web.StreamResponse:
        doc = d.doc(req["sub"], None, req["name"])
        if doc is None:
            return arm_error(404, "DeploymentNotFound", f"Deployment '{req['name']}' could not be found.")
        return arm_json(req.server.page(req.request, d.operation_rows(doc, d.progress(doc), None)))

    def _nested(req: ArmRequest) -> tuple[dict[str, Any] | None, str]:
        for doc in state.docs(KIND) or []:
            if not isinstance(doc, dict) or str(doc.get("sub", "")).lower() != req["sub"].lower():
                continue
            for p in doc["planned"]:
                if (p["type"].lower() == "microsoft.resources/deployments" and p["name"].lower() == req["name"].lower()
                        and str(p["resourceGroup"] or "").lower() == req["rg"].lower()):
                    return doc, p["name"]
        return None, ""

    async def nested_get(req: ArmRequest) -> web.StreamResponse:
        """A nested deployment as ARM keeps it in its resource group: its state (from its
        resources) and its parameters as evaluated."""
        doc, nested = _nested(req)
        if doc is None:
            return arm_error(404, "DeploymentNotFound", f"Deployment '{req['name']}' could not be found.")
        ops = d.progress(doc)
        mine = next(o for o in ops if o["p"]["type"].lower() == "microsoft.resources/deployments" and o["p"]["name"] == nested)
        state = {"NotStarted": "Accepted"}.get(mine["state"], mine["state"])
        raw = ((mine["p"].get("body") or {}).get("properties") or {}).get("parameters") or {}

        def value(v: Any) -> Any:
            return v.get("value") if isinstance(v, dict) else v

        path = f"/subscriptions/{req['sub']}/resourceGroups/{mine['p']['resourceGroup']}/providers/Microsoft.Resources/deployments/{nested}"
        return arm_json({"id": path, "name": nested, "type": "Microsoft.Resources/deployments",
                         "properties": {"provisioningState": state, "mode": "Incremental", "correlationId": doc["id"],
                                        "timestamp": _iso(doc["started"] + mine["t"]["end"] if state in ("Succeeded", "Failed")
                                                          else doc["started"]),
                                        "parameters": {k: {"type": _arm_type(value(v)), "value": value(v)}
                                                       for k, v in raw.items()}}})

    async def nested_operations(req: ArmRequest) -> web.StreamResponse:
        doc, nested = _nested(req)
        if doc is None:
            return arm_error(404, "DeploymentNotFound", f"Deployment '{req['name']}' could not be found.")
        return arm_json(req.server.page(req.request, d.operation_rows(doc, d.progress(doc), nested)))

    router.add("deployments.validate", "POST", sub_dep + r"/validate", validate)
    router.add("deployments.whatif", "POST", sub_dep + r"/whatIf", what_if)
    router.add("deployments.status", "GET", sub_dep + r"/operationStatuses/(?P<op>[^/]+)", status)
    router.add("deployments.operations", "GET", sub_dep + r"/operations", operations)
    router.add("deployments.put", "PUT", sub_dep, put)
    router.add("deployments.get", "GET", sub_dep, get)
    router.add("deployments.nested_operations", "GET", rg_dep + r"/operations", nested_operations)
    router.add("deployments.nested_get", "GET", rg_dep, nested_get)
    # the SDK's resource-group form has no /providers/Microsoft.Resources segment
    router.add("deployments.nested_operations_sdk", "GET", RG + r"/deployments/(?P<name>[^/]+)/operations", nested_operations)
