"""The login screen driven by Pilot against the real sign-in flow and the local device-authorization
server: code shown, copy with OSC 52, success, esc cancels at once, decline, expiry and restart."""

from __future__ import annotations

import pytest

import asyncio
import time

from textual.app import App

from loom_tui.azure.signin_flow import SignInFlow
from loom_tui.screens.login import LoginScreen
from tests.azure.conftest import lab_profile


class Host(App):
    def __init__(self, screen: LoginScreen) -> None:
        super().__init__()
        self.login = screen
        self.result: object = "pending"

    def on_mount(self) -> None:
        self.push_screen(self.login, callback=lambda r: setattr(self, "result", r))


async def _until(pilot, cond, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError("condition not reached")
        await pilot.pause(0.05)


def _text(screen: LoginScreen, sel: str) -> str:
    return str(screen.query_one(sel).render())


async def test_code_copy_and_success(device_auth) -> None:
    device_auth.script = ["pending", "success"]
    screen = LoginScreen(SignInFlow(lab_profile(device_auth)))
    app = Host(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: screen.code is not None)
        code = screen.code.user_code
        assert code in _text(screen, "#code")
        assert device_auth.url in _text(screen, "#url")
        assert "expires in 14:" in _text(screen, "#countdown")
        await pilot.press("c")
        assert app.clipboard == code
        await _until(pilot, lambda: app.result != "pending")
    assert app.result.upn == "ada@contoso.example"


@pytest.mark.serial  # asserts a time limit the operator is promised: measured alone
async def test_escape_cancels_at_once(device_auth) -> None:
    device_auth.script = ["pending"]
    screen = LoginScreen(SignInFlow(lab_profile(device_auth)))
    app = Host(screen)
    async with app.run_test() as pilot:
        await _until(pilot, lambda: device_auth.polls >= 1)
        t0 = time.monotonic()
        await pilot.press("escape")
        await _until(pilot, lambda: app.result is None, timeout=1)
        assert time.monotonic() - t0 < 0.5
        polls = device_auth.polls
        await asyncio.sleep(1.3)
        assert device_auth.polls == polls


async def test_declined_then_restart(device_auth) -> None:
    device_auth.script = ["declined"]
    screen = LoginScreen(SignInFlow(lab_profile(device_auth)))
    app = Host(screen)
    async with app.run_test() as pilot:
        await _until(pilot, lambda: screen.state == "failed")
        assert screen.failure_kind == "declined" and "declined in the browser" in _text(screen, "#status")
        first = screen.code.user_code
        device_auth.script = ["success"]
        await pilot.press("r")
        await _until(pilot, lambda: app.result != "pending")
        assert screen.code.user_code != first
    assert app.result.tenant_id == device_auth.tenant


async def test_expiry_countdown_then_new_code(device_auth) -> None:
    device_auth.script = ["pending"]
    now = [time.time()]
    screen = LoginScreen(SignInFlow(lab_profile(device_auth)), clock=lambda: now[0])
    app = Host(screen)
    async with app.run_test() as pilot:
        await _until(pilot, lambda: screen.state == "waiting")
        now[0] = screen.code.expires_at + 1  # fifteen minutes pass
        await _until(pilot, lambda: screen.state == "expired", timeout=3)
        assert "expired" in _text(screen, "#status") and "Press r" in _text(screen, "#status")
        now[0] = time.time()
        await pilot.press("r")
        await _until(pilot, lambda: screen.state == "waiting")
        assert len(device_auth.device_requests) == 2


async def test_unknown_tenant_message(device_auth) -> None:
    screen = LoginScreen(SignInFlow(lab_profile(device_auth, tenant_id="00000000-0000-0000-0000-00000000dead")))
    app = Host(screen)
    async with app.run_test() as pilot:
        await _until(pilot, lambda: screen.state == "failed")
        assert screen.failure_kind == "tenant" and "tenant was not found" in _text(screen, "#status")
