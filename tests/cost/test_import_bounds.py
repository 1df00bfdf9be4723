"""Cost files that would take the import's memory, or that are not UTF-8 (issue 22 items 16, 17):
every read is bounded and each refusal names the file (and the line or limit); nothing is imported.
UTF-16 with a byte order mark (Excel's "Unicode text") is accepted."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from loom_tui.local.cost import db
from loom_tui.local.cost.encoding import MAX_HEADER
from loom_tui.local.cost.errors import CostFileError
from loom_tui.local.cost.importer import import_paths
from tests.support.cli import loom

HEAD = "ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ResourceName\n"


def _rows(dbfile) -> int:
    with db.connect(dbfile) as con:
        return con.execute("SELECT count(*) FROM cost").fetchone()[0]


def test_a_huge_first_line_in_a_small_gzip_is_refused_without_reading_it(tmp_path):
    bomb = tmp_path / "bomb.csv.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:
        for _ in range(64):
            fh.write(b"A" * (1 << 20))  # 64 MiB of one line, ~64 KB on disk
    with pytest.raises(CostFileError) as err:
        import_paths(tmp_path / "c.duckdb", [bomb])
    assert str(err.value).startswith(f"{bomb}: line 1: the first line is longer than {MAX_HEADER:,} bytes")
    assert _rows(tmp_path / "c.duckdb") == 0


def test_a_header_then_an_unreadable_line_is_not_imported_as_zero_rows(tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_text(HEAD + "x" * (8 << 20) + "\n")
    with pytest.raises(CostFileError) as err:
        import_paths(tmp_path / "c.duckdb", [junk])
    assert str(err.value).startswith(f"{junk}:") and "nothing was imported" in str(err.value)
    with db.connect(tmp_path / "c.duckdb") as con:
        assert con.execute("SELECT count(*) FROM cost_files").fetchone()[0] == 0  # not recorded as imported


def test_latin1_is_refused_naming_the_file_and_utf16_with_a_bom_is_read(tmp_path):
    latin = tmp_path / "latin1.csv"
    latin.write_bytes((HEAD + "2026-11-01,1,1,USD,caf\xe9\n").encode("latin-1"))
    with pytest.raises(CostFileError) as err:
        import_paths(tmp_path / "c.duckdb", [latin])
    assert str(err.value).startswith(f"{latin}:") and "not UTF-8" in str(err.value)
    utf16 = tmp_path / "excel.csv"
    utf16.write_bytes((HEAD + "2026-11-01,1.5,1.5,USD,café\n").encode("utf-16"))
    result = import_paths(tmp_path / "c.duckdb", [utf16])
    assert result.rows == 1 and result.files[0].path == str(utf16)
    with db.connect(tmp_path / "c.duckdb") as con:
        assert con.execute("SELECT resource_name, actual FROM cost").fetchone() == ("café", 1.5)
    assert not list(tmp_path.glob(".import-*"))  # the UTF-8 copy is gone


def test_a_damaged_cost_database_is_named_with_how_to_rebuild_it(tmp_path):
    """Issue 22 item 17: not "unexpected error" but the file, and how to rebuild it; exit 1."""
    assert loom("cost", "show").returncode == 0
    path = Path(os.environ["LOOM_DATA_DIR"]) / "cost" / "local.duckdb"
    data = bytearray(path.read_bytes())
    data[:4096] = b"\0" * 4096
    path.write_bytes(bytes(data))
    r = loom("cost", "show")
    assert r.returncode == 1 and "unexpected error" not in r.stderr
    assert f"the cost database {path} cannot be opened" in r.stderr and f"mv {path} {path}.damaged" in r.stderr
