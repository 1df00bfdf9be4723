"""The current screen's own actions in the command palette (``:`` / ctrl+p): every enabled binding
with a description — the footer's and those shown only in ``?`` — named with its key, so an action
found in ``?`` is also found by typing its name.  A binding's ``tooltip`` adds words to search by
(``b`` "Bell" is found by "notifications").  The app lists this provider in ``LoomApp.COMMANDS``,
so every screen has it; the areas come from the app's system commands."""

from __future__ import annotations

from typing import Callable, Iterator

from textual.command import DiscoveryHit, Hit, Hits, Provider

# actions the app's own system commands already offer under a fuller name
SYSTEM = frozenset({"command_palette"})


def entries(screen, app) -> Iterator[tuple[str, str, str, object]]:
    """``(label, help, action, node)`` for every enabled, described binding active on ``screen``
    (the same list ``?`` shows), each action once."""
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        b = active.binding
        if not b.description or not active.enabled or b.action in seen or b.action.startswith("area(") or b.action in SYSTEM:
            continue
        seen.add(b.action)
        words = f"{b.description} — {b.tooltip}" if b.tooltip else b.description
        label = f"{words} ({b.key_display or app.get_key_display(b)})"
        where = getattr(screen, "AREA", "") or "this screen"
        yield label, f"{where}: {b.tooltip or b.description}", b.action, active.node


class ScreenKeys(Provider):
    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        for label, help_text, action, node in entries(self.screen, self.app):

            async def run(action: str = action, node=node) -> None:
                await self.app.run_action(action, node)

            yield label, help_text, run

    async def discover(self) -> Hits:
        for label, help_text, run in self._commands():
            yield DiscoveryHit(label, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, run in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), run, help=help_text)
