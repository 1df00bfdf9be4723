"""The areas of the console, in one place: key, name, label and screen (imported lazily, by string).

The app builds its modes, its ``area.<name>`` key bindings and its palette entries from this list;
the header and ``?`` list the areas from it.  An area helper registers its screen by editing ITS
line below (the "module:Class" string); nothing else changes.  No Textual import here: the list
is plain data, and a screen's module is imported the first time its area is opened.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    key: str  # the key that opens it from anywhere ("1".."9")
    name: str  # the mode name and the binding id's tail (``area.<name>``)
    label: str  # what the header, ``?`` and the palette call it
    screen: str  # "package.module:ClassName", imported when the area is first opened
    words: str = ""  # what else the palette finds it by ("deploy a Data Landing Zone (DLZ)")

    @property
    def binding_id(self) -> str:
        return f"area.{self.name}"

    def load(self) -> type:
        """The screen class (imports its module now)."""
        module, _, cls = self.screen.partition(":")
        return getattr(importlib.import_module(module), cls)


AREAS: tuple[Area, ...] = (
    Area("1", "workspaces", "Workspaces", "loom_tui.screens.workspaces.screen:WorkspacesScreen"),
    Area("2", "capacity", "Capacity", "loom_tui.screens.capacity.screen:CapacityScreen"),
    Area("3", "usage", "Usage", "loom_tui.screens.usage:UsageScreen"),
    Area("4", "cost", "Cost", "loom_tui.screens.cost.screen:CostScreen"),
    Area("5", "dlz", "DLZ", "loom_tui.screens.dlz.screen:DlzScreen",
         "deploy a Data Landing Zone (DLZ): the wizard the web console calls Setup"),
)

BY_NAME: dict[str, Area] = {a.name: a for a in AREAS}

# area names an earlier loom used, as its files may still hold them (resume.json's area and form,
# a ``[keys]`` table's ``area.setup`` / ``setup.next``): old name -> the name now
RENAMED: dict[str, str] = {"setup": "dlz"}


def current_name(name: str) -> str:
    """``name`` as this loom calls it (an earlier loom's name of an area, renamed)."""
    return RENAMED.get(name, name)


def current_binding_id(binding_id: str) -> str:
    """A ``[keys]`` binding id as this loom names it: ``area.setup`` -> ``area.dlz``,
    ``setup.next`` -> ``dlz.next``; any other id as it is."""
    head, dot, tail = binding_id.partition(".")
    if not dot:
        return binding_id
    if head == "area":
        return f"area.{current_name(tail)}"
    return f"{current_name(head)}.{tail}"


def area(name: str) -> Area:
    """The area called ``name`` (``KeyError`` if there is none)."""
    return BY_NAME[name]


def keys_summary() -> str:
    """``1-5`` style range of the area keys, for ``?``."""
    keys = [a.key for a in AREAS]
    return f"{keys[0]}-{keys[-1]}" if len(keys) > 1 else keys[0]
