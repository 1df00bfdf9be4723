"""Holding one HTTP exchange to the spec: the request (path, method, api-version, required query
parameters, path values, body) and the response (status the operation may answer, its body, the
long-running-operation headers).

Swagger 2.0 schemas are validated as JSON Schema draft 4 with every ``$ref`` resolved, plus what
swagger adds:

* ``null`` is treated as absent (as the Azure SDKs read it; ARM sends nulls freely);
* ``readOnly`` properties are allowed in requests (ARM ignores them);
* fields a schema does not declare are reported where the schema declares its ``properties`` and
  no ``additionalProperties`` — in responses (the demo must not invent fields) and in requests
  (loom must not send fields the service does not know); ``allOf`` parents and, for a
  ``discriminator``, the matching subtype (``x-ms-discriminator-value``) count as declared;
* formats are not checked (``arm-id``, ``uuid``, ``date-time`` are descriptive here);
* an enum takes only the values it lists, plus those the spec's own examples use for it, named in
  MANIFEST.json (``example_values``: the Query_Usage example MCABillingProfileQueryGrouping sends
  ``"granularity": "None"`` where the schema lists only ``Daily``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from jsonschema import Draft4Validator, validators

from .book import EXAMPLE_VALUES, Operation, SpecBook, book


@dataclass
class Exchange:
    """One request and its answer, as the server saw them."""

    route: str
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int
    headers: dict[str, str]
    response: Any

    def label(self) -> str:
        return f"{self.route}: {self.method} {self.path}?api-version={self.query.get('api-version', '')} -> {self.status}"


def strip_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value


def _enum(validator: Any, enums: Any, instance: Any, schema: dict[str, Any]) -> Any:
    if instance in schema.get(EXAMPLE_VALUES, ()):
        return
    yield from Draft4Validator.VALIDATORS["enum"](validator, enums, instance, schema)


# draft 4, with an enum's values from the spec's own examples (book.EXAMPLE_VALUES)
Validator = validators.extend(Draft4Validator, {"enum": _enum})


def schema_errors(spec: SpecBook, uri: str, instance: Any, where: str) -> list[str]:
    """``instance`` against the schema at ``uri`` (a URI with a JSON pointer)."""
    validator = Validator({"$ref": uri}, registry=spec.registry)
    out = []
    for err in sorted(validator.iter_errors(strip_nulls(instance)), key=lambda e: list(e.absolute_path)):
        at = "/".join(str(p) for p in err.absolute_path) or "<body>"
        out.append(f"{where} {at}: {err.message[:300]}")
    out += [f"{where} {p}: not in the spec's schema" for p in undeclared(spec, uri, strip_nulls(instance))]
    return out


def _declared(spec: SpecBook, node: Any, uri: str, instance: dict[str, Any], seen: set[str]) -> tuple[dict[str, tuple[Any, str]], bool]:
    """Properties a schema declares (with allOf parents and a discriminated subtype), each with
    the URI its schema is read against; and whether it is open (additionalProperties, or none)."""
    node, uri = spec.resolve(uri, node)
    if uri in seen or not isinstance(node, dict):
        return {}, True
    seen = seen | {uri}
    props: dict[str, tuple[Any, str]] = {k: (v, uri) for k, v in (node.get("properties") or {}).items()}
    open_ = "additionalProperties" in node or not ("properties" in node or "allOf" in node)
    for parent in node.get("allOf") or []:
        more, parent_open = _declared(spec, parent, uri, instance, seen)
        props.update({k: v for k, v in more.items() if k not in props})
        open_ = open_ or (parent_open and not more)
    disc = node.get("discriminator")
    if disc and isinstance(instance.get(disc), str):
        sub = _subtype(spec, uri, instance[disc])
        if sub is not None:
            more, sub_open = _declared(spec, sub[0], sub[1], instance, seen)
            props.update({k: v for k, v in more.items() if k not in props})
            open_ = open_ or sub_open
    return props, open_


def _subtype(spec: SpecBook, base_uri: str, value: str) -> tuple[Any, str] | None:
    doc_uri = base_uri.split("#", 1)[0]
    for name, d in (spec.files.get(doc_uri, {}).get("definitions") or {}).items():
        if not isinstance(d, dict):
            continue
        refs = [urljoin(doc_uri, a["$ref"]) for a in d.get("allOf") or [] if isinstance(a, dict) and "$ref" in a]
        if base_uri in refs and d.get("x-ms-discriminator-value", name) == value:
            return d, f"{doc_uri}#/definitions/{name}"
    return None


def undeclared(spec: SpecBook, uri: str, instance: Any, at: str = "", depth: int = 0) -> list[str]:
    """Paths of fields in ``instance`` its schema does not declare."""
    if depth > 40:
        return []
    node, uri = spec.resolve(uri, {"$ref": uri})
    if isinstance(instance, list):
        items = node.get("items") if isinstance(node, dict) else None
        if items is None:
            return []
        _, item_uri = spec.resolve(uri, items) if "$ref" in items else (items, uri + "/items")
        return [p for i, v in enumerate(instance) for p in undeclared(spec, item_uri, v, f"{at}[{i}]", depth + 1)]
    if not isinstance(instance, dict) or not isinstance(node, dict):
        return []
    if "additionalProperties" in node and not node.get("properties"):
        extra = node["additionalProperties"]
        if isinstance(extra, dict) and ("$ref" in extra or "properties" in extra):
            sub_uri = spec.resolve(uri, extra)[1] if "$ref" in extra else uri + "/additionalProperties"
            return [p for k, v in instance.items() for p in undeclared(spec, sub_uri, v, f"{at}.{k}" if at else k, depth + 1)]
        return []
    props, open_ = _declared(spec, node, uri, instance, set())
    out = []
    for k, v in instance.items():
        path = f"{at}.{k}" if at else k
        if k not in props:
            if not open_:
                out.append(path)
            continue
        schema, base = props[k]
        sub_uri = urljoin(base, schema["$ref"]) if isinstance(schema, dict) and "$ref" in schema else _pointer_of(spec, base, k)
        out += undeclared(spec, sub_uri, v, path, depth + 1)
    return out


def _pointer_of(spec: SpecBook, owner_uri: str, key: str) -> str:
    from .book import escape

    return f"{owner_uri}/properties/{escape(key)}"


# ---------------------------------------------------------------- the request


def check_request(x: Exchange, spec: SpecBook | None = None) -> tuple[Operation | None, list[str]]:
    spec = spec or book()
    op, values, why = spec.find(x.method, x.path, x.query.get("api-version"))
    if op is None:
        return None, [f"{x.label()}: {why}"]
    problems = []
    for param, uri in spec.parameters(op):
        name, where = param.get("name", ""), param.get("in")
        if where == "query" and param.get("required") and name not in x.query:
            problems.append(f"required query parameter {name!r} missing")
        if where == "path":
            group = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
            value = values.get(group)
            if value is not None:
                schema = {k: v for k, v in param.items() if k in ("type", "pattern", "minLength", "maxLength", "enum", EXAMPLE_VALUES)}
                for err in Validator(schema).iter_errors(value):
                    problems.append(f"path value {name}={value!r}: {err.message}")
        if where == "body":
            if x.body is None:
                if param.get("required"):
                    problems.append("the request has no body; the spec requires one")
            else:
                problems += schema_errors(spec, uri + "/schema", x.body, "request")
    return op, [f"{x.label()} [{op.operation_id} {op.api_version}]: {p}" for p in problems]


# ---------------------------------------------------------------- the response


def check_response(x: Exchange, op: Operation, spec: SpecBook | None = None) -> list[str]:
    spec = spec or book()
    responses = op.responses
    code = str(x.status)
    problems = []
    if code in responses:
        declared = responses[code]
        where = f"{op.pointer}/responses/{code}"
    elif x.status >= 400 and "default" in responses:
        declared = responses["default"]
        where = f"{op.pointer}/responses/default"
    else:
        allowed = ", ".join(k for k in responses if k != "default")
        return [f"{x.label()} [{op.operation_id} {op.api_version}]: status {x.status} is not an answer of this operation (the spec: {allowed})"]
    declared, where = spec.resolve(op.uri, declared) if "$ref" in declared else (declared, where)
    if "schema" in declared:
        if x.response is None and x.status < 300 and x.status != 204:
            problems.append("no body; the spec answers one")
        elif x.response is not None:
            problems += schema_errors(spec, where + "/schema", x.response, "response")
    elif x.status == 204 and x.response not in (None, "", b""):
        problems.append(f"a body on a 204: {str(x.response)[:120]}")
    problems += _lro_headers(x, op, declared)
    return [f"{x.label()} [{op.operation_id} {op.api_version}]: {p}" for p in problems]


def _lro_headers(x: Exchange, op: Operation, declared: dict[str, Any]) -> list[str]:
    headers = {k.lower(): v for k, v in x.headers.items()}
    out = []
    if op.long_running and x.status in (201, 202) and not ({"location", "azure-asyncoperation"} & set(headers)):
        out.append(f"a long-running {x.status} without Location or Azure-AsyncOperation")
    for name in declared.get("headers") or {}:
        if name.lower() == "location" and x.status == 202 and "location" not in headers:
            out.append("202 without the Location header the spec names")
    ra = headers.get("retry-after")
    if ra is not None and not ra.strip().isdigit():
        out.append(f"Retry-After {ra!r} is not a whole number of seconds")
    return out


def check(x: Exchange, spec: SpecBook | None = None) -> list[str]:
    """Every problem with the exchange (request and response); [] when the spec allows it."""
    op, problems = check_request(x, spec)
    if op is None:
        return problems
    return problems + check_response(x, op, spec)
