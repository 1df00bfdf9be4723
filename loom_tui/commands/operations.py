"""``loom operations list|show|wait|cancel ID``, and :func:`follow`: what every command that starts
an operation does next (progress lines on stderr until it ends; ``--no-wait`` prints its id once
Azure has accepted it, and a later ``loom`` resumes the polling)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from loom_tui.domain.operation import format_duration as duration
from loom_tui.domain.operation import format_percent as percent

from loom_tui.domain.text import visible
from loom_tui.domain.words import count

from .common import add_json_flag, print_table
from .output import Column, add_limit_alias, emit, output_format, structured

if TYPE_CHECKING:
    from loom_tui.domain.operation import Operation
    from loom_tui.services.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("operations", help="long-running Azure operations: list, show, wait for, cancel")
    osub = p.add_subparsers(dest="operations_command", metavar="ACTION", required=True)

    ls = osub.add_parser("list", help="running operations, then the newest finished ones")
    add_json_flag(ls)
    add_limit_alias(ls)
    ls.set_defaults(handler=do_list)

    sh = osub.add_parser("show", help="one operation: steps, progress, result or ARM's error in full")
    sh.add_argument("id")
    add_json_flag(sh)
    sh.set_defaults(handler=do_show)

    w = osub.add_parser("wait", help="wait for an operation to end, with progress on stderr (resumes one whose process died)")
    w.add_argument("id")
    add_json_flag(w)
    w.set_defaults(handler=do_wait)

    c = osub.add_parser("cancel", help="cancel a running operation (and ask Azure to, where it can)")
    c.add_argument("id")
    add_json_flag(c)
    c.set_defaults(handler=do_cancel)


# ------------------------------------------------------------------ text


def public(op: "Operation") -> dict[str, Any]:
    d = op.to_doc("")
    d.pop("tenantId", None)
    d["elapsedSeconds"] = round(op.elapsed(), 1)
    d["progress"] = op.progress
    if op.problems:  # a corrupt record: what could be read, and what could not ("field: reason")
        d["state"] = "unreadable"
        d["problems"] = list(op.problems)
    return d


def progress_line(op: "Operation") -> str:
    """One plain line: elapsed, kind, state, the current step and its progress."""
    parts = [f"[{duration(op.elapsed())}]", op.kind, op.unreadable or op.state]
    current = next((i for i, s in enumerate(op.steps) if s.state == "running"), None)
    if current is not None:
        s = op.steps[current]
        parts.append(f"step {current + 1}/{len(op.steps)} {s.name}")
        if s.progress is not None:
            parts.append(percent(s.progress))
        if s.message:
            parts.append(f"({s.message})")
    elif op.progress is not None and op.running:
        parts.append(percent(op.progress))
    if op.error:
        parts.append(f"- {op.error.code}: {op.error.message}")
    return visible(" ".join(parts))


def exit_code(op: "Operation") -> int:
    return 0 if op.state == "succeeded" else 1


# ------------------------------------------------------------------ the shared helper


async def follow(ctx: "AppContext", op: "Operation", args: argparse.Namespace) -> int:
    """After a command started ``op``: with ``--no-wait`` print its id once Azure accepted it;
    else progress lines (and throttling waits) on stderr until it ends, then the result."""
    if getattr(args, "no_wait", False):
        op = await ctx.operations.until_polling(op.id)
        print(op.id)
        return 0 if op.state in ("running", "succeeded") else 1
    return await _wait(ctx, op.id, args)


async def _wait(ctx: "AppContext", op_id: str, args: argparse.Namespace) -> int:
    # throttling waits reach stderr through the context every command opens (context_from_args)
    final = None
    async for final in ctx.operations.watch(op_id):
        print(progress_line(final), file=sys.stderr, flush=True)
    assert final is not None
    _show(args, final)
    return exit_code(final)


# ------------------------------------------------------------------ handlers


async def _ctx(args: argparse.Namespace) -> "AppContext":
    from loom_tui.wiring import context_from_args

    return await context_from_args(args)


async def do_list(args: argparse.Namespace) -> int:
    ctx = await _ctx(args)
    try:
        ops = await ctx.operations.recent(args.top or ALL)
    finally:
        await ctx.close()
    emit(args, [public(o) for o in ops], LIST_COLUMNS, footer=count(len(ops), "operation"))
    return 0


ALL = 1_000_000  # "every operation" for the store's query (the list is one page of the tenant's records)
LIST_COLUMNS = [
    Column("id", "id"), Column("kind", "kind"),
    Column("state", "state", show=lambda r: f"unreadable ({'; '.join(r['problems'])})" if r.get("problems") else r["state"]),
    Column("progress", "progress", show=lambda r: percent(r["progress"])),
    Column("elapsedSeconds", "elapsed", show=lambda r: duration(r["elapsedSeconds"])),
    Column("startedAt", "started", show=lambda r: (r["startedAt"] or "")[:19].replace("T", " ")), Column("startedBy", "by"), Column("target", "target"),
]


def _show(args: argparse.Namespace, op: "Operation") -> None:
    """One operation: for people, its fields, steps and the error in full; else the record."""
    if output_format(args) == "table" and not structured(args):
        _print_one(op)
    else:
        emit(args, public(op))


def _print_one(op: "Operation") -> None:
    rows = [["id", op.id], ["kind", op.kind], ["target", op.target], ["state", op.unreadable or op.state], ["progress", percent(op.progress)],
            ["started", op.started_at], ["by", op.started_by], ["elapsed", duration(op.elapsed())]]
    if op.finished_at:
        rows.append(["finished", op.finished_at])
    if op.poll_url:
        rows.append(["polling", op.poll_url])
    print_table(["FIELD", "VALUE"], rows)
    print()
    print_table(["#", "STEP", "STATE", "PROGRESS", "MESSAGE"],
                [[i + 1, s.name, s.state, percent(s.progress), s.message] for i, s in enumerate(op.steps)])
    if op.error:
        print()
        print(f"error: {visible(op.error.code)}" + (f" (HTTP {op.error.status})" if op.error.status else ""))
        for line in op.error.message.splitlines() or [""]:  # in full, one line at a time, control characters made visible
            print("  " + visible(line))


async def do_show(args: argparse.Namespace) -> int:
    ctx = await _ctx(args)
    try:
        op = await ctx.operations.require(args.id)
    finally:
        await ctx.close()
    _show(args, op)
    return 0


async def do_wait(args: argparse.Namespace) -> int:
    ctx = await _ctx(args)
    try:
        return await _wait(ctx, args.id, args)
    finally:
        await ctx.close()


async def do_cancel(args: argparse.Namespace) -> int:
    ctx = await _ctx(args)
    try:
        op = await ctx.operations.cancel(args.id)
        if op.running:  # owned by another process: it cancels at its next heartbeat
            print("cancel requested; the process running it cancels it within a few seconds", file=sys.stderr)
            op = await ctx.operations.wait(args.id)
    finally:
        await ctx.close()
    _show(args, op)
    return 0 if op.state == "cancelled" else 1
