"""The subscription picker on its own: ARM names shown literally (no markup, no escapes), the
signed-in tenant marked, enter picks, esc skips, an empty list says so.  (With the real ARM
client and server it runs in test_console_signin.py.)"""

from __future__ import annotations

from textual.app import App

from loom_tui.azure.arm import SubscriptionInfo
from loom_tui.screens.modals.subscription_picker import SubscriptionPicker
from tests.ui.helpers import screen_text, wait_for

T1 = "8f70baf1-1f6e-46a2-a1ff-238dac1ebfb7"
SUBS = [
    SubscriptionInfo("291bba3f-e0a5-47bc-a099-3bdcb2a50a05", "[bold red]Prod[/] \x1b[31m", T1, "Enabled"),
    SubscriptionInfo("72ac930a-f34e-42d8-b06d-dc2a9e12ed71", "Dev", "2a0ff0de-96b2-4859-bb7c-a430d07a3e0c", "Disabled"),
]


class Host(App):
    def __init__(self, subs) -> None:
        super().__init__()
        self.subs = subs
        self.result: object = "pending"

    def on_mount(self) -> None:
        async def load():
            return list(self.subs)

        self.push_screen(SubscriptionPicker(load, T1), callback=lambda r: setattr(self, "result", r))


async def test_literal_names_and_enter_picks() -> None:
    app = Host(SUBS)
    async with app.run_test(size=(110, 30)) as pilot:
        await wait_for(pilot, lambda: "Dev" in screen_text(app))
        text = screen_text(app)
        assert "[bold red]Prod[/] \\x1b[31m" in text  # markup and the escape shown, not interpreted
        assert "(signed-in tenant)" in text and "Disabled" in text
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.result != "pending")
    assert app.result == SUBS[1]


async def test_escape_skips_and_empty_list_says_so() -> None:
    app = Host([])
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_for(pilot, lambda: "No subscription is visible" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.result != "pending")
    assert app.result is None
