"""The one formatter's machine side (issue 24 defects 4 and 5, issue 22 item 2, issue 21 item 9):
-o yaml, --query (JMESPath), --top, rows streamed page by page, bare JSON arrays, CSV cells a
spreadsheet would run as formulas, Decimals printed with every digit."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
from decimal import Decimal

import pytest
import yaml

from loom_tui.commands import output
from loom_tui.commands.output import Column, add_output_args, emit

HOSTILE = "[red]x[/red]\x1b]52;;Zm9v\x1b\\\x9b\u202e\u200b\x7f"
RAW = ("\x1b", "\x9b", "\u202e", "\u200b", "\x7f")


def _args(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    add_output_args(p)
    return p.parse_args(list(argv))


def _emit(argv: tuple[str, ...], data, columns=None, **kw) -> str:
    out = io.StringIO()
    emit(_args(*argv), data, columns, file=out, **kw)
    return out.getvalue()


async def _pages(rows: list[dict], size: int, seen: list[int] | None = None):
    for i in range(0, len(rows), size):
        if seen is not None:
            seen.append(i)
        yield rows[i:i + size]


def _stream(argv: tuple[str, ...], rows: list[dict], columns, size: int = 7, seen=None, **kw) -> str:
    out = io.StringIO()
    asyncio.run(output.emit_pages(_args(*argv), _pages(rows, size, seen), columns, file=out, **kw))
    return out.getvalue()


CAPS = [{"name": "fc-a", "state": "Paused", "sku": "F8"}, {"name": "fc-b", "state": "Active", "sku": "F128"},
        {"name": "fc-c", "state": "Paused", "sku": "F2"}]


def test_yaml_is_a_format_and_round_trips():
    assert "yaml" in output.FORMATS
    text = _emit(("-o", "yaml"), CAPS)
    assert yaml.safe_load(text) == CAPS
    assert yaml.safe_load(_emit(("-o", "yaml"), CAPS[0])) == CAPS[0]


def test_yaml_escapes_hostile_characters_and_round_trips():
    text = _emit(("-o", "yaml"), [{"name": HOSTILE}])
    assert not any(ch in text for ch in RAW), text
    assert yaml.safe_load(text) == [{"name": HOSTILE}]
    shared = [1]
    assert "&id" not in _emit(("-o", "yaml"), [{"a": shared}, {"a": shared}])


def test_query_selects_like_az_and_prints_in_the_chosen_format():
    argv = ("--query", "[?state=='Paused'].name")
    assert _emit((*argv, "-o", "tsv"), CAPS) == "fc-a\nfc-c\n"
    assert json.loads(_emit((*argv, "-o", "json"), CAPS)) == ["fc-a", "fc-c"]
    assert yaml.safe_load(_emit((*argv, "-o", "yaml"), CAPS)) == ["fc-a", "fc-c"]
    table = _emit(argv, CAPS).splitlines()
    assert table[0].strip() == "RESULT" and [x.strip() for x in table[1:]] == ["fc-a", "fc-c"]
    # objects stay rows with their keys as columns
    rows = list(csv.reader(io.StringIO(_emit(("--query", "[?sku=='F128'].{n: name, s: sku}", "-o", "csv"), CAPS))))
    assert rows == [["n", "s"], ["fc-b", "F128"]]
    assert _emit(("--query", "length(@)", "-o", "tsv"), CAPS) == "3\n"


def test_query_reads_the_json_document_not_the_table():
    out = _emit(("--query", "total", "-o", "json"), [{"x": 1}], json={"total": 7, "rows": [{"x": 1}]})
    assert json.loads(out) == 7


def test_a_bad_query_is_a_usage_error():
    with pytest.raises(SystemExit) as exc:
        _args("--query", "[?state=='Paused'")
    assert exc.value.code == 2


def test_top_limits_every_format_and_zero_is_all():
    rows = [{"n": i} for i in range(250)]
    assert len(json.loads(_emit(("-o", "json", "--top", "5"), rows))) == 5
    assert len(_emit(("-o", "csv", "--top", "5"), rows).splitlines()) == 6
    assert len(json.loads(_emit(("-o", "json"), rows))) == 250  # machine formats: everything
    table = _emit((), rows).splitlines()
    assert len(table) == 1 + output.TABLE_PAGE + 1 and "100 of 250" in table[-1]  # a table: one page, said so
    assert len(_emit(("--top", "0"), rows).splitlines()) == 251


def test_machine_formats_stream_every_row_page_by_page():
    rows = [{"id": f"w{i}", "name": f"ws {i}"} for i in range(250)]
    cols = [Column("id"), Column("name")]
    seen: list[int] = []
    assert len(list(csv.reader(io.StringIO(_stream(("-o", "csv"), rows, cols, seen=seen))))) == 251
    assert len(seen) == 36  # read as pages, not one list
    assert json.loads(_stream(("-o", "json"), rows, cols)) == rows  # a bare array, as az prints
    assert yaml.safe_load(_stream(("-o", "yaml"), rows, cols)) == rows
    assert json.loads(_stream(("-o", "json"), [], cols)) == []
    tsv = _stream(("-o", "tsv", "--top", "3"), rows, cols).splitlines()
    assert tsv == ["id\tname", "w0\tws 0", "w1\tws 1", "w2\tws 2"]


def test_a_streamed_top_stops_reading_pages():
    rows = [{"id": i} for i in range(1000)]
    seen: list[int] = []
    _stream(("-o", "json", "--top", "10"), rows, [Column("id")], size=5, seen=seen)
    assert len(seen) == 2


def test_a_streamed_table_shows_a_page_with_the_total():
    rows = [{"id": i} for i in range(3040)]
    text = _stream((), rows, [Column("id")], total=3040, noun="workspaces").splitlines()
    assert len(text) == 1 + output.TABLE_PAGE + 1
    assert "100 of 3,040 workspaces" in text[-1] and "--top" in text[-1]
    assert _stream(("--top", "3"), rows, [Column("id")], total=3040, noun="workspaces").splitlines()[-1] == "3 of 3,040 workspaces"


def test_stream_and_query():
    out = _stream(("--query", "[?sku=='F2'].name", "-o", "tsv"), CAPS, [Column("name")], size=1)
    assert out == "fc-c\n"


# -- issue 22 item 2: spreadsheet formulas ------------------------------------------------------
FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "\uff1dcmd"]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_neutralise_formulas_with_a_leading_quote(fmt):
    rows = [{"name": f, "cost": Decimal("-12.5"), "n": -3, "text": "-7.25"} for f in FORMULAS]
    text = _emit(("-o", fmt), rows)
    parsed = list(csv.reader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t"))
    for line in parsed[1:]:
        assert line[0].startswith("'") or line[0].startswith("\\"), line
        assert not line[0].startswith(("=", "+", "-", "@", "\t", "\r", "\uff1d"))
        assert line[1:] == ["-12.5", "-3", "-7.25"]  # negative numbers stay numbers


def test_formulas_are_neutralised_in_a_streamed_csv_and_in_a_query_result():
    cols = [Column("name")]
    text = _stream(("-o", "csv"), [{"name": "=1+1"}], cols)
    assert text.splitlines()[1] == "'=1+1"
    assert _emit(("--query", "[].name", "-o", "tsv"), [{"name": "@x"}]) == "'@x\n"


def test_json_and_table_keep_the_value_as_it_is():
    assert json.loads(_emit(("-o", "json"), [{"name": "=1+1"}])) == [{"name": "=1+1"}]
    assert "=1+1" in _emit((), [{"name": "=1+1"}])


# -- issue 21 item 9: full precision --------------------------------------------------------------
def test_decimals_keep_every_digit_in_machine_formats_and_two_in_a_table():
    rows = [{"cost": Decimal("0.000011139000")}, {"cost": Decimal("20.05")}, {"cost": Decimal("0.0000000072922557592391990000")}]
    body = json.loads(_emit(("-o", "json"), rows), parse_float=Decimal)
    assert [r["cost"] for r in body] == [Decimal("0.000011139"), Decimal("20.05"), Decimal("0.000000007292255759239199")]
    assert _emit(("-o", "csv"), rows).splitlines()[1:] == ["0.000011139", "20.05", "0.000000007292255759239199"]
    assert yaml.safe_load(_emit(("-o", "yaml"), rows))[1]["cost"] == 20.05
    assert [x.strip() for x in _emit((), rows).splitlines()[1:]] == ["0.00", "20.05", "0.00"]


def test_query_sums_decimals():
    rows = [{"cost": Decimal("0.1")}, {"cost": Decimal("0.2")}]
    assert json.loads(_emit(("--query", "sum([].cost)", "-o", "json"), rows), parse_float=Decimal) == Decimal("0.3")


def test_times_are_iso_8601_in_machine_formats_and_friendly_in_a_table():
    cols = [Column("at", "When", show=lambda r: r["at"][:16].replace("T", " "))]
    rows = [{"at": "2026-11-02T09:30:12.123Z"}]
    assert _emit(("-o", "csv"), rows, cols).splitlines()[1] == "2026-11-02T09:30:12.123Z"
    assert _emit(("-o", "tsv"), rows, cols).splitlines()[1] == "2026-11-02T09:30:12.123Z"
    assert "2026-11-02 09:30" in _emit((), rows, cols)
