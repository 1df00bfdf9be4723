"""The Power BI REST API's ``Datasets - Execute Queries`` for the demo tenant's Fabric Capacity
Metrics semantic model (not ARM; served on the demo Azure's endpoint, which a profile names as
its ``powerbi_endpoint``).

``POST /v1.0/myorg[/groups/{groupId}]/datasets/{datasetId}/executeQueries`` with
``{"queries": [{"query"}], "serializerSettings"?, "impersonatedUserName"?}``, answered as the API
documents: ``{"results": [{"tables": [{"rows": [{"[Column]": value}]}]}]}``; one query per call; a
DAX it cannot evaluate is a 400 (``DatasetExecuteQueriesError``), an unknown dataset a 404.  The
demo cannot run DAX: it answers the query loom sends by default (``cu_metrics.QUERY``: every
capacity's CU % per 30-second timepoint since a ``DATETIME(...)``), from the same deterministic
load profiles as its Azure Monitor metrics; a paused capacity has no timepoints.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .. import estate_metrics as em
from ..estate import stable_uuid
from ..responses import arm_json
from ..router import ArmRequest, Router

if TYPE_CHECKING:
    from ..state import State

DATASET = stable_uuid("powerbi", "fabric-capacity-metrics")
WORKSPACE = stable_uuid("powerbi", "fabric-capacity-metrics-workspace")
TIMEPOINT = timedelta(seconds=30)
_SINCE = re.compile(r"'Capacity utilization'\[Timepoint\]\s*>=\s*DATETIME\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)")
_COLUMNS = ('"Capacity", \'Capacity utilization\'[Capacity name]', '"Time", \'Capacity utilization\'[Timepoint]',
            '"CU %", \'Capacity utilization\'[CU %]')
MAX_ROWS = 100_000


def _error(status: int, detail: str) -> web.Response:
    return arm_json({"error": {"code": "DatasetExecuteQueriesError", "pbi.error": {
        "code": "DatasetExecuteQueriesError", "parameters": {},
        "details": [{"code": "DetailsMessage", "detail": {"type": 1, "value": detail}}]}}}, status)


def register(router: Router, state: "State") -> None:
    async def execute(req: ArmRequest) -> web.Response:
        if req.params.get("dataset", "").lower() != DATASET or (req.params.get("group") and req.params["group"].lower() != WORKSPACE):
            return arm_json({"error": {"code": "ItemNotFound", "message": f"Dataset {req.params.get('dataset')} is not found! "
                                       "please verify datasetId is correct and user have sufficient permissions."}}, 404)
        body = req.body if isinstance(req.body, dict) else {}
        queries = body.get("queries")
        if not isinstance(queries, list) or len(queries) != 1 or not isinstance((queries[0] or {}).get("query"), str):
            return _error(400, "The request must carry exactly one query (queries[0].query).")
        query = queries[0]["query"]
        m = _SINCE.search(query)
        if m is None or not all(c in query for c in _COLUMNS):
            return _error(400, "Query (1, 1) The demo's Capacity Metrics model answers only the query loom sends by default "
                               "(the 'Capacity utilization' table's Capacity name, Timepoint and CU %).")
        since = datetime(*(int(g) for g in m.groups()), tzinfo=timezone.utc)
        rows = _rows(state, since, em.current())[:MAX_ROWS]
        return arm_json({"results": [{"tables": [{"rows": rows}]}]})

    pattern = r"/v1\.0/myorg(?:/groups/(?P<group>[^/]+))?/datasets/(?P<dataset>[^/]+)/executeQueries"
    router.add("powerbi.execute_queries", "POST", pattern, execute)


def _rows(state: "State", since: datetime, now: datetime) -> list[dict[str, Any]]:
    out = []
    for cap in state.list(type="Microsoft.Fabric/capacities"):
        if (cap.get("properties") or {}).get("state") != "Active":
            continue
        t = since - (since - datetime(2000, 1, 1, tzinfo=timezone.utc)) % TIMEPOINT
        while t < now:
            avg, _peak = em.value(cap["id"], "CU %", t)
            out.append({"[Capacity]": cap["name"], "[Time]": t.strftime("%Y-%m-%dT%H:%M:%S"), "[CU %]": round(avg, 2)})
            t += TIMEPOINT
    return out
