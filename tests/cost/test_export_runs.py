"""Each day's cost counted once, and each file's dataset told (issue 22 item 15, issue 21 item 8).

Cost Management writes a new month-to-date run every day holding every day so far: a later run
replaces an earlier one (told by ``manifest.json``, else the folder layout); files that are not
runs of one export and overlap are refused, naming both.  Actual or amortized comes from the
manifest, else from the rows, else from the name, and the import says which."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from loom_tui.local.cost import db
from loom_tui.local.cost.errors import CostFileError
from loom_tui.local.cost.importer import import_paths
from tests.conftest import shared_fixture

HEAD = "ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,SubAccountId,ResourceId\n"
SUB = "/subscriptions/00000000-0000-0000-0000-0000000000aa"
EXPORT = "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.CostManagement/exports/daily-focus"


def focus(path: Path, days: dict[int, str], sub: str = SUB) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEAD + "".join(f"2025-03-{d:02d}T00:00:00Z,{c},{c},EUR,{sub},{sub}/r/x\n" for d, c in days.items()))
    return path


def manifest(folder: Path, *, dataset: str = "FocusCost", run_id: str, submitted: str, files: dict[str, int],
             columns: list[str] | None = None) -> None:
    """A manifest shaped as Cost Management writes it (exports api 2023-07-01-preview and later)."""
    doc = {"manifestVersion": "2024-03-01", "byteCount": 1, "blobCount": len(files), "dataRowCount": sum(files.values()),
           "exportConfig": {"exportName": "daily-focus", "resourceId": EXPORT, "dataVersion": "1.0r2",
                            "apiVersion": "2023-07-01-preview", "type": dataset, "timeFrame": "MonthToDate", "granularity": "Daily"},
           "deliveryConfig": {"partitionData": True, "dataOverwriteBehavior": "CreateNewReport", "fileFormat": "Csv"},
           "runInfo": {"executionType": "Scheduled", "submittedTime": submitted, "runId": run_id,
                       "startDate": "2025-03-01T00:00:00", "endDate": "2025-03-31T00:00:00"},
           "blobs": [{"blobName": f"exports/daily-focus/20250301-20250331/{run_id}/{name}", "byteCount": 1, "dataRowCount": n}
                     for name, n in files.items()]}
    if columns is not None:
        doc["columns"] = [{"name": c} for c in columns]
    (folder / "manifest.json").write_text(json.dumps(doc))


def run_dir(root: Path, run_id: str) -> Path:
    return root / "exports" / "daily-focus" / "20250301-20250331" / run_id


def total(dbfile: Path, column: str = "actual") -> float:
    with db.connect(dbfile) as con:
        return float(con.execute(f"SELECT coalesce(sum({column}), 0) FROM cost").fetchone()[0])


def test_a_later_run_named_by_its_manifest_replaces_the_earlier_one(tmp_path):
    dbfile = tmp_path / "cost.duckdb"
    one, two = run_dir(tmp_path, "run-1"), run_dir(tmp_path, "run-2")
    p1 = focus(one / "part_0_0001.csv", {1: "100"})
    manifest(one, run_id="run-1", submitted="2025-03-02T06:00:00Z", files={"part_0_0001.csv": 1})
    p2 = focus(two / "part_0_0001.csv", {1: "100", 2: "100"})
    manifest(two, run_id="run-2", submitted="2025-03-03T06:00:00Z", files={"part_0_0001.csv": 2})
    import_paths(dbfile, [p1])
    res = import_paths(dbfile, [p2])
    assert res.files[0].superseded == [f"{p1} (1 rows)"] and res.files[0].run_basis == "manifest.json"
    assert total(dbfile) == 200  # not 300
    again = import_paths(dbfile, [p1])  # the earlier run again: known, not counted
    assert again.files[0].skipped and total(dbfile) == 200


def test_an_earlier_run_imported_after_a_later_one_is_not_counted(tmp_path):
    dbfile = tmp_path / "cost.duckdb"
    one, two = run_dir(tmp_path, "run-1"), run_dir(tmp_path, "run-2")
    focus(one / "part_0_0001.csv", {1: "100"})
    manifest(one, run_id="run-1", submitted="2025-03-02T06:00:00Z", files={"part_0_0001.csv": 1})
    focus(two / "part_0_0001.csv", {1: "100", 2: "100"})
    manifest(two, run_id="run-2", submitted="2025-03-03T06:00:00Z", files={"part_0_0001.csv": 2})
    # a whole export folder, walked: runs come in path order, and the order does not matter
    first = import_paths(dbfile, [two / "part_0_0001.csv"])
    walked = import_paths(dbfile, [tmp_path / "exports"])
    assert first.rows == 2 and total(dbfile) == 200
    late = next(f for f in walked.files if "run-1" in f.path)
    assert late.skipped and late.superseded_by.endswith("run-2/part_0_0001.csv") and "not counted" in late.reason


def test_the_folder_layout_orders_runs_without_a_manifest(tmp_path):
    dbfile = tmp_path / "cost.duckdb"
    period = tmp_path / "exports" / "daily" / "20250301-20250331"
    older = focus(period / "202503020600" / "6f1c" / "part_0_0001.csv", {1: "100", 2: "100"})
    newer = focus(period / "202503030600" / "9a2e" / "part_0_0001.csv", {1: "100", 2: "100", 3: "100"})
    res = import_paths(dbfile, [newer, older])
    assert res.files[0].run_basis == "folder layout"
    assert res.files[1].superseded_by == str(newer) and total(dbfile) == 300


def test_the_parts_of_one_run_all_count(tmp_path):
    dbfile = tmp_path / "cost.duckdb"
    run = run_dir(tmp_path, "run-1")
    parts = [focus(run / "part_0_0001.csv", {1: "10", 2: "10"}), focus(run / "part_1_0001.csv", {1: "5", 2: "5"})]
    manifest(run, run_id="run-1", submitted="2025-03-03T06:00:00Z", files={"part_0_0001.csv": 2, "part_1_0001.csv": 2})
    res = import_paths(dbfile, parts)
    assert res.imported == 2 and total(dbfile) == 30


def test_loose_files_that_overlap_are_refused_naming_both(tmp_path):
    dbfile = tmp_path / "cost.duckdb"
    a = focus(tmp_path / "a.csv", {1: "10", 2: "10"})
    b = focus(tmp_path / "b.csv", {2: "10", 3: "10"})
    other_sub = focus(tmp_path / "c.csv", {2: "10"}, sub="/subscriptions/00000000-0000-0000-0000-0000000000bb")
    import_paths(dbfile, [a, other_sub])  # another subscription on the same day is not an overlap
    with pytest.raises(CostFileError) as err:
        import_paths(dbfile, [b])
    assert str(b) in str(err.value) and str(a) in str(err.value) and "twice" in str(err.value)
    assert total(dbfile) == 30  # nothing of b


def test_microsofts_two_focus_samples_are_the_same_rows_and_are_refused_together(tmp_path):
    # the 51-row sample is the Microsoft rows of the 1,000-row one: counting both doubles them
    folder = tmp_path / "samples"
    folder.mkdir()
    for name in ("focus-1.0-sample-1000.csv", "focus-1.0-sample-microsoft-51.csv"):
        shutil.copy(shared_fixture("cost", name), folder / name)
    with pytest.raises(CostFileError) as err:
        import_paths(tmp_path / "cost.duckdb", [folder])
    assert "focus-1.0-sample-1000.csv" in str(err.value) and "focus-1.0-sample-microsoft-51.csv" in str(err.value)


def test_two_runs_that_cannot_be_ordered_are_refused(tmp_path):
    dbfile = tmp_path / "cost.duckdb"
    period = tmp_path / "exports" / "daily" / "20250301-20250331"
    a = focus(period / "run-a" / "part_0_0001.csv", {1: "1", 2: "1"})
    b = focus(period / "run-b" / "part_0_0001.csv", {2: "1", 3: "1"})
    with pytest.raises(CostFileError) as err:
        import_paths(dbfile, [a, b])
    assert "cannot be told" in str(err.value) and str(a) in str(err.value)
    assert total(dbfile) == 0


def test_the_manifest_row_count_is_checked(tmp_path):
    run = run_dir(tmp_path, "run-1")
    p = focus(run / "part_0_0001.csv", {1: "10", 2: "10"})
    manifest(run, run_id="run-1", submitted="2025-03-03T06:00:00Z", files={"part_0_0001.csv": 3})
    with pytest.raises(CostFileError) as err:
        import_paths(tmp_path / "cost.duckdb", [p])
    assert "holds 2 rows" in str(err.value) and "says 3" in str(err.value)


def test_the_manifest_columns_are_checked_when_listed(tmp_path):
    run = run_dir(tmp_path, "run-1")
    p = focus(run / "part_0_0001.csv", {1: "10"})
    manifest(run, run_id="run-1", submitted="2025-03-03T06:00:00Z", files={"part_0_0001.csv": 1},
             columns=HEAD.strip().split(",") + ["ChargeCategory"])
    with pytest.raises(CostFileError) as err:
        import_paths(tmp_path / "cost.duckdb", [p])
    assert "lacks ChargeCategory" in str(err.value)


def test_a_dataset_that_is_not_cost_is_skipped_in_a_folder_and_refused_by_name(tmp_path):
    run = run_dir(tmp_path, "run-1")
    p = focus(run / "part_0_0001.csv", {1: "10"})
    manifest(run, dataset="PriceSheet", run_id="run-1", submitted="2025-03-03T06:00:00Z", files={"part_0_0001.csv": 1})
    res = import_paths(tmp_path / "cost.duckdb", [tmp_path / "exports"])
    assert res.imported == 0 and res.files[0].reason == "not a cost export (PriceSheet)"
    with pytest.raises(CostFileError, match="PriceSheet"):
        import_paths(tmp_path / "cost.duckdb", [p])


# -- actual or amortized ------------------------------------------------------------------------
def _neutral(tmp_path: Path, fixture: str, name: str = "export.csv") -> Path:
    """A copy of a fixture under a name that says nothing of its dataset."""
    dst = tmp_path / fixture.replace("/", "-") / name
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(shared_fixture("cost", *fixture.split("/")), dst)
    return dst


@pytest.mark.parametrize("fixture, kind, basis", [
    ("finops-toolkit/EA_AmortizedCost_Small.csv", "amortized", "content: usage covered by a reservation or savings plan"),
    ("finops-toolkit/EA_ActualCost_Small.csv", "actual", "content: a reservation or savings-plan purchase carries cost"),
])
def test_actual_or_amortized_is_told_by_the_rows(tmp_path, fixture, kind, basis):
    res = import_paths(tmp_path / "cost.duckdb", [_neutral(tmp_path, fixture)])
    assert res.files[0].format.endswith(kind) and res.files[0].dataset_basis.startswith(basis)
    assert total(tmp_path / "cost.duckdb", kind) > 0 and total(tmp_path / "cost.duckdb", "amortized" if kind == "actual" else "actual") == 0


def test_a_file_whose_rows_say_nothing_is_counted_as_actual_and_the_import_says_so(tmp_path):
    src = _neutral(tmp_path, "finops-toolkit/EA_ActualCost_Small.csv")
    lines = src.read_text().splitlines(keepends=True)
    src.write_text(lines[0] + "".join(ln for ln in lines[1:] if "Purchase" not in ln))
    res = import_paths(tmp_path / "cost.duckdb", [src])
    assert res.files[0].format.endswith("actual") and res.files[0].dataset_basis.startswith("nothing in the file tells")


def test_the_manifest_names_the_dataset_and_type_may_not_contradict_it(tmp_path):
    src = _neutral(tmp_path, "finops-toolkit/EA_ActualCost_Small.csv", "part_0_0001.csv")
    rows = len(src.read_text().splitlines()) - 1
    manifest(src.parent, dataset="AmortizedCost", run_id="r", submitted="2025-03-03T06:00:00Z", files={src.name: rows})
    res = import_paths(tmp_path / "cost.duckdb", [src])
    assert res.files[0].format.endswith("amortized") and res.files[0].dataset_basis == "manifest.json (AmortizedCost)"
    with pytest.raises(CostFileError, match="--type actual, but its manifest"):
        import_paths(tmp_path / "other.duckdb", [src], kind="actual")
    focus_file = focus(tmp_path / "f" / "part_0_0001.csv", {1: "1"})
    manifest(focus_file.parent, dataset="ActualCost", run_id="r2", submitted="2025-03-03T06:00:00Z", files={focus_file.name: 1})
    with pytest.raises(CostFileError, match="has FOCUS columns, but its manifest"):
        import_paths(tmp_path / "third.duckdb", [focus_file])
