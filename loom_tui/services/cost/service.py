"""``CostService``: the async API of the cost area (the Cost screen and ``loom cost`` use it).

The cost table lives in a DuckDB file beside the embedded store (``<data dir>/cost/<profile>.duckdb``);
DuckDB work runs in a thread (``asyncio.to_thread``) so the event loop never blocks.  Chargeback
is a tenant-wide view: only tenant admins may see it (refused before any read).  Importing exports
writes only this local cache (not Azure, not the shared store), so read-only profiles may import.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from loom_tui import paths
from loom_tui.errors import Forbidden, ValidationError

from loom_tui.services.idle_workspaces import idle_workspaces

from . import analysis, idle as idle_mod, views
from .model import (EXPORTS, KINDS, LIVE, SOURCES, Anomaly, Chargeback, Daily, Forecast, IdleReport, Mover, Period, Query,
                    ResourceCost, SourceStatus, check_dimension)
from .periods import previous
from .views import TagKeys

if TYPE_CHECKING:
    from loom_tui.local.cost.importer import ImportResult
    from loom_tui.config import Profile
    from loom_tui.domain.pace import Pace
    from loom_tui.services.roles import Gate
    from loom_tui.store.scoped import ScopedStore

ZERO = Decimal(0)
TOP_MOVERS = 10


def db_path_for(profile: "Profile", data_dir: str | None = None) -> Path:
    """The profile's cost cache (DuckDB) in the run's data dir (``--data-dir``, else the profile's)."""
    base = paths.data_dir(data_dir or profile.data_dir)
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", profile.name) or "profile"
    return base / "cost" / f"{safe}.duckdb"


class CostService:
    def __init__(self, scoped: "ScopedStore", gate: "Gate", azure: Callable[[], Awaitable[Any]], estate: "Profile", *,
                 today: Callable[[], date], db_path: Path, pace: "Pace", domain_names: Callable[[], Awaitable[dict[str, str]]],
                 inventory: Callable[[], Awaitable[Any]] | None = None, seed: Callable[[Path, date], Path] | None = None) -> None:
        self.scoped = scoped
        self.gate = gate
        self.azure = azure  # the run's Azure clients, made on first use (the live source)
        self.estate = estate  # the profile: cost tags, subscriptions and resource groups
        self.today = today  # the run's clock (wiring pins the demo's day)
        self.db_path = db_path
        self.pace = pace
        self.domain_names = domain_names  # the domains registry's id -> name
        self.inventory = inventory  # the Capacity inventory (the idle finder), if this build has one
        self.seed = seed  # writes the tenant's seeded FOCUS export into a folder, returns its path; or None
        p = estate
        self.tags = TagKeys(workspace=(p.tag_workspace,), domain=tuple(p.tag_domain), tenant=(p.tag_tenant,))

    # -- guards ---------------------------------------------------------------------------
    def require_admin(self) -> None:
        if not self.scoped.session.is_tenant_admin:
            raise Forbidden("cost and chargeback are tenant-wide: only tenant admins can see them")

    def check(self, q: Query) -> Query:
        try:
            check_dimension(q.by)
        except ValueError as exc:
            raise ValidationError("by", str(exc)) from None
        if q.kind not in KINDS:
            raise ValidationError("kind", f"must be one of {', '.join(KINDS)}")
        if q.source not in SOURCES:
            raise ValidationError("source", f"must be one of {', '.join(SOURCES)}")
        if q.period is None:
            from .periods import resolve

            q = Query(q.by, resolve("mtd", self.today()), q.kind, q.source, q.filter_by, q.filter_key, q.filtered)
        return q

    async def _run(self, fn: Callable[[Any], Any]) -> Any:
        from loom_tui.local.cost import db

        def work() -> Any:
            with db.connect(self.db_path) as con:
                return fn(con)

        return await asyncio.to_thread(work)

    # -- import ---------------------------------------------------------------------------
    async def import_paths(self, paths_: list[str], *, kind: str | None = None, progress: Callable[[str], None] | None = None) -> "ImportResult":
        """Import cost exports: a change to the tenant's chargeback, so a write (refused read-only)
        that only a tenant admin may make."""
        self.gate.require_writable("importing cost")
        if not self.scoped.session.is_tenant_admin:
            raise Forbidden("importing cost changes the tenant's chargeback: only tenant admins can import")
        return await self._import(paths_, kind=kind, progress=progress)

    async def _import(self, paths_: list[str], *, kind: str | None = None, progress: Callable[[str], None] | None = None) -> "ImportResult":
        from loom_tui.local.cost.importer import import_paths

        return await asyncio.to_thread(import_paths, self.db_path, paths_, kind=kind, progress=progress)

    async def ensure_seeded(self) -> int:
        """A tenant wiring seeds (the demo tenant: 90 days of cost as a generated FOCUS export) has
        its export imported the first time cost is opened, through the same importer as any
        export.  Rows imported (0: nothing seeded, or had data)."""
        if self.seed is None or (await self.status(EXPORTS)).files:
            return 0
        path = await asyncio.to_thread(self.seed, self.db_path.parent, self.today())
        return (await self._import([str(path)])).rows

    async def status(self, source: str = EXPORTS) -> SourceStatus:
        rows, files, first, last, as_of = await self._run(lambda con: views.data_range(con, source))
        return SourceStatus(source, rows, files, first, last, as_of)

    async def tag_keys(self, source: str = EXPORTS) -> list[str]:
        """The tag keys the cost data of this source carries (what "by tag" can group by)."""
        rows = await self._run(lambda con: con.execute(
            "SELECT DISTINCT k.key FROM cost_tag_keys k JOIN cost_files f ON f.id = k.file_id WHERE f.source = ?",
            [source]).fetchall())
        return sorted({r[0] for r in rows}, key=str.lower)

    # -- names ----------------------------------------------------------------------------
    async def names(self, by: str) -> dict[str, str]:
        """Display names of keys: workspace ids -> names, domain ids -> display names."""
        if by == "workspace":
            out: dict[str, str] = {}
            async for ws in self.scoped.tenant_workspaces_iter():
                out[ws["id"]] = ws.get("name") or ws["id"]
                out[ws["id"].lower()] = out[ws["id"]]
            return out
        if by == "domain":
            # the console's domains registry: a cost tag may carry a domain's id or its name
            out = {}
            for dom_id, name in (await self.domain_names()).items():
                for key in (dom_id, dom_id.lower(), name, name.lower()):
                    out.setdefault(key, name)
            return out
        if by == "tenant":
            tid = self.scoped.session.tenant_id
            return {tid: f"{tid} (this tenant)"}
        return {}

    def _name(self, names: dict[str, str], key: str | None) -> str:
        if key is None:
            return "(unallocated)"
        return names.get(key) or names.get(key.lower()) or key

    # -- views ----------------------------------------------------------------------------
    async def chargeback(self, q: Query) -> list[Chargeback]:
        self.require_admin()
        q = self.check(q)
        await self._prepare(q)
        names = await self.names(q.by)

        def work(con: Any) -> tuple[dict, dict]:
            return views.grouped(con, q, self.tags), views.unallocated_top(con, q, self.tags)

        grouped, top = await self._run(work)
        assert q.period is not None
        out = []
        for cur in sorted(grouped):
            costs = grouped[cur]
            lines = [views.Line(ln.key, self._name(names, ln.key), ln.cost) for ln in views.lines(costs, {})]
            out.append(Chargeback(cur, q.period, q.by, q.kind, sum(costs.values(), ZERO), costs.get(None, ZERO), lines, top.get(cur, [])))
        return out

    async def resources(self, q: Query, limit: int | None = views.RESOURCES_PAGE) -> dict[str, list[ResourceCost]]:
        """The resources behind ``q``, largest first, per currency: a screen's page (``limit``), or
        every one (``limit=None``: the Capacity area's cost column, which must not miss any)."""
        self.require_admin()
        q = self.check(q)
        await self._prepare(q)
        return await self._run(lambda con: views.resources(con, q, self.tags, limit))

    async def daily(self, q: Query) -> list[Daily]:
        self.require_admin()
        q = self.check(q)
        await self._prepare(q)
        return await self._run(lambda con: views.daily(con, q, self.tags))

    async def movers(self, q: Query) -> list[Mover]:
        self.require_admin()
        q = self.check(q)
        await self._prepare(q)
        assert q.period is not None
        period = q.period
        last = (await self.status(q.source)).last
        if last is not None and period.start <= last < period.last:  # compare the days with data only
            period = Period(period.start, last + timedelta(days=1), period.label)
            q = Query(q.by, period, q.kind, q.source, q.filter_by, q.filter_key, q.filtered)
        before_p = previous(period)
        names = await self.names(q.by)
        now, before = await self._run(lambda con: (views.grouped(con, q, self.tags), views.grouped(con, q, self.tags, before_p)))
        out: list[Mover] = []
        for cur in sorted(set(now) | set(before)):
            a, b = now.get(cur, {}), before.get(cur, {})
            for key in set(a) | set(b):
                m = Mover(cur, key, self._name(names, key), b.get(key, ZERO), a.get(key, ZERO))
                if m.change:
                    out.append(m)
        out.sort(key=lambda m: (-abs(m.change), m.name))
        return out[:TOP_MOVERS]

    async def anomalies(self, q: Query) -> list[Anomaly]:
        """Anomalies by service (the query's ``by`` when it names another dimension) in the period."""
        self.require_admin()
        q = self.check(q)
        await self._prepare(q)
        assert q.period is not None
        look = Period(q.period.start - timedelta(days=analysis.LOOKBACK), q.period.end, "lookback")
        qs = Query("service", q.period, q.kind, q.source, q.filter_by, q.filter_key, q.filtered)
        qr = Query("resource", q.period, q.kind, q.source, q.filter_by, q.filter_key, q.filtered)

        def work(con: Any) -> tuple[dict, dict, dict, Any]:
            first = con.execute("SELECT min(date) FROM cost WHERE source = ?", [q.source]).fetchone()[0]
            names = dict(con.execute("SELECT resource_id, any_value(resource_name) FROM cost WHERE source = ? GROUP BY 1", [q.source]).fetchall())
            return views.daily_by(con, qs, self.tags, look), views.daily_by(con, qr, self.tags, look), names, first

        per_service, per_resource, names, first = await self._run(work)
        out: list[Anomaly] = []
        for cur, by_key in sorted(per_service.items()):
            out += analysis.anomalies(cur, by_key, q.period.start, q.period.end, first)
        for cur, by_key in sorted(per_resource.items()):
            named = {(names.get(k) or k if k else None): v for k, v in by_key.items()}
            out += analysis.anomalies(cur, named, q.period.start, q.period.end, first, services=False)
        return sorted(out, key=lambda a: (a.day, a.kind, a.key), reverse=True)

    async def forecast(self, q: Query) -> list[Forecast]:
        self.require_admin()
        q = self.check(q)
        await self._prepare(q)
        today = self.today()
        span = Period(today.replace(day=1) - timedelta(days=analysis.FORECAST_DAYS + 1), today + timedelta(days=1), "forecast")
        dailies = await self._run(lambda con: views.daily(con, q, self.tags, span))
        return [analysis.forecast(d.currency, {x.day: x.cost for x in d.days}, today) for d in dailies]

    async def idle(self, q: Query) -> IdleReport:
        self.require_admin()
        q = self.check(q)
        await self._prepare(q)
        today = self.today()
        start, end = idle_mod.window(today)
        period = Period(start, end, "30d")
        workspaces, idle = await idle_workspaces(self.scoped, datetime.combine(today, time(12), tzinfo=timezone.utc))
        known, not_checked = await self._inventory()
        wq = Query("workspace", period, q.kind, q.source)

        def work(con: Any) -> tuple[dict, list[dict], int]:
            per = views.grouped(con, wq, self.tags)
            ws_key = views.key_sql(con, "workspace", self.tags, q.source)
            dom_key = views.key_sql(con, "domain", self.tags, q.source)
            w, params = views.where(con, wq, self.tags, period)
            rows = con.execute(
                f"SELECT resource_id, any_value(resource_name), any_value(resource_type), currency, sum({q.kind}), "
                f"count(DISTINCT date) FILTER (WHERE {q.kind} > 0), list(DISTINCT ({ws_key})), list(DISTINCT ({dom_key})) "
                f"FROM cost WHERE {w} AND resource_id IS NOT NULL GROUP BY resource_id, currency", params).fetchall()
            res = [{"resource_id": r[0], "name": r[1] or r[0], "type": r[2] or "", "currency": r[3], "cost": Decimal(r[4]),
                    "days": r[5], "workspaces": {x for x in r[6] if x}, "domains": {x for x in r[7] if x}} for r in rows]
            data_days = con.execute(f"SELECT count(DISTINCT date) FROM cost WHERE {w}", params).fetchone()[0]
            return per, res, data_days

        per, resources, data_days = await self._run(work)
        ws_cost: dict[str, dict[str, Decimal]] = {}
        for cur, costs in per.items():
            for key, cost in costs.items():
                if key is not None:
                    ws_cost.setdefault(key, {})[cur] = cost
        findings = idle_mod.find(workspaces, idle, ws_cost, resources, data_days, known)
        return IdleReport(findings, not_checked + list(idle_mod.FINOPS_NOT_CHECKED))

    async def _inventory(self) -> tuple[dict[str, Any] | None, list[str]]:
        """The Capacity inventory by lower-case id (the idle finder names only what it knows), or
        None and why it could not be read."""
        if self.inventory is None:
            return None, ["capacities and pools: no Capacity inventory in this build"]
        try:
            inv = await self.inventory()
        except Exception as exc:  # noqa: BLE001 — the report says why capacities were not checked
            return None, [f"capacities and pools: the Capacity inventory could not be read ({exc})"]
        notes = [f"capacities and pools: the inventory is partial ({f.line()})" for f in inv.failures]
        return {r.id.lower(): r for r in inv.rows}, notes

    async def metered(self, resource_id: str, days: int = 30) -> list[Any]:
        """What ``resource_id`` was billed over the last ``days`` days with data, with the hours of
        use behind it (:mod:`.metered`), per currency; tenant admins only, like all cost."""
        from .metered import metered

        self.require_admin()

        def work(con: Any) -> list:
            last = con.execute("SELECT max(date) FROM cost WHERE source = ? AND lower(resource_id) = ?",
                               [EXPORTS, resource_id.lower()]).fetchone()[0]
            if last is None:
                return []
            return metered(con, EXPORTS, resource_id, last - timedelta(days=days - 1), last + timedelta(days=1))

        return await self._run(work)

    # -- the live source -------------------------------------------------------------------
    async def _prepare(self, q: Query) -> None:
        """Live views read the cached answers; the first one of a cost type fetches them."""
        if q.source != LIVE:
            return
        kind = q.kind
        have = await self._run(lambda con: con.execute(
            "SELECT count(*) FROM cost_files WHERE source = 'live' AND kind = ?", [kind]).fetchone()[0])
        if not have:
            await self.refresh_live(kind)

    async def refresh_live(self, kind: str = "actual", progress: Callable[[str], None] | None = None) -> Any:
        """Ask Cost Management again (``LIVE_DAYS`` days, one cost type) and replace the cache."""
        from . import live

        clients = await self.azure()
        scopes = live.scopes_for(self.estate)
        start, end = live.window(self.today())
        keys = list(dict.fromkeys([*self.tags.workspace, *self.tags.domain, *self.tags.tenant]))
        rows, result = await live.fetch(clients, self.limiter, scopes, kind, start, end, keys, progress)
        await asyncio.to_thread(live.store, self.db_path, rows, kind, start, end, result.scopes)
        return result

    @property
    def limiter(self) -> Any:
        if getattr(self, "_limiter", None) is None:
            from loom_tui.azure.cost_query import Limiter

            # Cost Management's query budget is per window of time: on a sped-up demo Azure the
            # window is as much shorter as its time is faster
            self._limiter = Limiter(per=self.pace.seconds(10.0), sleep=asyncio.sleep)
        return self._limiter
