"""Issue 22 item 11: one corrupt operation record must not break everyone.  Records are read by one
tolerant parser; a bad ``startedAt``, ``owner: 12345`` or ``steps: null`` shows as "unreadable
(field: reason)" in ``loom operations list`` (and the ``o`` panel: tests/ui), never a crash, and is
never driven (no takeover, no cancel).  A hypothesis test feeds random corruptions to the parser
and every function that shows a record."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loom_tui import paths
from loom_tui.commands.operations import LIST_COLUMNS, progress_line, public
from loom_tui.domain.operation import Operation, OperationError, Step
from loom_tui.screens.operations import COLUMNS, error_text, render_operation
from tests.azure.conftest import lab_context
from tests.azure.test_operations_cli import loom_ops  # noqa: F401  (a fixture)

GOOD = Operation("op-1", "capacity.pause", "/subscriptions/s/resourceGroups/r/providers/Microsoft.Fabric/capacities/c",
                 "ops.admin@contoso-demo.example", "2026-11-27T09:00:00.000Z", steps=(Step("read state", "succeeded", 1.0),
                 Step("pause", "running", 0.4, "InProgress"), Step("confirm")), poll_url="/x/op?api-version=1", poll_step=1,
                 poll_mode="status", poll_kind="fabric", owner="host:1", heartbeat_at=1.0, params={"sku": "F8"},
                 error=OperationError("Code", "message", 409), finished_at=None, updated_at="2026-11-27T09:00:01.000Z")

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)


def show_everywhere(op: Operation) -> None:
    """Every way a record is shown: the panel's columns and detail, the CLI's line, row and JSON."""
    for col in COLUMNS:
        col.render(op)
    render_operation(op)
    error_text(op)
    progress_line(op)
    row = public(op)
    for col in LIST_COLUMNS:
        col.get(row)
    json.dumps(row, default=str)
    op.elapsed()
    _ = op.progress, op.running, op.unreadable


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_corruptions_never_crash_the_parser_or_what_shows_a_record(data) -> None:
    doc = GOOD.to_doc("tid") | {"_etag": "e"}
    keys = data.draw(st.lists(st.sampled_from(sorted(doc) + ["extra"]), min_size=1, max_size=5, unique=True))
    for k in keys:
        if data.draw(st.booleans()):
            doc.pop(k, None)
        else:
            doc[k] = data.draw(JSON)
    if data.draw(st.booleans()) and isinstance(doc.get("steps"), list) and doc["steps"]:
        doc["steps"][0] = data.draw(JSON)
    op = Operation.from_doc(doc)
    show_everywhere(op)
    if op.problems:
        assert op.unreadable.startswith("unreadable (") and all(": " in p for p in op.problems)
    else:  # read whole: what it would store again reads back the same
        assert Operation.from_doc(op.to_doc("tid")) == op


@given(doc=JSON)
def test_a_document_that_is_not_even_an_object(doc) -> None:
    show_everywhere(Operation.from_doc(doc))


@pytest.mark.parametrize("field, value, problem", [
    ("startedAt", "yesterday", "startedAt: not an ISO 8601 time"),
    ("owner", 12345, "owner: not text (int)"),
    ("steps", None, "steps: null"),
    ("steps", [{"name": "x", "state": "exploded"}], "steps[0].state: not a step state"),
    ("pollStep", 7, "pollStep: no such step"),
    ("heartbeatAt", "soon", "heartbeatAt: not a number"),
    ("error", "boom", "error: not an object"),
])
def test_each_bad_field_is_named(field, value, problem) -> None:
    op = Operation.from_doc(GOOD.to_doc("tid") | {field: value})
    assert problem in op.problems and op.unreadable.startswith("unreadable (")
    show_everywhere(op)


def test_a_good_record_reads_whole() -> None:
    op = Operation.from_doc(GOOD.to_doc("tid"))
    assert op == GOOD and op.readable and op.unreadable == ""


async def test_operations_list_shows_corrupt_records_as_unreadable_and_nothing_drives_them(loom_ops) -> None:
    import asyncio

    ctx = await lab_context(paths.data_dir())
    try:
        tid = ctx.scoped.tid
        await ctx.scoped.tenant_upsert("operations", GOOD.to_doc(tid) | {"id": "bad-time", "startedAt": "yesterday", "owner": "gone:1"})
        await ctx.scoped.tenant_upsert("operations", GOOD.to_doc(tid) | {"id": "bad-owner", "owner": 12345})
        await ctx.scoped.tenant_upsert("operations", GOOD.to_doc(tid) | {"id": "bad-steps", "steps": None})
        assert await ctx.operations.resume_orphans() == []  # an unreadable record is never taken over
        with pytest.raises(Exception, match="unreadable"):
            await ctx.operations.cancel("bad-owner")
    finally:
        await ctx.close()
    code, out, err = await asyncio.to_thread(loom_ops, "operations", "list")
    assert code == 0, err
    assert "unreadable (startedAt: not an ISO 8601 time)" in out and "unreadable (owner: not text (int))" in out
    assert "unreadable (steps: null; pollStep: no such step)" in out
    code, out, _ = await asyncio.to_thread(loom_ops, "operations", "list", "-o", "json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["bad-steps"]["state"] == "unreadable" and rows["bad-steps"]["problems"] == ["steps: null", "pollStep: no such step"]
    code, out, _ = await asyncio.to_thread(loom_ops, "operations", "show", "bad-owner")
    assert code == 0 and "unreadable (owner: not text (int))" in out
