"""Does the deploying identity hold the roles a DLZ deployment needs?

Target subscription: Contributor (Owner covers it), and — only when the template holds role
assignments — User Access Administrator, Role Based Access Control Administrator or Owner.  Hub resource group (peering, DNS links):
Network Contributor + Private DNS Zone Contributor, or a role that covers both (Owner,
Contributor).  Assignments are read with ``atScope() and assignedTo('<oid>')``, which follows
group membership and includes assignments inherited from above the scope; role definitions are
compared by the GUID at the end of ``roleDefinitionId`` (the same in every cloud).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, NamedTuple
from urllib.parse import quote

from .facts import PermissionReport, RoleCheck

ROLE_TYPE = "Microsoft.Authorization/roleAssignments"  # api-version picked per cloud (api_versions.py)
ROLE_IDS = {
    "Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
    "Private DNS Zone Contributor": "b12aa53e-6015-4669-85d0-8515ebb3ae7f",
}
_NAMES = {v: k for k, v in ROLE_IDS.items()}

# role needed -> the roles that grant it
_COVERED_BY = {
    "Contributor": ("Owner", "Contributor"),
    "User Access Administrator": ("Owner", "User Access Administrator", "Role Based Access Control Administrator"),
    "Network Contributor": ("Owner", "Contributor", "Network Contributor"),
    "Private DNS Zone Contributor": ("Owner", "Contributor", "Private DNS Zone Contributor"),
}


class Deployer(NamedTuple):
    """The identity a deployment runs as: its object id, how to name it, its principal type."""

    principal_id: str
    label: str
    type: str = "User"


@dataclass(frozen=True)
class Need:
    role: str
    scope: str  # ARM scope id


def role_names(assignments: Iterable[dict[str, Any]]) -> set[str]:
    out = set()
    for a in assignments:
        rdid = str((a.get("properties") or {}).get("roleDefinitionId") or "")
        guid = rdid.rstrip("/").rsplit("/", 1)[-1].lower()
        out.add(_NAMES.get(guid, guid))
    return out


def evaluate(needs: list[Need], held: dict[str, set[str]]) -> list[RoleCheck]:
    """``held``: scope -> role names held there (inherited ones included)."""
    checks = []
    for n in needs:
        have = held.get(n.scope, set())
        via = next((r for r in _COVERED_BY[n.role] if r in have), "")
        checks.append(RoleCheck(n.role, n.scope, bool(via), via if via and via != n.role else ""))
    return checks


def fix_command(principal_id: str, principal_type: str, role: str, scope: str) -> str:
    return (f'az role assignment create --assignee-object-id {principal_id} --assignee-principal-type {principal_type} '
            f'--role "{role}" --scope {scope}')


def portal_iam_link(portal: str, tenant_id: str, scope: str) -> str:
    return f"{portal.rstrip('/')}/#@{tenant_id}/resource{scope}/users"


def needs_for(subscription_id: str, hub_scope: str, role_assignments: int = 0) -> list[Need]:
    """What the template and loom's own hub-side steps need: Contributor on the target
    subscription for the template's resources; a role that may assign roles there only when the
    template holds role assignments; on the hub's resource group, the peering (Network
    Contributor) and the private DNS links (Private DNS Zone Contributor)."""
    sub = f"/subscriptions/{subscription_id}"
    out = [Need("Contributor", sub)]
    if role_assignments:
        out.append(Need("User Access Administrator", sub))
    if hub_scope:
        out += [Need("Network Contributor", hub_scope), Need("Private DNS Zone Contributor", hub_scope)]
    return out


async def check_permissions(clients: Any, *, principal_id: str, principal_label: str, principal_type: str, tenant_id: str,
                            portal: str, subscription_id: str, hub_scope: str, role_assignments: int = 0) -> PermissionReport:
    """Read the role assignments at each scope and name what is missing, with its fixes."""
    from loom_tui.azure.errors import ArmError

    needs = needs_for(subscription_id, hub_scope, role_assignments)
    held: dict[str, set[str]] = {}
    try:
        for scope in dict.fromkeys(n.scope for n in needs):
            flt = quote(f"atScope() and assignedTo('{principal_id}')", safe="")
            from loom_tui.azure.api_versions import pick

            api = await pick(clients, ROLE_TYPE, path=scope)
            rows = [r async for r in clients.pages(f"{scope}/providers/Microsoft.Authorization/roleAssignments?$filter={flt}", api)]
            held[scope] = role_names(rows)
    except ArmError as exc:
        return PermissionReport(principal_id, principal_label, subscription_id, (), error=str(exc))
    checks = tuple(evaluate(needs, held))
    missing = [c for c in checks if not c.held]
    return PermissionReport(
        principal_id, principal_label, subscription_id, checks,
        fixes=tuple(fix_command(principal_id, principal_type, c.role, c.scope) for c in missing),
        portal_links=tuple(dict.fromkeys(portal_iam_link(portal, tenant_id, c.scope) for c in missing)) if portal else (),
    )
