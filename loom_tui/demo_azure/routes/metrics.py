"""Azure Monitor metrics of the demo estate: ``GET {resourceId}/providers/Microsoft.Insights/metrics``
(api-version 2024-02-01), shaped like the official example (``Metrics_List``), from the
deterministic 30-day data of ``estate_metrics``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from aiohttp import web

from .. import estate_metrics as em
from ..responses import arm_error, arm_json
from ..router import SCOPE, ArmRequest, Router

if TYPE_CHECKING:
    from ..state import State

ORDER = 20


PAUSED = {"paused", "suspended", "stopped", "pausing", "stopping"}


def register(router: Router, state: "State | None") -> None:
    async def handler(req: ArmRequest) -> web.StreamResponse:
        return await metrics(req, state)

    router.add("metrics.list", "GET", SCOPE + r"/providers/Microsoft\.Insights/metrics", handler)


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.strip().replace("Z", "+00:00")).astimezone(timezone.utc)


async def metrics(req: ArmRequest, state: "State | None" = None) -> web.StreamResponse:
    resource_id = req["scope"]
    body = state.get(resource_id) if state is not None else None
    if state is not None and body is None:
        return arm_error(404, "ResourceNotFound", f"The Resource '{resource_id.strip('/')}' was not found.")
    props = (body or {}).get("properties") or {}
    # a paused capacity reports no load: Azure Monitor answers grains without values
    paused = str(props.get("state") or props.get("status") or "").lower() in PAUSED
    rtype = em.resource_type(resource_id)
    known = em.METRICS.get(rtype)
    names = [n.strip() for n in (req.query.get("metricnames") or "").split(",") if n.strip()]
    if known is None:
        return arm_error(400, "BadRequest", f"Failed to find metric configuration for provider: {rtype.split('/')[0]}, "
                                             f"resource Type: {rtype.split('/', 1)[-1]}, metric: {','.join(names)}")
    if not names:
        names = list(known)
    lookup = {k.lower(): k for k in known}
    bad = [n for n in names if n.lower() not in lookup]
    if bad:
        return arm_error(400, "BadRequest", f"Failed to find metric configuration for provider: {rtype.split('/')[0]}, "
                                             f"resource Type: {rtype.split('/', 1)[-1]}, metric: {','.join(bad)}, Valid metrics: "
                                             f"{','.join(known)}")
    now = em.current()
    span = req.query.get("timespan") or ""
    try:
        if "/" in span:
            a, b = span.split("/", 1)
            start, end = _parse_time(a), _parse_time(b)
        else:
            end, start = now, now - timedelta(hours=1)
    except ValueError:
        return arm_error(400, "BadRequest", f"Invalid timespan {span!r}: expected start/end in ISO 8601")
    if end <= start:
        return arm_error(400, "BadRequest", f"Invalid timespan {span!r}: the end is not after the start")
    interval = (req.query.get("interval") or "PT1H").upper()
    grain = em.GRAINS.get(interval)
    if grain is None:
        return arm_error(400, "BadRequest", f"Invalid interval {interval!r}: one of {', '.join(em.GRAINS)}")
    aggs = {a.strip().lower() for a in (req.query.get("aggregation") or "average").split(",")}
    value = []
    for n in names:
        name = lookup[n.lower()]
        data = []
        for p in em.series(resource_id, name, start, end, grain, now=now):
            data.append({k: v for k, v in p.items() if k == "timeStamp" or (k in aggs and not paused)})
        value.append({
            "id": f"{resource_id}/providers/Microsoft.Insights/metrics/{name}",
            "type": "Microsoft.Insights/metrics",
            "name": {"value": name, "localizedValue": name},
            "displayDescription": f"{name} of the resource, in percent.",
            "unit": known[name],
            "timeseries": [{"metadatavalues": [], "data": data}],
            "errorCode": "Success",
        })
    f = "%Y-%m-%dT%H:%M:%SZ"
    return arm_json({"cost": len(value) * 60, "timespan": f"{start.strftime(f)}/{end.strftime(f)}", "interval": interval,
                     "value": value, "namespace": rtype.split("/")[0] + "/" + "/".join(rtype.split("/")[1:]),
                     "resourceregion": "eastus2"})
