"""Name uniqueness does not tell a user which workspaces exist that they cannot see."""

from __future__ import annotations

import pytest

from loom_tui.services.errors import ValidationError
from loom_tui.services.workspaces.service import WorkspaceInput


async def test_an_invisible_name_is_unavailable_without_confirming_it(open_as) -> None:
    owner = await open_as("lee.engineer")
    await owner.workspaces.create(WorkspaceInput(name="Secret Merger Plans"))
    outsider = await open_as("mo.contractor")
    with pytest.raises(ValidationError) as err:
        await outsider.workspaces.create(WorkspaceInput(name="secret merger plans"))
    assert "unavailable" in str(err.value)
    assert "exists" not in str(err.value) and "Secret Merger" not in str(err.value)
    mine = await outsider.workspaces.create(WorkspaceInput(name="Mo's own"))
    with pytest.raises(ValidationError, match="unavailable"):
        await outsider.workspaces.update(mine.id, {"name": "SECRET MERGER PLANS"}, etag=None)
    # who can see the holder is told plainly
    with pytest.raises(ValidationError, match="already exists"):
        await owner.workspaces.create(WorkspaceInput(name="secret merger plans"))
