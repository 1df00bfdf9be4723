"""Issue 22 item 3: cancel follows the role that may start that kind of operation; a viewer sees the
operations on what they may see, without the URLs loom polls; a cancelled record never claims that
Azure stopped."""

from __future__ import annotations

import asyncio
import re

import pytest

from loom_tui.errors import Forbidden
from tests.capacity.test_lro_shapes import find
from tests.services.conftest import session_of

pytestmark = pytest.mark.asyncio


async def long_pause(ctx, demo, name: str = "fccsaloomfinance"):
    r = await find(ctx, name)
    demo.state.set_action_time("fabric.suspend", 30.0, target=r.id)  # long enough to be cancelled while Azure pauses
    op = await ctx.capacity.start_set_running(r, False)
    op = await ctx.operations.until_polling(op.id)
    return r, op


async def test_a_viewer_cannot_cancel_an_admins_pause_and_sees_it_without_poll_urls(open_ctx, demo, tmp_path):
    admin = await open_ctx()
    r, op = await long_pause(admin, demo)
    viewer = await open_ctx(session=session_of("ravi.viewer"))
    with pytest.raises(Forbidden, match="only tenant admins may cancel capacity.pause"):
        await viewer.operations.cancel(op.id)
    seen = await viewer.operations.get(op.id)
    assert seen.running and seen.poll_url is None and seen.cancel_url is None and seen.owner is None
    assert op.id in [o.id for o in await viewer.operations.recent()]
    whole = await admin.operations.get(op.id)
    assert whole.poll_url and not whole.cancel_requested  # the viewer changed nothing

    from loom_tui import cli

    code = await asyncio.to_thread(cli.main, ["--as", "viewer", "--data-dir", str(tmp_path / "store"), "operations", "cancel", op.id])
    assert code == 4  # refused
    code = await asyncio.to_thread(cli.main, ["--as", "viewer", "--data-dir", str(tmp_path / "store"), "operations", "show", op.id, "-o", "json"])
    assert code == 0
    assert not (await admin.operations.get(op.id)).cancel_requested


async def test_a_cancelled_record_never_claims_azure_stopped(open_ctx, demo):
    admin = await open_ctx()
    r, op = await long_pause(admin, demo)
    final = await admin.operations.cancel(op.id)
    assert final.state == "cancelled"
    text = final.error.message
    assert "loom stopped following it" in text and "may still finish it" in text
    assert not re.search(r"\bAzure (stopped|cancelled|canceled)\b", text)
    assert final.steps[1].state == "cancelled" and final.steps[1].message == "loom stopped following it; Azure may still finish it"
    assert demo.state.get(r.id)["properties"]["state"] == "Pausing"  # Azure carries on, as the record says it may


async def test_a_kind_without_a_loom_role_is_cancelled_by_its_starter_or_a_tenant_admin(open_ctx):
    async def forever(handle):
        await asyncio.Event().wait()

    lee = await open_ctx(session=session_of("lee.engineer"))
    op = await lee.operations.start("dlz.deploy", "shipping", steps=["permissions"], run=forever)
    ravi = await open_ctx(session=session_of("ravi.viewer"))
    with pytest.raises(Forbidden, match="or a tenant admin may cancel"):
        await ravi.operations.cancel(op.id)
    done = await lee.operations.cancel(op.id)
    assert done.state == "cancelled"
