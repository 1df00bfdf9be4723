"""The one output module of the headless commands: every format, hostile strings, errors, exit codes."""

from __future__ import annotations

import argparse
import csv
import io
import json

import pytest

from loom_tui import errors
from loom_tui.commands.output import FORMATS, Column, add_output_args, emit, json_text, report_error, wants_json
from loom_tui.config import ConfigError, UnknownProfile
from loom_tui.store import errors as store_errors

HOSTILE = "[red]markup[/red]\x1b[2J\x9b\u202e\u200b\x7f\x07a\nb"
RAW = ("\x1b", "\x9b", "\u202e", "\u200b", "\x7f", "\x07")


def _args(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    add_output_args(p)
    return p.parse_args(list(argv))


def _emit(fmt: str, data, columns=None, **kw) -> str:
    out = io.StringIO()
    emit(_args("-o", fmt), data, columns, file=out, **kw)
    return out.getvalue()


ROWS = [{"name": HOSTILE, "n": 3, "tags": ["a", "b"]}, {"name": "plain, with comma", "n": None, "tags": []}]
COLS = [Column("name", "Name"), Column("n", "Count"), Column("tags", "Tags")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_carries_a_raw_control_bidi_or_zero_width_character(fmt):
    for data in (ROWS, ROWS[0]):
        text = _emit(fmt, data, COLS)
        assert not any(ch in text for ch in RAW), (fmt, text)
        assert "[red]markup[/red]" in text  # markup is literal text, never rendered nor stripped
        # the only newlines are the format's own line ends
        assert "nl\nend" not in text


def test_json_escapes_hostile_characters_as_u_escapes_and_round_trips():
    text = _emit("json", ROWS, COLS)
    for ch in RAW:
        assert f"\\u{ord(ch):04x}" in text
    assert json.loads(text) == ROWS  # the same strings come back


def test_json_escapes_astral_format_characters_as_surrogate_pairs():
    tag = "\U000e0041"  # TAG LATIN CAPITAL LETTER A: invisible
    assert json_text(tag) == '"\\udb40\\udc41"'
    assert json.loads(json_text(tag)) == tag


def test_table_shows_visible_escapes_and_cuts_long_cells():
    text = _emit("table", ROWS + [{"name": "x" * 200}], COLS, footer="3 rows")
    lines = text.splitlines()
    assert lines[0].split() == ["NAME", "COUNT", "TAGS"]
    assert "\\x1b[2J" in text and "\\x9b" in text and "\\u202e" in text and "\\u200b" in text and "\\n" in text
    assert "x" * 59 + "…" in text and "x" * 60 not in text
    assert lines[-1] == "3 rows"


def test_csv_and_tsv_parse_back_to_one_row_per_record():
    rows = list(csv.reader(io.StringIO(_emit("csv", ROWS, COLS))))
    assert rows[0] == ["name", "n", "tags"]
    assert rows[2] == ["plain, with comma", "", ""]
    assert rows[1][0].startswith("[red]markup[/red]\\x1b[2J") and rows[1][2] == "a, b"
    tsv = _emit("tsv", ROWS, COLS).splitlines()
    assert len(tsv) == 3 and all(len(line.split("\t")) == 3 for line in tsv)


def test_markdown_escapes_pipes():
    text = _emit("markdown", [{"name": "a|b"}], [Column("name", "Name")])
    assert text.splitlines() == ["| Name |", "|---|", "| a\\|b |"]


def test_a_record_prints_key_value_lines_in_a_table_and_an_object_in_json():
    rec = {"id": "w1", "name": HOSTILE, "capacity": None, "members": ["a", "b"]}
    text = _emit("table", rec)
    assert text.splitlines()[0] == "id:       w1"
    assert "capacity:" in text and "members:  a, b" in text
    assert "{" not in text and "'" not in text  # not a Python dict
    assert json.loads(_emit("json", rec)) == rec
    assert _emit("table", rec, message="created workspace w1") == "created workspace w1\n"


def test_json_synonym_and_default():
    assert _args().output == "table"
    assert _args("--json").output == "json"
    assert _args("-o", "csv").output == "csv"
    assert wants_json(["workspaces", "list", "-o", "json"]) and wants_json(["--json"]) and wants_json(["--output=json"])
    assert not wants_json(["workspaces", "list", "-o", "csv"])


@pytest.mark.parametrize("exc, code, status", [
    (errors.ValidationError("name", "is required"), "invalid", 2),
    (errors.UsageError("--limit must not be negative"), "usage", 2),
    (errors.NotFoundError("no workspace 'x'"), "not-found", 3),
    (errors.ReadOnlyError("deleting"), "read-only", 4),
    (errors.Forbidden("viewers cannot"), "forbidden", 4),
    (errors.ConflictError("taken"), "conflict", 5),
    (errors.EditConflict({}, None), "edit-conflict", 5),
    (store_errors.NotFound("items", "x"), "not-found", 3),
    (store_errors.PreconditionFailed("items", "x"), "edit-conflict", 5),
    (store_errors.StoreUnavailable("down"), "store-unavailable", 1),
    (ConfigError("f.toml", "profiles", "must be a table"), "config", 2),
    (UnknownProfile("f.toml", "--profile", "no profile named 'x'"), "not-found", 3),
    (RuntimeError("boom"), "error", 1),
])
def test_every_error_maps_to_one_code_and_exit_status(capsys, exc, code, status):
    assert errors.exit_code_for(exc) == status
    assert report_error("json", exc) == status
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert json.loads(err) == {"error": {"code": code, "message": str(exc)}}
    assert report_error("table", exc) == status
    assert capsys.readouterr().err == "loom: " + str(exc) + "\n"


def test_an_error_message_never_carries_raw_control_characters(capsys):
    report_error("json", errors.NotFoundError(HOSTILE))
    report_error("table", errors.NotFoundError(HOSTILE))
    err = capsys.readouterr().err
    assert not any(ch in err for ch in RAW)
    assert len(err.splitlines()) == 2


# commands that print no data (or a one-off bootstrap line of their own): the only leaves without -o
NO_OUTPUT = {"loom dlz export", "loom demo-azure serve", "loom demo-azure reset"}


def _leaves():
    from loom_tui.cli import _subparsers, build_parser

    return [c for c in _subparsers(build_parser()) if c._defaults.get("handler")]


def test_every_command_takes_the_global_flags_and_o():
    leaves = _leaves()
    assert len(leaves) > 30
    for leaf in leaves:
        opts = set(leaf._option_string_actions)
        assert {"--profile", "--data-dir", "--read-only", "--log-level"} <= opts, leaf.prog
        if leaf.prog not in NO_OUTPUT:
            assert {"-o", "--json"} <= opts, f"{leaf.prog}: use add_output_args (loom_tui/commands/output.py)"


def test_a_flag_after_the_subcommand_keeps_the_one_before_when_not_repeated():
    from loom_tui.cli import build_parser

    args = build_parser().parse_args(["--profile", "p1", "--data-dir", "/d", "workspaces", "list", "--read-only"])
    assert (args.profile, args.data_dir, args.read_only, args.output) == ("p1", "/d", True, "table")
    args = build_parser().parse_args(["--profile", "p1", "workspaces", "list", "--profile", "p2", "--json"])
    assert (args.profile, args.output) == ("p2", "json")
