"""Which run of which Cost Management export a file is: from ``manifest.json``, else the folder.

Cost Management writes every run of an export into a folder of its own, with a ``manifest.json``
beside the files (exports API 2023-07-01-preview and later)::

    {root}/{export-name}/{YYYYMMDD-YYYYMMDD}/{export-time: yyyyMMddHHmm}/{run guid}/part_0_0001.csv
                                                                                 /manifest.json

The manifest names the export (``exportConfig.resourceId``, ``exportName``), its dataset
(``exportConfig.type``: ``ActualCost``, ``AmortizedCost``, ``FocusCost``, or a dataset that is
not cost, such as ``PriceSheet``), the run (``runInfo.runId``, ``submittedTime``, ``startDate``,
``endDate``) and each file with its row count (``blobs[].blobName``, ``dataRowCount``).  Without
a manifest the folder layout says as much: the ``YYYYMMDD-YYYYMMDD`` folder is the period, the
folder before it the export, the folders after it the run (the first one, when it is
``yyyyMMddHHmm``, the time it ran).  A loose file has no run: :func:`find_run` answers None.

A month-to-date export writes a new run every day holding every day so far, so two runs of one
export and period must never both count: the importer keeps the later one (``supersede``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CostFileError

MANIFEST = "manifest.json"
MAX_MANIFEST = 16 << 20  # a manifest lists one entry per file: far below this
PERIOD = re.compile(r"^(\d{8})-(\d{8})$")
RUN_TIME = re.compile(r"^\d{12}$")  # yyyyMMddHHmm
# exportConfig.type -> the importer's kind (None: FOCUS rows carry both costs)
COST_DATASETS = {"actualcost": "actual", "amortizedcost": "amortized", "focuscost": None}


@dataclass(frozen=True)
class Manifest:
    path: str
    dataset: str  # exportConfig.type as written
    rows: int | None  # this file's dataRowCount, when the manifest gives it
    columns: tuple[str, ...] = ()  # when the manifest lists them (not every api-version does)

    @property
    def is_cost(self) -> bool:
        return self.dataset.lower() in COST_DATASETS

    @property
    def kind(self) -> str | None:
        return COST_DATASETS.get(self.dataset.lower())


@dataclass(frozen=True)
class ExportRun:
    export: str  # the export: its resource id (manifest) or the folder that holds its runs
    period: str  # the period it covers, as the folder or runInfo writes it
    run: str  # the run: runInfo.runId or the run's folder
    submitted: str  # when it ran, sortable ("" when neither the manifest nor the folder says)
    basis: str  # "manifest.json" | "folder layout"
    manifest: Manifest | None = None

    def same_export(self, other: "ExportRun") -> bool:
        return self.export == other.export and self.period == other.period


def find_run(path: Path) -> ExportRun | None:
    """The export run ``path`` belongs to; None for a file outside any export's layout."""
    found = _from_manifest(path)
    return found if found is not None else _from_folders(path)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _from_manifest(path: Path) -> ExportRun | None:
    mf = path.parent / MANIFEST
    if not mf.is_file():
        return None
    doc = _read_manifest(mf)
    blobs = _list(doc.get("blobs"))
    entry = next((b for b in blobs if isinstance(b, dict) and _names(b.get("blobName"), path.name)), None)
    if entry is None:
        return None  # the manifest does not describe this file: the folder may still say
    config = _dict(doc.get("exportConfig"))
    info = _dict(doc.get("runInfo"))
    dataset = _text(config.get("type"))
    if not dataset:
        raise CostFileError(str(mf), "names no dataset (exportConfig.type)")
    rows = entry.get("dataRowCount")
    cols = _list(doc.get("columns"))
    manifest = Manifest(str(mf), dataset, rows if isinstance(rows, int) and not isinstance(rows, bool) else None,
                        tuple(_text(c.get("name") if isinstance(c, dict) else c) for c in cols))
    export = (_text(config.get("resourceId")) or _text(config.get("exportName"))).lower()
    period = f"{_text(info.get('startDate'))[:10]}..{_text(info.get('endDate'))[:10]}"
    run = _text(info.get("runId")) or str(path.parent)
    return ExportRun(export or str(path.parent.parent), period, run, _sortable(_text(info.get("submittedTime"))), "manifest.json",
                     manifest)


def _from_folders(path: Path) -> ExportRun | None:
    parts = path.parts[:-1]
    for i in range(len(parts) - 1, 0, -1):
        m = PERIOD.match(parts[i])
        if not m:
            continue
        after = parts[i + 1:]
        run = "/".join(after) if after else path.name  # older exports: one file per run in the period folder
        submitted = _sortable(after[0]) if after and RUN_TIME.match(after[0]) else ""
        return ExportRun(str(Path(*parts[:i])), f"{m[1]}..{m[2]}", run, submitted, "folder layout")
    return None


def _read_manifest(mf: Path) -> dict[str, Any]:
    try:
        size = mf.stat().st_size
        if size > MAX_MANIFEST:
            raise CostFileError(str(mf), f"is {size} bytes, over the {MAX_MANIFEST} a manifest may be")
        doc = json.loads(mf.read_bytes().decode("utf-8-sig"))
    except CostFileError:
        raise
    except (OSError, UnicodeDecodeError, RecursionError, ValueError) as exc:
        raise CostFileError(str(mf), f"is not a readable export manifest ({type(exc).__name__}: {str(exc)[:120]})") from None
    if not isinstance(doc, dict):
        raise CostFileError(str(mf), "is not an export manifest (not a JSON object)")
    return doc


def _names(blob_name: Any, file_name: str) -> bool:
    return isinstance(blob_name, str) and blob_name.replace("\\", "/").rsplit("/", 1)[-1] == file_name


def _sortable(when: str) -> str:
    """``2025-03-02T12:00:05.1Z`` and ``202503021200`` alike as ``yyyyMMddHHmmss`` digits."""
    digits = re.sub(r"\D", "", when)[:14]
    return digits.ljust(14, "0") if len(digits) >= 8 else ""


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
