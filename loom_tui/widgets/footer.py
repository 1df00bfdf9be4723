"""The key footer: Textual's ``Footer``, rebuilt only when what it shows changes.

Textual's footer removes and re-mounts every key it shows whenever the screen's bindings may have
changed: each focus change, each ``refresh_bindings()`` (loom calls it when the cursor's row
changes what an action applies to). Mounting a dozen widgets restyles them all; over a slow link
that is a visible lag on every cursor key, and most of the time the keys shown are the same. This
footer keeps Textual's look and layout (it still composes the same widgets) and skips the rebuild
when the keys, their labels and their enabled state are what it already shows.
"""

from __future__ import annotations

from typing import Hashable

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    _shown: Hashable = None  # what the last rebuild showed (None: nothing yet)

    def shown(self) -> Hashable:
        """What :meth:`compose` would show now: every shown binding's key, label, action, group,
        enabled state and tooltip, in order, and the palette key."""
        keys = []
        palette = self.app.COMMAND_PALETTE_BINDING
        for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if binding.show or key == palette:
                group = binding.group
                keys.append((binding.key, self.app.get_key_display(binding), binding.description, binding.action, enabled,
                             tooltip, None if group is None else (group.description, group.compact)))
        return tuple(keys), self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        if not self.is_attached:
            return
        shown = self.shown()
        if shown == self._shown:
            return
        self._shown = shown
        await self.recompose()
