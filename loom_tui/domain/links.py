"""Where a notification's ``link`` points (the web console's paths), as a place loom can open.

``/workspaces/<id>`` and ``/workspaces/<id>/items/<itemId>`` open the workspace (the item
selected); ``/admin/capacity`` the Capacity area, ``/cost...`` the Cost area, ``/usage`` Usage,
``/setup`` (the web console's Setup) or ``/admin/landing-zones`` the DLZ area.  Anything else (or no link) opens nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORKSPACE = re.compile(r"^/workspaces/(?P<ws>[^/?#]+)(?:/items/(?P<item>[^/?#]+))?/?(?:[?#].*)?$")
_AREAS = (("/admin/capacity", "capacity"), ("/cost", "cost"), ("/usage", "usage"), ("/admin/usage", "usage"),
          ("/setup", "dlz"), ("/admin/landing-zones", "dlz"), ("/workspaces", "workspaces"))


@dataclass(frozen=True)
class Target:
    area: str  # the area to open
    workspace_id: str | None = None
    item_id: str | None = None

    def describe(self) -> str:
        if self.item_id:
            return f"the item in workspace {self.workspace_id}"
        if self.workspace_id:
            return f"workspace {self.workspace_id}"
        return f"the {self.area.capitalize()} area"


def target_of(link: object) -> Target | None:
    text = str(link or "").strip()
    if not text.startswith("/"):
        return None
    m = _WORKSPACE.match(text)
    if m:
        return Target("workspaces", m.group("ws"), m.group("item"))
    for prefix, area in _AREAS:
        if text == prefix or text.startswith(prefix + "/") or text.startswith(prefix + "?"):
            return Target(area)
    return None
