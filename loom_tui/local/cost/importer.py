"""``import_paths``: Cost Management exports (CSV, CSV.gz, Parquet; files or folders) into the
cost table, in ONE transaction: a bad file imports nothing (the whole call is rolled back).

Idempotent: a file's SHA-256 (of its content; a gzip file's uncompressed content) is recorded,
and a file whose content was imported before is skipped, even under another name.  Hashing a big
file costs about a tenth of importing it, so it is not done up front: a fingerprint (the hash of
the first MiB) is; identical content has an identical fingerprint, so a file whose fingerprint is
new is new, and its full hash is computed in a thread while DuckDB imports it.  Only a file whose
fingerprint was seen before is hashed first, to decide whether to skip it.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from . import db
from .diagnose import first_problem, read_header
from .encoding import MAX_HEADER, is_utf16, open_raw, utf8_copy
from .errors import CostFileError
from .formats import Layout, LayoutError, detect
from .dataset import settle_kind
from .runs import ExportRun, Manifest, find_run
from .sqlexpr import COST_FIELDS, COST_TYPE, TABLE_FIELDS, positional, select_sql
from .supersede import backfill_days, settle

SUFFIXES = (".csv", ".csv.gz", ".parquet", ".parquet.gz")
KINDS = ("actual", "amortized")


@dataclass(frozen=True)
class FileResult:
    path: str
    sha256: str
    format: str
    rows: int
    skipped: bool = False  # imported before (same content), or not a cost export in a walked folder
    reason: str = ""
    dataset_basis: str = ""  # how actual or amortized was told (dataset.settle_kind)
    run_basis: str = ""  # "manifest.json" | "folder layout" | "" (a loose file)
    superseded: list[str] = field(default_factory=list)  # earlier runs of the same export this one replaced
    superseded_by: str = ""  # a later run, imported before, that replaces this one (its rows are not counted)


@dataclass
class ImportResult:
    files: list[FileResult] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files if not f.skipped)

    @property
    def imported(self) -> int:
        return sum(1 for f in self.files if not f.skipped)


def _supported(p: Path) -> bool:
    return p.name.lower().endswith(SUFFIXES)


def expand(paths: Iterable[str | Path]) -> list[tuple[Path, bool]]:
    """(file, named) pairs: files as given (named), folders walked (sorted) for CSV / Parquet
    files, gzip or not."""
    out: list[tuple[Path, bool]] = []
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            out += sorted((f, False) for f in p.rglob("*") if f.is_file() and _supported(f))
        elif p.is_file():
            if not _supported(p):
                raise CostFileError(str(p), "not a CSV or Parquet file (.csv, .csv.gz, .parquet)")
            out.append((p, True))
        else:
            raise CostFileError(str(p), "no such file or folder")
    return list(dict.fromkeys(out))


FINGERPRINT_BYTES = 1 << 20


def content_hash(path: Path, limit: int | None = None) -> str:
    """SHA-256 of the content (uncompressed for .gz); of its first ``limit`` bytes if given."""
    h = hashlib.sha256()
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    left = limit
    try:
        with opener(path, "rb") as fh:
            while chunk := fh.read(1 << 20 if left is None else min(1 << 20, left)):
                h.update(chunk)
                if left is not None:
                    left -= len(chunk)
                    if left <= 0:
                        break
    except (OSError, EOFError) as exc:
        raise CostFileError(str(path), f"cannot be read: {exc}") from None
    return h.hexdigest()


def record_tag_keys(con: Any, file_id: int) -> None:
    """The tag keys a file's rows carry (distinct tag sets first: far fewer JSON documents to parse)."""
    con.execute("INSERT INTO cost_tag_keys SELECT DISTINCT ?, unnest(json_keys(t)) FROM "
                "(SELECT DISTINCT tags AS t FROM cost WHERE file_id = ? AND tags IS NOT NULL)", [file_id, file_id])


def _is_parquet(path: Path) -> bool:
    return ".parquet" in path.name.lower()


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _source(con: Any, path: Path, kind: str | None) -> tuple[Layout, str]:
    """The file's layout and a SQL relation of its columns as text, named c0, c1, ..."""
    if _is_parquet(path):
        try:
            names = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({_sql_str(str(path))})").fetchall()]
        except Exception as exc:  # noqa: BLE001 - the engine's reason, shown with the file
            raise CostFileError(str(path), f"is not a readable Parquet file ({_first_line(exc)})") from None
        layout = _layout(path, names, kind)
        typed = {int(c[1:]) for f, c in positional(layout).items() if f in COST_FIELDS}
        cols = ", ".join(f"CAST({_ident(n)} AS {COST_TYPE if i in typed else 'VARCHAR'}) AS c{i}" for i, n in enumerate(names))
        return layout, f"(SELECT {cols} FROM read_parquet({_sql_str(str(path))}))"
    header = read_header(path)
    if not header:
        raise CostFileError(str(path), "is empty (no header line)", line=1)
    layout = _layout(path, header, kind)
    # the cost columns are parsed as decimals by the CSV reader itself (no text in between: the
    # costliest column of a file is read a third faster); a bad number still fails the import
    typed = {int(c[1:]) for f, c in positional(layout).items() if f in COST_FIELDS}
    columns = "{" + ", ".join(f"'c{i}': '{COST_TYPE if i in typed else 'VARCHAR'}'" for i in range(len(header))) + "}"
    rel = (f"read_csv({_sql_str(str(path))}, delim=',', quote='\"', escape='\"', header=true, auto_detect=false, "
           f"strict_mode=true, nullstr=['NULL', ''], columns={columns})")
    return layout, rel


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _layout(path: Path, columns: list[str], kind: str | None) -> Layout:
    try:
        return detect(columns, file_name=path.name, kind=kind)
    except LayoutError as exc:
        raise CostFileError(str(path), str(exc), line=1) from None


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _explain(path: Path, layout: Layout, exc: BaseException) -> CostFileError:
    found = None if _is_parquet(path) else first_problem(path, layout)
    if found is None:
        return CostFileError(str(path), f"could not be imported ({_first_line(exc)})")
    line, column, problem = found
    return CostFileError(str(path), problem, line=line, column=column)


def import_paths(db_path: Path | str, paths: Iterable[str | Path], *, kind: str | None = None,
                 progress: Callable[[str], None] | None = None) -> ImportResult:
    """Import every file under ``paths``; all or nothing.  ``kind`` forces actual/amortized for
    Azure cost details files (FOCUS files carry both)."""
    if kind is not None and kind not in KINDS:
        raise CostFileError("--type", f"must be one of {', '.join(KINDS)}")
    from concurrent.futures import ThreadPoolExecutor

    files = expand(paths)
    with db.connect(db_path) as con, ThreadPoolExecutor(1) as pool:
        known = con.execute("SELECT sha256, fingerprint FROM cost_files").fetchall()
        batch = _Batch(con, pool, Path(db_path), kind, {r[0] for r in known}, {r[1] for r in known})
        con.execute("BEGIN TRANSACTION")
        try:
            backfill_days(con)
            for path, named in files:
                batch.add(path, named, progress)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            for c in batch.copies:
                c.unlink(missing_ok=True)
    return batch.result


@dataclass
class _Batch:
    """One import's transaction: what it has seen (by content hash and by fingerprint), its
    UTF-8 copies to remove, and the result so far."""

    con: Any
    pool: Any  # hashes a new file's whole content while DuckDB imports it
    db_path: Path
    kind: str | None
    seen: set[str]
    prints: set[str]
    copies: list[Path] = field(default_factory=list)
    result: ImportResult = field(default_factory=ImportResult)

    def skip(self, path: Path, sha: str, reason: str) -> None:
        self.result.files.append(FileResult(str(path), sha, "", 0, skipped=True, reason=reason))

    def add(self, path: Path, named: bool, progress: Callable[[str], None] | None) -> None:
        fp = content_hash(path, FINGERPRINT_BYTES)
        sha, sha_later = "", None
        if fp in self.prints:  # maybe imported before: decide now
            sha = content_hash(path)
            if sha in self.seen:
                return self.skip(path, sha, "imported before")
        else:  # new content for sure: hash it while DuckDB imports it
            sha_later = self.pool.submit(content_hash, path)

        def final_sha() -> str:
            return sha or (sha_later.result() if sha_later else "")

        if progress:
            progress(f"importing {path}")
        src = path
        if not _is_parquet(path) and is_utf16(path):  # Excel's "Unicode text": read as UTF-8
            src = utf8_copy(path, self.db_path.parent)
            self.copies.append(src)
        run = find_run(path)
        manifest = run.manifest if run else None
        if manifest is not None and not manifest.is_cost:
            if named:
                raise CostFileError(str(path), f"is a {manifest.dataset} export ({manifest.path}), not cost")
            return self.skip(path, final_sha(), f"not a cost export ({manifest.dataset})")
        try:
            layout, rel = _source(self.con, src, self.kind)
            layout, basis = settle_kind(self.con, layout, rel, path=str(path), forced=self.kind, manifest=manifest,
                                        file_name=path.name)
        except CostFileError as exc:
            if named or exc.line != 1 or manifest is not None:
                raise
            # a folder of exports may hold other CSV files (price sheets, manifests): say so, go on
            return self.skip(path, final_sha(), "not a cost export")
        self._insert(path, src, layout, rel, basis, run, fp, final_sha)

    def _insert(self, path: Path, src: Path, layout: Any, rel: Any, basis: str, run: ExportRun | None, fp: str,
                final_sha: Callable[[], str]) -> None:
        con = self.con
        file_id = con.execute("SELECT nextval('cost_file_ids')").fetchone()[0]
        sql = select_sql(layout, rel, file_id=file_id)
        try:
            rows = con.execute(f"INSERT INTO cost ({', '.join(TABLE_FIELDS)}, source, file_id) {sql}").fetchone()[0]
        except Exception as exc:  # noqa: BLE001 - any engine error: find the line and say it plainly
            raise _relabel(_explain(src, layout, exc), src, path) from None
        if not rows and _has_data(src):
            raise CostFileError(str(path), "holds data after its header but no row could be read as cost "
                                           "(a line too long, or not CSV)", line=2)
        manifest = run.manifest if run else None
        if manifest is not None:
            check_manifest(manifest, path, rows, layout.columns)
        record_tag_keys(con, file_id)
        sha = final_sha()
        con.execute("INSERT INTO cost_files (id, sha256, path, format, kind, rows, source, imported_at, fingerprint, "
                    "export_key, period, run_id, submitted) VALUES (?, ?, ?, ?, ?, ?, 'exports', ?, ?, ?, ?, ?, ?)",
                    [file_id, sha, str(path), layout.label, layout.kind, rows, datetime.now(timezone.utc).replace(tzinfo=None), fp,
                     *_run_columns(run)])
        settled = settle(con, file_id, str(path), layout.kind, run)
        self.seen.add(sha)
        self.prints.add(fp)
        self.result.files.append(FileResult(str(path), sha, layout.label, 0 if settled.superseded_by else rows,
                                            skipped=bool(settled.superseded_by),
                                            reason=f"an earlier run than {settled.superseded_by}, imported before: not counted"
                                            if settled.superseded_by else "",
                                            dataset_basis=basis, run_basis=run.basis if run else "",
                                            superseded=settled.superseded, superseded_by=settled.superseded_by))


def _run_columns(run: ExportRun | None) -> list[str | None]:
    return [run.export, run.period, run.run, run.submitted or None] if run else [None, None, None, None]


def check_manifest(manifest: Manifest, path: Path, rows: int, columns: tuple[str, ...]) -> None:
    """What the export's manifest says of a file holds: its row count, its columns when listed."""
    if manifest.rows is not None and manifest.rows != rows:
        raise CostFileError(str(path), f"holds {rows} rows, but its manifest {manifest.path} says {manifest.rows}: "
                                       "a file cut short or changed after the export ran")
    if manifest.columns and tuple(c.lower() for c in manifest.columns) != tuple(c.lower() for c in columns):
        missing = [c for c in manifest.columns if c.lower() not in {x.lower() for x in columns}]
        what = f"lacks {', '.join(missing[:5])}" if missing else "has other or reordered columns"
        raise CostFileError(str(path), f"{what}, against the columns its manifest {manifest.path} lists", line=1)


def _has_data(path: Path) -> bool:
    """True when anything but blank lines follows the header (read in bounded blocks)."""
    with open_raw(path) as fh:
        fh.readline(MAX_HEADER + 1)
        while block := fh.read(1 << 16):
            if block.strip():
                return True
    return False


def _relabel(err: CostFileError, src: Path, path: Path) -> CostFileError:
    """An error found in a UTF-8 copy names the operator's file."""
    if src == path:
        return err
    return CostFileError(str(path), err.problem, line=err.line, column=err.column)
