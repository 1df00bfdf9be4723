"""Each day's cost counted once: later runs of an export replace earlier ones, overlaps are refused.

Cost Management writes a new month-to-date run of an export every day, each holding every day of
the month so far; importing day 1's run and then day 2's would count day 1 twice.  After a file's
rows are in, :func:`settle` compares it with every export file imported before whose dataset
could double it (the same kind, or FOCUS, which carries both) and that shares a
(subscription, day) with it or belongs to the same export and period:

* **the same export and period** (from ``manifest.json`` or the folder layout, :mod:`.runs`):
  - the same run: parts of one run, nothing to do;
  - a later run (by when each ran; when either does not say, the run holding all the other's
    days is the later): the earlier run's files are **superseded**, their rows go (each stays
    listed, so it is never imported again);
  - an earlier run than one imported before: the new file is superseded at once;
* **anything else that shares a (subscription, day)**: two exports (or loose files) that would
  count the same cost twice; the import is **refused**, naming both files.

``cost_file_days`` keeps each file's distinct (subscription, day) pairs, so the comparison reads a
few rows per file, not the cost table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import CostFileError
from .runs import ExportRun

_CANDIDATES = """
WITH new AS (SELECT subscription AS s, date AS d FROM cost_file_days WHERE file_id = $new)
SELECT f.id, f.path, f.rows, f.export_key, f.period, f.run_id, f.submitted,
       count(new.s) AS shared, count(o.file_id) AS total
FROM cost_files f
LEFT JOIN cost_file_days o ON o.file_id = f.id
LEFT JOIN new ON new.s = o.subscription AND new.d = o.date
WHERE f.id <> $new AND f.source = 'exports' AND f.superseded_by IS NULL
  AND (f.kind IS NULL OR CAST($kind AS VARCHAR) IS NULL OR f.kind = $kind)
GROUP BY ALL
HAVING count(new.s) > 0 OR (f.export_key = $export AND f.period = $period)
ORDER BY f.id
"""


@dataclass
class Settled:
    superseded: list[str] = field(default_factory=list)  # "path (N rows)" of earlier runs this file replaced
    superseded_by: str = ""  # the later run, imported before, that replaces this file


@dataclass(frozen=True)
class _Other:
    id: int
    path: str
    rows: int
    run: str | None
    submitted: str
    shared: int
    total: int


def record_days(con: Any, file_id: int) -> None:
    con.execute("INSERT INTO cost_file_days SELECT DISTINCT ?, coalesce(subscription, ''), date FROM cost WHERE file_id = ?",
                [file_id, file_id])


def backfill_days(con: Any) -> None:
    """Files imported before ``cost_file_days`` existed get their pairs (once)."""
    con.execute("INSERT INTO cost_file_days SELECT DISTINCT c.file_id, coalesce(c.subscription, ''), c.date FROM cost c "
                "WHERE c.file_id IN (SELECT id FROM cost_files WHERE source = 'exports' "
                "AND id NOT IN (SELECT DISTINCT file_id FROM cost_file_days))")


def settle(con: Any, file_id: int, path: str, kind: str | None, run: ExportRun | None) -> Settled:
    """Apply the rule above to the file just inserted as ``file_id``.  Raises :class:`CostFileError`
    on an overlap that is not a run of the same export (the caller rolls the import back)."""
    record_days(con, file_id)
    params = {"new": file_id, "kind": kind, "export": run.export if run else None, "period": run.period if run else None}
    new_total = con.execute("SELECT count(*) FROM cost_file_days WHERE file_id = ?", [file_id]).fetchone()[0]
    out = Settled()
    for oid, opath, orows, oexport, operiod, orun, osub, shared, total in con.execute(_CANDIDATES, params).fetchall():
        other = _Other(oid, opath, orows, orun, osub or "", shared, total)
        if run is None or oexport != run.export or operiod != run.period:
            raise CostFileError(path, f"holds cost for {shared} (subscription, day) pair(s) that {opath}, imported before, "
                                      "also holds, and the two are not runs of one export (no manifest.json or export "
                                      "folder layout says so): importing both would count that cost twice. Import one "
                                      "of them, or the export's own folders")
        if other.run == run.run:
            continue  # another part of the same run
        later = _later(run, other, new_total)
        if later is None:
            raise CostFileError(path, f"and {opath}, imported before, are two runs of the export {run.export} for "
                                      f"{run.period}; neither says when it ran and neither holds all of the other's days, "
                                      "so which one is current cannot be told. Import the later run alone")
        if not later:
            _drop(con, file_id, other.id)
            out.superseded_by = other.path
            return out
        _drop(con, other.id, file_id)
        out.superseded.append(f"{other.path} ({other.rows} rows)")
    return out


def _later(run: ExportRun, other: _Other, new_total: int) -> bool | None:
    """Is the new file's run later than the other's?  None: nothing tells."""
    if run.submitted and other.submitted:
        return run.submitted >= other.submitted  # the same instant: the file imported now wins
    if other.shared == other.total:
        return True  # the new run holds every day of the other
    if other.shared == new_total:
        return False  # the other holds every day of the new one
    return None


def _drop(con: Any, gone: int, by: int) -> None:
    con.execute("DELETE FROM cost WHERE file_id = ?", [gone])
    con.execute("DELETE FROM cost_file_days WHERE file_id = ?", [gone])
    con.execute("UPDATE cost_files SET superseded_by = ? WHERE id = ?", [by, gone])
