"""The demo Azure's state: the estate's subscriptions, resources and running operations in SQLite.

The file lives in the data directory (``<data_dir>/demo-azure/state.sqlite``), so several
``loom`` processes, each with its own server, see one Azure: a capacity paused by one is paused
for the next.  Operations are rows with a start and an end time; a resource's shown state is
computed from them and the clock (``transient`` overlays while one runs; ``final`` is merged into
the stored resource by whichever process first reads it after the end), so two processes agree
without talking to each other.

Action faults (``fail_action``) are rows too: a test, or an operator rehearsing, can make the next
``fabric.suspend`` of one capacity fail, in every process.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from loom_tui.private_files import private_dir, private_umask

from .state_errors import _storage_error, storage_errors

ESTATE_VERSION = "4"
STATE_DIR = "demo-azure"
STATE_FILE = "state.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tenants (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS subscriptions (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS resources (
    id TEXT PRIMARY KEY, sub TEXT NOT NULL, rg TEXT NOT NULL, type TEXT NOT NULL, parent TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS resources_sub_rg ON resources (sub, rg);
CREATE INDEX IF NOT EXISTS resources_parent ON resources (parent);
CREATE INDEX IF NOT EXISTS resources_type ON resources (type);
CREATE TABLE IF NOT EXISTS ops (
    id TEXT PRIMARY KEY, sub TEXT NOT NULL, resource_id TEXT NOT NULL, action TEXT NOT NULL, started REAL NOT NULL,
    ends REAL NOT NULL, transient TEXT NOT NULL, final TEXT NOT NULL, error TEXT, result TEXT, applied INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS ops_pending ON ops (applied, ends);
CREATE TABLE IF NOT EXISTS action_faults (
    n INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL, target TEXT, at TEXT NOT NULL, status INTEGER NOT NULL,
    code TEXT NOT NULL, message TEXT NOT NULL, remaining INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS route_faults (
    n INTEGER PRIMARY KEY AUTOINCREMENT, route TEXT NOT NULL, kind TEXT NOT NULL, variant TEXT NOT NULL, seconds REAL NOT NULL,
    remaining INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS route_faults_route ON route_faults (route);
CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, id));
"""


def state_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / STATE_DIR / STATE_FILE


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch (``None`` deletes a key)."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


def split_id(resource_id: str) -> tuple[str, str, str, str]:
    """(subscription, resource group, type, parent id), all lower case, of an ARM resource id.

    ``/subscriptions/S/resourceGroups/R/providers/NS/T1/N1/T2/N2`` has type ``ns/t1/t2`` and parent
    ``/subscriptions/s/resourcegroups/r/providers/ns/t1/n1``; a resource group's type is
    ``microsoft.resources/resourcegroups`` and its parent the subscription."""
    low = resource_id.rstrip("/").lower()
    parts = low.split("/")
    sub = parts[2] if len(parts) > 2 and parts[1] == "subscriptions" else ""
    rg = parts[4] if len(parts) > 4 and parts[3] == "resourcegroups" else ""
    if "/providers/" not in low:
        if rg and len(parts) == 5:
            return sub, rg, "microsoft.resources/resourcegroups", "/".join(parts[:3])
        return sub, rg, "", "/".join(parts[:-2])
    head, _, tail = low.rpartition("/providers/")
    seg = tail.split("/")
    ns, rest = seg[0], seg[1:]
    types = rest[0::2]
    rtype = "/".join([ns, *types])
    parent = head if len(rest) <= 2 else head + "/providers/" + "/".join(seg[: len(seg) - 2])
    return sub, rg, rtype, parent


@dataclass
class ActionFault:
    status: int
    code: str
    message: str
    at: str  # "request": the call itself fails; "operation": the async operation ends Failed


class State:
    """One SQLite file (or an in-memory database when ``path`` is None) shared by every server
    built on it; thread-safe (one lock)."""

    def __init__(self, path: str | Path | None = None, *, action_seconds: float = 4.0,
                 clock: Callable[[], float] = time.time, seed: bool = True) -> None:
        self.path = Path(path) if path else None
        self.action_seconds = action_seconds  # how long pause/resume/scale/... take
        self.cloud_versions = "public"  # which cloud's api-versions the demo offers (versions.py)
        self.clock = clock
        self._lock = threading.RLock()
        if self.path:
            private_dir(self.path.parent)
        with storage_errors(self.path), private_umask():  # the database and its WAL files are the user's alone (0600)
            self._db = sqlite3.connect(str(self.path) if self.path else ":memory:", check_same_thread=False,
                                       isolation_level=None, timeout=10)
            self._db.execute("PRAGMA busy_timeout = 10000")
            if self.path:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.executescript(_SCHEMA)
        if seed:
            self.seed()

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _tx(self):
        return _Tx(self)

    def seed(self, *, force: bool = False) -> bool:
        """Load the estate unless this file holds the current version of it (``force``: always,
        dropping every change and operation).  True when it loaded now."""
        with self._tx() as db:
            row = db.execute("SELECT value FROM meta WHERE key='estate'").fetchone()
            if row and row[0] == ESTATE_VERSION and not force:
                return False
            from .estate_all import build_estate

            estate = build_estate()
            for table in ("tenants", "subscriptions", "resources", "ops", "action_faults", "route_faults", "docs"):
                db.execute(f"DELETE FROM {table}")
            db.executemany("INSERT INTO tenants VALUES (?, ?)", [(t["tenantId"].lower(), _dump(t)) for t in estate.tenants])
            db.executemany("INSERT INTO subscriptions VALUES (?, ?)",
                           [(s["subscriptionId"].lower(), _dump(s)) for s in estate.subscriptions])
            db.executemany("INSERT INTO resources VALUES (?, ?, ?, ?, ?, ?)", [_row(r) for r in estate.resources])
            db.executemany("INSERT INTO docs VALUES (?, ?, ?)", [(k, i, _dump(b)) for k, i, b in estate.docs])
            db.execute("INSERT OR REPLACE INTO meta VALUES ('estate', ?)", (ESTATE_VERSION,))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('seeded_at', ?)", (str(self.clock()),))
        return True

    def reset(self) -> None:
        self.seed(force=True)

    # ------------------------------------------------------------ tenants and subscriptions

    def tenants(self) -> list[dict[str, Any]]:
        with self._lock:
            return [json.loads(b) for (b,) in self._db.execute("SELECT body FROM tenants ORDER BY id")]

    def subscriptions(self) -> list[dict[str, Any]]:
        with self._lock:
            return [json.loads(b) for (b,) in self._db.execute("SELECT body FROM subscriptions ORDER BY id")]

    def subscription(self, sub: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM subscriptions WHERE id=?", (sub.lower(),)).fetchone()
        return json.loads(row[0]) if row else None

    # ------------------------------------------------------------ documents (non-resource data: locations, ...)

    def doc(self, kind: str, id: str) -> Any:
        with self._lock:
            row = self._db.execute("SELECT body FROM docs WHERE kind=? AND id=?", (kind, id.lower())).fetchone()
        return json.loads(row[0]) if row else None

    def docs(self, kind: str) -> list[Any]:
        with self._lock:
            return [json.loads(b) for (b,) in self._db.execute("SELECT body FROM docs WHERE kind=? ORDER BY id", (kind,))]

    def docs_with_ids(self, kind: str) -> list[tuple[str, Any]]:
        with self._lock:
            return [(i, json.loads(b)) for (i, b) in self._db.execute("SELECT id, body FROM docs WHERE kind=? ORDER BY id", (kind,))]

    def put_doc(self, kind: str, id: str, body: Any) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO docs VALUES (?, ?, ?)", (kind, id.lower(), _dump(body)))

    # ------------------------------------------------------------ resources

    def get(self, resource_id: str) -> dict[str, Any] | None:
        self.settle()
        with self._lock:
            row = self._db.execute("SELECT body FROM resources WHERE id=?", (_key(resource_id),)).fetchone()
            if row is None:
                return None
            return self._overlay([json.loads(row[0])])[0]

    def list(self, *, sub: str | None = None, rg: str | None = None, type: str | None = None,
             parent: str | None = None, top_level: bool = False) -> list[dict[str, Any]]:
        """Resources matching every given filter (case-insensitive), in id order.  ``top_level``:
        what ARM's resource lists show (no resource groups, child or extension resources)."""
        self.settle()
        where, args = [], []
        for col, val in (("sub", sub), ("rg", rg), ("type", type), ("parent", parent)):
            if val is not None:
                where.append(f"{col}=?")
                args.append(_key(val) if col == "parent" else val.lower())
        if top_level:
            where.append("(length(type) - length(replace(type, '/', ''))) = 1 AND type != 'microsoft.resources/resourcegroups' "
                         "AND type NOT LIKE 'microsoft.authorization/%' AND id NOT LIKE '%/providers/%/providers/%'")
        sql = "SELECT body FROM resources" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        with self._lock:
            rows = [json.loads(b) for (b,) in self._db.execute(sql, args)]
            return self._overlay(rows)

    def put(self, resource: dict[str, Any]) -> dict[str, Any]:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO resources VALUES (?, ?, ?, ?, ?, ?)", _row(resource))
        return resource

    def patch(self, resource_id: str, patch: dict[str, Any]) -> dict[str, Any] | None:
        with self._tx() as db:
            row = db.execute("SELECT body FROM resources WHERE id=?", (_key(resource_id),)).fetchone()
            if row is None:
                return None
            body = merge_patch(json.loads(row[0]), patch)
            db.execute("UPDATE resources SET body=? WHERE id=?", (_dump(body), _key(resource_id)))
            return body

    def delete(self, resource_id: str) -> bool:
        with self._tx() as db:
            key = _key(resource_id)
            return db.execute("DELETE FROM resources WHERE id=? OR substr(id, 1, ?)=?",
                              (key, len(key) + 1, key + "/")).rowcount > 0

    # ------------------------------------------------------------ operations

    def start_operation(self, resource_id: str, action: str, *, transient: dict[str, Any], final: dict[str, Any],
                        seconds: float | None = None, error: dict[str, Any] | None = None,
                        on_error: dict[str, Any] | None = None, result: Any = None) -> dict[str, Any]:
        """Start an operation on ``resource_id``: while it runs, reads show ``transient`` merged in;
        at its end ``final`` (or ``on_error`` when ``error`` is set: the operation then ends
        Failed with that ARM error) is merged into the stored resource."""
        now = self.clock()
        if seconds is None:
            seconds = self.action_time(action, resource_id)
        op = {"id": str(uuid.uuid4()), "sub": split_id(resource_id)[0], "resource_id": _key(resource_id), "action": action,
              "started": now, "ends": now + seconds}
        with self._tx() as db:
            db.execute("INSERT INTO ops VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                       (op["id"], op["sub"], op["resource_id"], action, op["started"], op["ends"], _dump(transient),
                        _dump(on_error if error else final), _dump(error) if error else None, _dump(result)))
        return op

    def set_action_time(self, action: str, seconds: float, *, target: str | None = None) -> None:
        """How long ``action`` (e.g. ``kusto.stop``) takes from now on, for one resource or any
        (every process on this data dir): an ADX stop takes minutes in Azure, a Fabric suspend
        seconds.  Seconds of this clock (divide simulated seconds by ``LOOM_DEMO_SPEED``)."""
        self.put_doc("action_seconds", f"{action}|{_key(target) if target else '*'}", {"seconds": float(seconds)})

    def action_time(self, action: str, resource_id: str) -> float:
        for key in (f"{action}|{_key(resource_id)}", f"{action}|*"):
            found = self.doc("action_seconds", key)
            if isinstance(found, dict) and isinstance(found.get("seconds"), (int, float)):
                return float(found["seconds"])
        return self.action_seconds

    def running(self, resource_id: str) -> dict[str, Any] | None:
        """The operation running on a resource now, if any."""
        now = self.clock()
        with self._lock:
            row = self._db.execute("SELECT id, action, ends FROM ops WHERE resource_id=? AND ends>? ORDER BY started DESC LIMIT 1",
                                   (_key(resource_id), now)).fetchone()
        return {"id": row[0], "action": row[1], "ends": row[2]} if row else None

    def operation(self, op_id: str) -> dict[str, Any] | None:
        """``{"id", "action", "resource_id", "status": InProgress|Succeeded|Failed, "started",
        "ends", "percent", "error", "result"}`` as of now."""
        self.settle()
        with self._lock:
            row = self._db.execute("SELECT id, action, resource_id, started, ends, error, result FROM ops WHERE id=?",
                                   (op_id.lower(),)).fetchone()
        if row is None:
            return None
        op_id, action, rid, started, ends, error, result = row
        now = self.clock()
        done = now >= ends
        span = max(ends - started, 1e-9)
        status = ("Failed" if error else "Succeeded") if done else "InProgress"
        return {"id": op_id, "action": action, "resource_id": rid, "status": status, "started": started, "ends": ends,
                "percent": 100.0 if done else round(min(99.0, 100.0 * (now - started) / span), 1),
                "error": json.loads(error) if error else None, "result": json.loads(result) if result else None}

    def settle(self) -> None:
        """Merge the end state of every finished operation into its resource (once, whichever
        process gets there first)."""
        now = self.clock()
        with self._lock:
            if self._db.execute("SELECT 1 FROM ops WHERE applied=0 AND ends<=? LIMIT 1", (now,)).fetchone() is None:
                return
        with self._tx() as db:
            for op_id, rid, final in db.execute(
                    "SELECT id, resource_id, final FROM ops WHERE applied=0 AND ends<=? ORDER BY ends", (now,)).fetchall():
                row = db.execute("SELECT body FROM resources WHERE id=?", (rid,)).fetchone()
                if row is not None:
                    body = merge_patch(json.loads(row[0]), json.loads(final))
                    db.execute("UPDATE resources SET body=? WHERE id=?", (_dump(body), rid))
                db.execute("UPDATE ops SET applied=1 WHERE id=?", (op_id,))

    def _overlay(self, bodies: builtins.list[dict[str, Any]]) -> builtins.list[dict[str, Any]]:  # list: the method above
        now = self.clock()
        running = self._db.execute("SELECT resource_id, transient FROM ops WHERE applied=0 AND ends>? ORDER BY started",
                                   (now,)).fetchall()
        if not running:
            return bodies
        patches: dict[str, builtins.list[Any]] = {}
        for rid, transient in running:
            patches.setdefault(rid, []).append(json.loads(transient))
        out = []
        for body in bodies:
            for p in patches.get(_key(body.get("id", "")), ()):
                body = merge_patch(body, p)
            out.append(body)
        return out

    # ------------------------------------------------------------ action faults

    def fail_action(self, action: str, *, target: str | None = None, status: int = 409, code: str = "Conflict",
                    message: str = "The operation failed (injected by the demo Azure).", at: str = "request",
                    times: int = 1) -> None:
        """Make the next ``times`` calls of ``action`` (e.g. ``fabric.suspend``) fail, for one
        resource id (``target``) or any.  ``at="request"``: the call answers ``status`` with the
        ARM error; ``at="operation"``: it is accepted (202) and the operation ends Failed."""
        if at not in ("request", "operation"):
            raise ValueError("at: 'request' or 'operation'")
        with self._tx() as db:
            db.execute("INSERT INTO action_faults (action, target, at, status, code, message, remaining) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (action, _key(target) if target else None, at, status, code, message, times))

    def take_action_fault(self, action: str, target: str) -> ActionFault | None:
        with self._tx() as db:
            row = db.execute("SELECT n, at, status, code, message FROM action_faults WHERE action=? AND (target IS NULL OR target=?) "
                             "AND remaining>0 ORDER BY n LIMIT 1", (action, _key(target))).fetchone()
            if row is None:
                return None
            db.execute("UPDATE action_faults SET remaining=remaining-1 WHERE n=?", (row[0],))
            return ActionFault(status=row[2], code=row[3], message=row[4], at=row[1])

    def clear_action_faults(self) -> None:
        """Remove every injected action failure, route fault and delay."""
        with self._tx() as db:
            db.execute("DELETE FROM action_faults")
            db.execute("DELETE FROM route_faults")

    # ------------------------------------------------------------ route faults and latency (every process)

    def inject_fault(self, route: str, kind: str, *, variant: str = "retry-after-seconds", seconds: float = 0,
                     times: int = 1) -> None:
        """The next ``times`` requests to ``route`` (a route name) answer with the fault, in every
        server on this data dir (``ArmServer.inject`` does it for one server only)."""
        from .faults import Fault

        Fault(kind, variant, seconds)  # validates
        with self._tx() as db:
            db.execute("INSERT INTO route_faults (route, kind, variant, seconds, remaining) VALUES (?, ?, ?, ?, ?)",
                       (route, kind, variant, seconds, times))

    def set_delay(self, route: str, seconds: float) -> None:
        """Add ``seconds`` of latency to every request to ``route`` (0 removes it), in every server."""
        with self._tx() as db:
            db.execute("DELETE FROM route_faults WHERE route=? AND kind='latency'", (route,))
            if seconds > 0:
                db.execute("INSERT INTO route_faults (route, kind, variant, seconds, remaining) VALUES (?, 'latency', '', ?, -1)",
                           (route, seconds))

    def route_fault(self, route: str) -> tuple[float, Any]:
        """(added latency, a consumed ``Fault`` or None) for one request to ``route``."""
        with self._lock:
            rows = self._db.execute("SELECT n, kind, variant, seconds FROM route_faults WHERE route=? AND remaining != 0 ORDER BY n",
                                    (route,)).fetchall()
        if not rows:
            return 0.0, None
        delay = sum(r[3] for r in rows if r[1] == "latency")
        fault = None
        pending = [r for r in rows if r[1] != "latency"]
        if pending:
            with self._tx() as db:
                row = db.execute("SELECT n, kind, variant, seconds FROM route_faults WHERE route=? AND kind != 'latency' "
                                 "AND remaining > 0 ORDER BY n LIMIT 1", (route,)).fetchone()
                if row is not None:
                    db.execute("UPDATE route_faults SET remaining=remaining-1 WHERE n=?", (row[0],))
                    from .faults import Fault

                    fault = Fault(row[1], row[2], row[3])
        return delay, fault


class _Tx:
    def __init__(self, state: State) -> None:
        self.state = state

    def __enter__(self) -> sqlite3.Connection:
        self.state._lock.acquire()
        try:
            with storage_errors(self.state.path):
                self.state._db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.state._lock.release()
            raise
        return self.state._db

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            with storage_errors(self.state.path):
                if exc_type:
                    if self.state._db.in_transaction:  # SQLite ends it itself on a full disk
                        self.state._db.execute("ROLLBACK")
                else:
                    self.state._db.execute("COMMIT")
        finally:
            self.state._lock.release()
        if exc_type is not None and issubclass(exc_type, sqlite3.DatabaseError):
            mapped = _storage_error(self.state.path, exc)
            if mapped is not None:
                raise mapped from None


def _key(resource_id: str) -> str:
    return resource_id.rstrip("/").lower()


def _dump(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"))


def _row(resource: dict[str, Any]) -> tuple[str, str, str, str, str, str]:
    sub, rg, rtype, parent = split_id(resource["id"])
    return (_key(resource["id"]), sub, rg, rtype, parent, _dump(resource))


def ids(resources: Iterable[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in resources]
