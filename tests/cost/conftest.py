"""Cost tests: the demo tenant (as the service tests) with today pinned, so the generated cost
(90 days ending yesterday) and every view are the same on every run."""

from __future__ import annotations

import pytest

from tests.services.conftest import ctx, data_dir, open_as  # noqa: F401  (fixtures)

TODAY = "2026-11-20"  # keep in step with TODAY in the tests


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOM_DEMO_TODAY", TODAY)


@pytest.fixture
async def cost(ctx):  # noqa: F811
    await ctx.cost.ensure_seeded()
    return ctx.cost
