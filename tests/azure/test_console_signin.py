"""The console's start-up for an Azure profile, driven by Pilot against the local servers: the
login screen when nobody is signed in, the subscription picker, Workspaces with the signed-in user
in the header; the cached sign-in; declined / cancelled / network / ARM errors shown with their
cause and retried.  Nothing is mocked: MSAL, azure-mgmt-resource and azure-cosmos talk HTTP(S)."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from loom_tui.app import LoomApp
from loom_tui.azure.clouds import cloud_from_metadata, fetch_metadata, register_cloud
from loom_tui.screens.login import LoginScreen
from loom_tui.screens.modals.start_failed import StartFailedScreen
from loom_tui.screens.modals.subscription_picker import SubscriptionPicker
from loom_tui.widgets.header import LoomHeader
from tests.azure.lab import ApprovalServer, both_cas, lab_config
from tests.support.arm_server import ArmServer, Fault
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)
from tests.support.device_auth_server import TENANT
from tests.ui.helpers import screen_text, wait_for

pytestmark = pytest.mark.cosmos

SUB_FIRST_BY_TENANT = "72ac930a-f34e-42d8-b06d-dc2a9e12ed71"  # tenant 2a0f... sorts before 31c7...


@pytest.fixture
async def lab(tmp_path, monkeypatch, cosmos_server):
    auth = ApprovalServer(tmp_path)
    await auth.start()
    arm = ArmServer(tls=True, tmp=tmp_path)
    await arm.start()
    arm.login_endpoint = auth.url
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", both_cas(tmp_path, auth, arm))
    doc = await fetch_metadata(arm.url)  # the cloud is registered from the ARM server's own metadata
    register_cloud(cloud_from_metadata("Lab", doc, source=arm.url), replace=True)
    try:
        yield auth, arm, cosmos_server
    finally:
        await arm.stop()
        await auth.stop()


def _config(cosmos, **kw):
    return lab_config(cloud="Lab", tenant=TENANT, cosmos_endpoint=cosmos.endpoint, database=f"con{uuid.uuid4().hex[:10]}", **kw)


async def _code_on_screen(pilot, app) -> str:
    await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen) and app.screen.code is not None)
    return app.screen.code.user_code


async def _drop(app) -> None:
    if app._ctx is not None:
        await app._ctx.store.drop_database()


async def test_first_run_signs_in_picks_a_subscription_and_lands_on_workspaces(lab) -> None:
    auth, arm, cosmos = lab
    _config(cosmos)  # no cosmos_key: the store runs on the signed-in credential
    app = LoomApp()
    async with app.run_test(size=(110, 32)) as pilot:
        code = await _code_on_screen(pilot, app)
        assert code in screen_text(app) and f"{auth.url}/devicelogin" in screen_text(app)
        assert auth.approve(code)
        await wait_for(pilot, lambda: isinstance(app.screen, SubscriptionPicker) and app.screen.state == "ready")
        await wait_for(pilot, lambda: "Example Subscription2" in screen_text(app))  # painted after the state flips
        assert "Example Subscription " in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.context_is_ready and app.screen.query(LoomHeader))
        await wait_for(pilot, lambda: "ada@contoso.example" in screen_text(app))
        header = app.screen.query_one(LoomHeader)
        assert header.user == "ada@contoso.example" and header.tenant == TENANT
        assert app.ctx.profile.subscriptions == [SUB_FIRST_BY_TENANT]
        assert app.ctx.store._credential is app.ctx.credential is not None
        # ARM saw the signed-in user's token, issued by the device-authorization server
        sent = {c.authorization.removeprefix("Bearer ") for c in arm.calls_to("subscriptions.list")}
        assert sent and sent <= set(auth.issued_tokens)
        await _drop(app)


async def test_a_cached_sign_in_skips_the_login_and_the_picker(lab) -> None:
    auth, arm, cosmos = lab
    _config(cosmos, cosmos_key=cosmos.key, subscriptions=["291bba3f-e0a5-47bc-a099-3bdcb2a50a05"])
    first = LoomApp()
    async with first.run_test() as pilot:
        assert auth.approve(await _code_on_screen(pilot, first))
        await wait_for(pilot, lambda: first.context_is_ready)
    requests_before = len(auth.device_requests)
    second = LoomApp()
    async with second.run_test() as pilot:
        await wait_for(pilot, lambda: second.context_is_ready)
        assert second.ctx.session.upn == "ada@contoso.example"
        assert not any(isinstance(s, (LoginScreen, SubscriptionPicker)) for s in second.screen_stack)
        await _drop(second)
    assert len(auth.device_requests) == requests_before  # no new device code: the 0600 file cache held the sign-in
    assert arm.calls_to("subscriptions.list") == []  # the profile names its subscription


async def test_declined_then_cancel_then_retry(lab) -> None:
    auth, arm, cosmos = lab
    _config(cosmos, cosmos_key=cosmos.key)
    auth.script = ["declined"]
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        assert auth.approve(await _code_on_screen(pilot, app))
        await wait_for(pilot, lambda: "declined in the browser" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, StartFailedScreen) and "Sign-in cancelled" in screen_text(app))
        assert "r try again" in screen_text(app)
        await pilot.press("r")
        auth.script = ["success"]
        assert auth.approve(await _code_on_screen(pilot, app))
        await wait_for(pilot, lambda: isinstance(app.screen, SubscriptionPicker))
        await pilot.press("escape")  # skip the picker
        await wait_for(pilot, lambda: app.context_is_ready)
        assert app.ctx.profile.subscriptions == [] and app.ctx.session.upn == "ada@contoso.example"
        await _drop(app)


async def test_picker_shows_an_arm_error_and_reloads(lab) -> None:
    auth, arm, cosmos = lab
    _config(cosmos, cosmos_key=cosmos.key)
    arm.inject("subscriptions.list", Fault("malformed"))
    app = LoomApp()
    async with app.run_test(size=(110, 30)) as pilot:
        assert auth.approve(await _code_on_screen(pilot, app))
        await wait_for(pilot, lambda: isinstance(app.screen, SubscriptionPicker) and app.screen.state == "failed")
        status = str(app.screen.query_one("#status").render())
        assert "Could not list subscriptions" in status and "DecodeError" in status and "Press r to try again" in status
        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen.state == "ready")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.context_is_ready)
        assert app.ctx.profile.subscriptions == ["291bba3f-e0a5-47bc-a099-3bdcb2a50a05"]
        await _drop(app)


async def test_an_unreachable_authority_is_shown_with_its_cause_and_q_quits(lab) -> None:
    auth, arm, cosmos = lab
    doc = await fetch_metadata(arm.url)
    doc["authentication"]["loginEndpoint"] = "https://127.0.0.1:9"  # nothing listens there
    register_cloud(cloud_from_metadata("Lab", doc, source="test"), replace=True)
    _config(cosmos, cosmos_key=cosmos.key)
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartFailedScreen) and "could not" in screen_text(app), timeout=20)
        text = screen_text(app)
        assert "could not open the sign-in" in text and "could not be reached" in text and "127.0.0.1:9" in text
        await pilot.press("q")
        await wait_for(pilot, lambda: app.return_code is not None)
    assert app.return_code == 1 and app._ctx is None


async def test_a_store_failure_after_sign_in_can_be_retried(lab) -> None:
    auth, arm, cosmos = lab
    _config(cosmos, cosmos_key=cosmos.key, subscriptions=["291bba3f-e0a5-47bc-a099-3bdcb2a50a05"])
    cfg_text = open(__import__("os").environ["LOOM_CONFIG"]).read()
    bad = cfg_text.replace(cosmos.endpoint, "https://127.0.0.1:9/")
    open(__import__("os").environ["LOOM_CONFIG"], "w").write(bad)
    app = LoomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        assert auth.approve(await _code_on_screen(pilot, app))
        await wait_for(pilot, lambda: isinstance(app.screen, StartFailedScreen) and "could not" in screen_text(app), timeout=30)
        assert "could not open the store" in screen_text(app) and "cannot be reached" in screen_text(app)
        polls = auth.polls
        await pilot.press("r")  # the same endpoint again: the sign-in is kept, only the store is retried
        await wait_for(pilot, lambda: isinstance(app.screen, StartFailedScreen), timeout=30)
        await asyncio.sleep(0)
        assert auth.polls == polls and not any(isinstance(s, LoginScreen) for s in app.screen_stack)
