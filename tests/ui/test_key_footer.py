"""The key footer rebuilds its keys only when what it shows changes (Textual's re-mounts them on
every binding refresh: each cursor move on some screens)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets._footer import FooterKey

from loom_tui.widgets.footer import KeyFooter

from .helpers import wait_for


class _Keys(Screen):
    BINDINGS = [("a", "alpha", "Alpha"), ("b", "beta", "Beta")]
    beta = True  # False: beta is shown disabled

    def compose(self) -> ComposeResult:
        yield KeyFooter(show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "beta" and not self.beta else True

    def action_alpha(self) -> None: ...

    def action_beta(self) -> None: ...


class _App(App):
    def on_mount(self) -> None:
        self.push_screen(_Keys())


def _keys(screen: Screen) -> list[FooterKey]:
    return list(screen.query(FooterKey))


async def test_the_same_keys_are_not_rebuilt_and_a_change_is_shown():
    app = _App()
    async with app.run_test(size=(60, 5)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, _Keys) and [k.description for k in _keys(app.screen)] == ["Alpha", "Beta"])
        screen = app.screen
        before = _keys(screen)
        for _ in range(3):  # a refresh with nothing changed keeps the very widgets
            screen.refresh_bindings()
            await pilot.pause()
            await pilot.pause()
        assert _keys(screen) == before and all(k.is_attached for k in before)
        screen.beta = False  # the same keys, one now disabled: rebuilt, and shown so
        screen.refresh_bindings()
        await wait_for(pilot, lambda: [k.has_class("-disabled") for k in _keys(screen)] == [False, True])
        assert not any(k in before for k in _keys(screen))
