"""The current screen's own actions in the command palette (``:`` / ctrl+p): every enabled binding
with a description, named with its key, so an action found in ``?`` is also found by typing its
name.  A screen opts in with ``COMMANDS = {ScreenKeys}``."""

from __future__ import annotations

from typing import Callable, Iterator

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ScreenKeys(Provider):
    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            b = active.binding
            if not b.description or not active.enabled or b.action in seen or b.action.startswith("area("):
                continue
            seen.add(b.action)
            label = f"{b.description} ({b.key_display or self.app.get_key_display(b)})"

            async def run(action: str = b.action, node=active.node) -> None:
                await self.app.run_action(action, node)

            yield label, f"{getattr(screen, 'AREA', '') or 'this screen'}: {b.description}", run

    async def discover(self) -> Hits:
        for label, help_text, run in self._commands():
            yield DiscoveryHit(label, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, run in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), run, help=help_text)
