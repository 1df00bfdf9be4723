"""``loom operations list|show|wait|cancel`` and the ``follow`` helper of every command that starts
an operation (progress on stderr and wait; ``--no-wait`` prints the id)."""

from __future__ import annotations

import argparse
import json

import pytest

from loom_tui import paths
from loom_tui.commands.operations import follow
from tests.azure.conftest import lab_context
from tests.azure.test_operations import LINK, arm_ops, link_and_deploy  # noqa: F401  (arm_ops is a fixture)


@pytest.fixture
def loom_ops(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    from loom_tui import cli

    monkeypatch.setattr(cli, "COMMAND_MODULES", ("operations",))

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


async def finished_ops(server) -> tuple[str, str]:
    """One succeeded and one failed operation in the local profile's store (the demo tenant)."""
    server.lro_polls = 1
    ctx = await lab_context(paths.data_dir(), server)
    try:
        ok = await ctx.operations.start("test.dlz", LINK, steps=["link", "deploy"], run=link_and_deploy)

        async def bad(handle):
            await handle.begin("call", "PUT", "/subscriptions/s/providers/Microsoft.Nothing/x/\x1b[31mred", "2024-01-01", json={})

        failed = await ctx.operations.start("test.bad", "t", steps=["call"], run=bad)
        await ctx.operations.wait(ok.id)
        await ctx.operations.wait(failed.id)
    finally:
        await ctx.close()
    return ok.id, failed.id


async def test_list_show_and_wait(arm_ops, loom_ops) -> None:
    ok, failed = await finished_ops(arm_ops)
    code, out, _ = await _in_thread(loom_ops, "operations", "list")
    assert code == 0 and ok in out and failed in out and "2 operations" in out
    assert "succeeded" in out and "failed" in out

    code, out, _ = await _in_thread(loom_ops, "operations", "show", failed)
    assert code == 0 and "NotFoundInTestServer" in out and "(HTTP 404)" in out
    assert "\x1b" not in out and "\\x1b[31mred" in out  # ARM's text in full, the escape made visible

    code, out, err = await _in_thread(loom_ops, "operations", "wait", ok, "--json")
    assert code == 0 and json.loads(out)["state"] == "succeeded"
    assert "test.dlz succeeded" in err  # the progress line on stderr

    code, _, err = await _in_thread(loom_ops, "operations", "wait", failed)
    assert code == 1 and "NotFoundInTestServer" in err

    code, _, err = await _in_thread(loom_ops, "operations", "show", "nope")
    assert code != 0 and "no operation 'nope'" in err


async def test_follow_waits_with_progress_on_stderr(arm_ops, tmp_path, capsys) -> None:
    arm_ops.lro_polls = 3
    ctx = await lab_context(tmp_path / "db", arm_ops)
    try:
        await ctx.azure()
        op = await ctx.operations.start("test.dlz", LINK, steps=["link", "deploy"], run=link_and_deploy)
        code = await follow(ctx, op, argparse.Namespace(no_wait=False, output="table"))
    finally:
        await ctx.close()
    out, err = capsys.readouterr()
    assert code == 0
    lines = err.splitlines()
    assert lines[0].startswith("[0s] test.dlz running") and lines[-1].startswith("[") and "test.dlz succeeded" in lines[-1]
    assert any("step 1/2 link" in line for line in lines) and any("step 2/2 deploy" in line for line in lines)
    assert "state" in out and "succeeded" in out


async def test_no_wait_prints_the_id_once_azure_accepted_it(arm_ops, tmp_path, capsys) -> None:
    arm_ops.lro_polls = 10_000
    ctx = await lab_context(tmp_path / "db", arm_ops)
    try:
        op = await ctx.operations.start("test.slow", LINK, steps=["link"],
                                        run=lambda h: h.begin("link", "PUT", LINK, "2024-06-01", json={}))
        code = await follow(ctx, op, argparse.Namespace(no_wait=True, output="table"))
        left = await ctx.operations.require(op.id)
    finally:
        await ctx.close()
    out, _ = capsys.readouterr()
    assert code == 0 and out.strip() == op.id
    assert left.running and left.poll_url  # accepted by Azure; a later loom resumes the polling


async def _in_thread(run, *argv):
    """``loom`` calls asyncio.run itself: run it off this test's loop."""
    import asyncio

    return await asyncio.to_thread(run, *argv)
