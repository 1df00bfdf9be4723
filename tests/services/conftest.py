"""Service tests run on the embedded store, seeded with the demo tenant.

``ctx`` is the demo tenant admin (ops.admin).  ``open_as`` opens more contexts on the same store
for other demo users (or read-only), and ``team`` is a fresh workspace created by a *non*-admin
user with one member of every role — so role rules are tested on known bindings, not on the
random ones of the seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from loom_tui.config import Profile
from loom_tui.domain.session import Session
from loom_tui.local.demo import DEMO_DOMAIN, DEMO_TENANT, DEMO_USERS
from loom_tui.services.audit import AuditService
from loom_tui.services.context import AppContext
from loom_tui.wiring import open_context
from loom_tui.domain.workspace import Workspace
from loom_tui.services.workspaces.service import WorkspaceInput

USERS = {alias: (oid, name) for oid, alias, name in DEMO_USERS}


def upn(alias: str) -> str:
    return f"{alias}@{DEMO_DOMAIN}"


def session_of(alias: str, *, tenant_admin: bool = False, tenant_id: str = DEMO_TENANT) -> Session:
    oid, name = USERS[alias]
    return Session(tenant_id=tenant_id, user_oid=oid, upn=upn(alias), display_name=name, is_tenant_admin=tenant_admin, source="test")


@pytest.fixture
def data_dir(tmp_path: Path) -> str:
    return str(tmp_path / "store")


@pytest.fixture
async def open_as(data_dir: str):
    """``await open_as("dana.steward", read_only=False)`` -> a context for that demo user."""
    opened: list[AppContext] = []

    async def _open(alias: str | None = None, *, read_only: bool = False, tenant_admin: bool = False) -> AppContext:
        session = None if alias is None else session_of(alias, tenant_admin=tenant_admin)
        c = await open_context(Profile(), data_dir=data_dir, session=session, read_only=read_only)
        opened.append(c)
        return c

    yield _open
    for c in opened:
        await c.close()


@pytest.fixture
async def ctx(open_as) -> AppContext:
    return await open_as()  # the demo session: seeds the demo tenant on first open


@dataclass
class Team:
    ws: Workspace  # the workspace
    owner: AppContext  # lee.engineer, creator (implicit admin), not a tenant admin
    admin: AppContext  # dana.steward, admin member
    contributor: AppContext  # sam.analyst
    viewer: AppContext  # ravi.viewer
    outsider: AppContext  # mo.contractor, not a member
    tenant_admin: AppContext  # ops.admin (demo session)

    @property
    def id(self) -> str:
        return self.ws.id


@pytest.fixture
async def team(ctx: AppContext, open_as) -> Team:
    owner = await open_as("lee.engineer")
    ws = await owner.workspaces.create(WorkspaceInput(name="Team space", description="role tests"))
    await owner.members.add(ws.id, upn("dana.steward"), "admin")
    await owner.members.add(ws.id, upn("sam.analyst"), "contributor")
    await owner.members.add(ws.id, upn("ravi.viewer"), "viewer")
    return Team(
        ws=ws,
        owner=owner,
        admin=await open_as("dana.steward"),
        contributor=await open_as("sam.analyst"),
        viewer=await open_as("ravi.viewer"),
        outsider=await open_as("mo.contractor"),
        tenant_admin=ctx,
    )


async def audit_of(c: AppContext, workspace_id: str, item_id: str) -> list[dict]:
    ws = await c.scoped.workspace(workspace_id)
    return (await AuditService(c.scoped).for_item(ws, item_id)).items


async def workspace_audit(c: AppContext, workspace_id: str) -> list[dict]:
    ws = await c.scoped.workspace(workspace_id)
    return (await AuditService(c.scoped).for_workspace(ws, max_items=1000)).items


async def snapshot(c: AppContext, workspace_id: str) -> dict:
    """Everything a write could touch in a workspace: to prove a refused write wrote nothing."""
    ws = await c.scoped.workspace(workspace_id)
    out = {"workspace": {k: v for k, v in ws.doc.items() if k != "_ts"}}
    for container in ("items", "folders", "workspace-permissions"):
        page = await c.scoped.ws_query(ws, container, max_items=100_000)
        out[container] = sorted((d["id"], d["_etag"]) for d in page.items)
    out["audit"] = len(await workspace_audit(c, workspace_id))
    return out


# Bad input the rules must handle: (text, accepted-as-a-name?)
LITERAL_OK = [
    "[bold]loud[/bold]",
    "[/]",
    "[link=https://evil.example]click[/link]",
    "emoji 🚀📊 and CJK 数据湖 テスト",
]
# free text (comments, descriptions) may hold these; a name may not: it would look like another
LOOK_ALIKE = [
    "right\u202eto-left override",
    "zero\u200bwidth\u200djoiner",
]
REJECTED = [
    "\x1b[31mred\x1b[0m",
    "\x1b]52;c;aGVsbG8=\x07osc",
    "tab\there",
    "new\nline",
    "x" * 10_000,
    "",
    "   ",
] + LOOK_ALIKE


def repr_id(value: str) -> str:
    """A short, printable test id for a hostile string."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}...({len(value)} chars)"
