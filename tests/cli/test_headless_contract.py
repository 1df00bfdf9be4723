"""What every headless command promises, checked on the real ``loom`` in subprocesses: exit codes,
``-o`` formats with hostile stored text, errors as one JSON object, a closed pipe, global flags
after the subcommand, ``show`` as readable text, the local profile's whoami/login, and unknown
binding ids in ``[keys]``."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LOOM = [sys.executable, "-m", "loom_tui.cli"]
HOSTILE = "Hostile [red]markup[/red] esc\x1b[2J c1\x9b31m rlo\u202eevil zw\u200bx del\x7f tab\tnl\nend"
RAW = ("\x1b", "\x9b", "\u202e", "\u200b", "\x7f", "\t")


from tests.support.cli import loom


def _raw_free(text: str, *, allow_tab: bool = False) -> bool:
    return not any(ch in text for ch in RAW if not (allow_tab and ch == "\t"))


@pytest.fixture
def hostile_ws() -> str:
    """A workspace whose stored name and description hold escape sequences, C1, bidi and zero-width
    characters and markup, as another writer (the web console, a script) could store them."""
    from loom_tui.config import Profile
    from loom_tui.wiring import open_context
    from loom_tui.services.workspaces.service import WorkspaceInput
    from loom_tui.store.port import partition_of

    async def plant() -> str:
        ctx = await open_context(Profile())
        try:
            doc = await ctx.workspaces.create(WorkspaceInput(name="Hostile plant"))
            raw = await ctx.store.get("workspaces", partition_of("workspaces", doc.doc), doc.id)
            raw.update(name=HOSTILE, description=HOSTILE)
            await ctx.store.upsert("workspaces", raw)
            return doc.id
        finally:
            await ctx.close()

    return asyncio.run(plant())


# -- formats ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["table", "json", "yaml", "csv", "tsv", "markdown"])
def test_list_and_show_never_print_raw_control_bidi_or_zero_width_characters(hostile_ws, fmt):
    listed = loom("workspaces", "list", "--limit", "0", "-o", fmt)
    shown = loom("workspaces", "show", hostile_ws, "-o", fmt)
    for r in (listed, shown):
        assert r.returncode == 0, r.stderr
        assert _raw_free(r.stdout, allow_tab=fmt == "tsv"), r.stdout
        assert "[red]markup[/red]" in r.stdout  # markup-looking text stays literal
    if fmt == "json":
        data = json.loads(listed.stdout)
        assert HOSTILE in [w["name"] for w in data]  # JSON keeps the exact string, escaped (a bare array)
        assert json.loads(shown.stdout)["description"] == HOSTILE
        assert "\\u001b" in shown.stdout and "\\u009b" in shown.stdout and "\\u202e" in shown.stdout and "\\u200b" in shown.stdout
    elif fmt == "yaml":  # escapes in double-quoted strings; the exact string comes back
        import yaml

        assert HOSTILE in [w["name"] for w in yaml.safe_load(listed.stdout)]
        assert yaml.safe_load(shown.stdout)["description"] == HOSTILE
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(listed.stdout)))
        assert rows[0][:2] == ["name", "domain"] and len(rows) == 42  # header + 41 workspaces, one line each
    elif fmt == "tsv":
        lines = listed.stdout.splitlines()
        assert len(lines) == 42 and len({len(line.split("\t")) for line in lines}) == 1
    else:
        assert "\\x1b[2J" in shown.stdout and "\\u202e" in shown.stdout and "\\n" in shown.stdout


def test_show_prints_key_value_lines_not_a_python_dict(hostile_ws):
    r = loom("workspaces", "show", hostile_ws)
    lines = r.stdout.splitlines()
    assert lines[0] == f"id:                 {hostile_ws}"
    assert any(line.startswith("name:               Hostile [red]markup[/red] esc\\x1b[2J") for line in lines)
    assert "{'" not in r.stdout and "FIELD" not in r.stdout
    cloud = loom("cloud", "show", "AzureCloud")
    assert cloud.returncode == 0 and "ARM endpoint:" in cloud.stdout and "{'" not in cloud.stdout
    assert json.loads(loom("cloud", "show", "AzureCloud", "-o", "json").stdout)["name"] == "AzureCloud"


@pytest.mark.parametrize("argv", [
    ["workspaces", "list", "--limit", "2"],
    ["cloud", "list"],
    ["cloud", "show", "AzureUSGovernment"],
    ["profile", "list"],
    ["profile", "show"],
    ["whoami"],
    ["doctor", "--timeout", "0.2"],
])
def test_every_data_command_takes_o_json_and_o_csv(argv):
    r = loom(*argv, "-o", "json")
    assert r.returncode in (0, 1), r.stderr  # doctor may find failures offline
    json.loads(r.stdout)
    r = loom(*argv, "-o", "csv")
    assert r.returncode in (0, 1), r.stderr
    assert len(list(csv.reader(io.StringIO(r.stdout)))) >= 2


def test_item_and_member_lists_take_every_format():
    ws = json.loads(loom("workspaces", "list", "--mine", "--limit", "1", "-o", "json").stdout)[0]["id"]
    for fmt in ("csv", "tsv", "markdown"):
        items = loom("items", "list", ws, "--limit", "3", "-o", fmt)
        members = loom("members", "list", ws, "-o", fmt)
        assert items.returncode == members.returncode == 0
        assert len(items.stdout.splitlines()) == 4 + (fmt == "markdown")
    assert json.loads(loom("seed", "--json").stdout)["workspaces"] >= 0


# -- exit codes and errors -------------------------------------------------------------------
def _json_error(r: subprocess.CompletedProcess) -> dict:
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr  # ONE object
    return json.loads(lines[0])["error"]


def test_exit_codes_not_found_refused_conflict_usage():
    assert loom("workspaces", "list").returncode == 0
    nf = loom("workspaces", "show", "no-such-workspace", "-o", "json")
    assert nf.returncode == 3 and nf.stdout == "" and _json_error(nf)["code"] == "not-found"
    assert loom("items", "list", "no-such-workspace").returncode == 3
    assert loom("cloud", "show", "NoSuchCloud").returncode == 3
    assert loom("--profile", "nope", "workspaces", "list").returncode == 3
    ro = loom("--read-only", "workspaces", "create", "--name", "never", "-o", "json")
    assert ro.returncode == 4 and _json_error(ro) == {"code": "read-only", "message": "read-only mode: creating a workspace is not allowed"}
    assert loom("workspaces", "create", "--name", "Twice").returncode == 0
    dup = loom("workspaces", "create", "--name", "twice", "--json")
    assert dup.returncode == 5 and _json_error(dup)["code"] == "conflict"
    bad = loom("workspaces", "list", "--limit", "-1", "-o", "json")
    assert bad.returncode == 2 and _json_error(bad)["code"] == "usage"
    assert loom("workspaces", "create", "--name", "bad\x1b[31m").returncode == 2


def test_argparse_errors_exit_2_and_are_one_json_object_under_o_json():
    plain = loom("workspaces", "list", "--no-such-flag")
    assert plain.returncode == 2 and "unrecognized arguments: --no-such-flag" in plain.stderr
    as_json = loom("workspaces", "list", "--no-such-flag", "-o", "json")
    assert as_json.returncode == 2 and "unrecognized arguments" in _json_error(as_json)["message"]
    assert loom("workspaces", "list", "-o", "xml").returncode == 2


def test_an_error_with_hostile_text_is_escaped_in_both_error_formats():
    for extra in ([], ["-o", "json"]):
        r = loom("workspaces", "show", "nope\x1b]52;c;cm0gLXJmIH4=\x07\u202e", *extra)
        assert r.returncode == 3 and _raw_free(r.stderr) and "\x07" not in r.stderr


# -- global flags after the subcommand -------------------------------------------------------
def test_global_flags_work_after_the_subcommand(tmp_path):
    loom("workspaces", "list")  # the store exists: read-only mode never creates it
    ro = loom("workspaces", "create", "--name", "after", "--read-only")
    assert ro.returncode == 4 and "read-only" in ro.stderr
    other = tmp_path / "other-store"
    made = loom("workspaces", "create", "--name", "Only Here", "--data-dir", str(other), "--json")
    assert made.returncode == 0, made.stderr
    assert "Only Here" in loom("workspaces", "list", "--search", "Only Here", "--data-dir", str(other)).stdout
    assert "0 of 0 workspaces" in loom("workspaces", "list", "--search", "Only Here").stdout  # not in the default store
    assert loom("workspaces", "list", "--profile", "nope").returncode == 3
    assert loom("workspaces", "list", "--limit", "1", "--log-level", "debug").returncode == 0
    # the value before the subcommand is kept when the flag is not repeated after it
    assert loom("--data-dir", str(other), "workspaces", "list", "--search", "Only Here").stdout.count("Only Here") == 1


# -- a closed pipe ---------------------------------------------------------------------------
def test_a_closed_pipe_ends_quietly(tmp_path):
    env = os.environ.copy()
    assert loom("seed", "--workspaces", "1500", env=env).returncode == 0
    err = tmp_path / "err.txt"
    cmd = " ".join(f"'{a}'" for a in LOOM)
    for fmt in ("table", "json"):
        r = subprocess.run(["bash", "-c", f"{cmd} workspaces list --limit 0 -o {fmt} 2>'{err}' | head -1; echo \"status ${{PIPESTATUS[0]}}\""],
                           capture_output=True, text=True, env=env, timeout=120)
        out = r.stdout.splitlines()
        assert len(out) == 2 and out[1] in ("status 141", "status 0"), r.stdout
        assert err.read_text() == "", err.read_text()  # no traceback, no "Exception ignored"


# -- the local profile -----------------------------------------------------------------------
def test_whoami_and_login_on_the_local_profile():
    who = loom("whoami")
    assert who.returncode == 0, who.stderr
    assert "upn:" in who.stdout and "ops.admin@contoso-demo.example" in who.stdout and "not signed in" not in who.stdout + who.stderr
    assert json.loads(loom("whoami", "-o", "json").stdout)["profile"] == "local"
    login = loom("login")
    assert login.returncode == 0 and "needs no sign-in" in login.stdout and "microsoftonline" not in login.stdout + login.stderr
    assert "nothing to sign out" in loom("logout").stdout


# -- [keys] with an unknown binding id -------------------------------------------------------
def test_an_unknown_binding_id_is_a_warning_headless_and_in_doctor(tmp_path):
    cfg = Path(os.environ["LOOM_CONFIG"])
    cfg.write_text('[keys]\n"ws.nwe" = "ctrl+n"\n"ws.new" = "n"\n')
    r = loom("workspaces", "list", "--limit", "1")
    assert r.returncode == 0
    assert "warning" in r.stderr and "'ws.nwe'" in r.stderr and "'ws.new'" not in r.stderr
    j = loom("workspaces", "list", "--limit", "1", "-o", "json")
    assert json.loads(j.stderr)["warning"]["code"] == "unknown-binding"
    doc = json.loads(loom("doctor", "--timeout", "0.2", "-o", "json").stdout)
    keys = [c for c in doc["checks"] if c["name"] == "keys"]
    assert keys and keys[0]["status"] == "WARN" and "ws.nwe" in keys[0]["detail"]
    text = loom("doctor", "--timeout", "0.2").stdout
    assert any(line.startswith("WARN") and "config: keys" in line for line in text.splitlines())
