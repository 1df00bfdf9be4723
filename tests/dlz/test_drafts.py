"""Drafts are saved in the store after every step and resume exactly; scoped to the tenant."""

from __future__ import annotations

import pytest

from loom_tui.services.dlz.drafts import DraftService
from loom_tui.errors import ReadOnlyError

from .test_steps import GOOD


async def test_save_resume_list_delete(open_as):
    ctx = await open_as()
    drafts = DraftService(ctx.scoped, ctx.require_writable)
    w = drafts.new()
    w.step, w.answers = "network", GOOD
    await drafts.save(w)
    other = drafts.new()
    other.step = "boundary"
    await drafts.save(other)
    # a new process (context) on the same store resumes the latest unfinished draft
    ctx2 = await open_as()
    again = DraftService(ctx2.scoped, ctx2.require_writable)
    assert (await again.get(w.draft_id)) == w
    assert (await again.latest()).draft_id == other.draft_id
    assert await again.domains_of_others(other.draft_id) == {"supply-chain"}
    await again.delete(other.draft_id)
    assert (await again.latest()) == w
    assert [r.wizard.draft_id for r in await again.list()] == [w.draft_id]


async def test_read_only_refuses_to_save(open_as):
    await open_as()  # read-only mode never creates the store: it must exist
    ro = await open_as(read_only=True)
    with pytest.raises(ReadOnlyError):
        await DraftService(ro.scoped, ro.require_writable).save(DraftService(ro.scoped, ro.require_writable).new())


async def test_drafts_of_another_tenant_are_invisible(open_as, data_dir):
    from loom_tui.config import Profile
    from loom_tui.wiring import open_context

    from ..services.conftest import session_of

    ctx = await open_as()
    d = DraftService(ctx.scoped, ctx.require_writable)
    w = d.new()
    await d.save(w)
    stranger = await open_context(Profile(), data_dir=data_dir, session=session_of("dana.steward", tenant_id="other-tenant", tenant_admin=True))
    try:
        s = DraftService(stranger.scoped, stranger.require_writable)
        assert await s.get(w.draft_id) is None and await s.list() == []
    finally:
        await stranger.close()
