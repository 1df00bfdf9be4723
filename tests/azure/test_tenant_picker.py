"""Choosing another tenant after sign-in: ``list_tenants`` with the real SubscriptionClient against
the local ARM server, and the console switching tenant — silently with the same account's refresh
token redeemed at the other tenant's authority, or through the device-code login for that tenant
when it wants interaction; an unknown tenant shown with its cause and the current one kept.
Nothing is mocked: MSAL, azure-mgmt-resource and azure-cosmos talk HTTP(S) to local servers."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from loom_tui.app import LoomApp
from loom_tui.azure.clouds import cloud_from_metadata, fetch_metadata, register_cloud
from loom_tui.screens.modals.error import ErrorDialog
from loom_tui.screens.login import LoginScreen
from loom_tui.screens.modals.subscription_picker import SubscriptionPicker
from loom_tui.screens.modals.tenant_picker import TenantPicker
from loom_tui.widgets.header import LoomHeader
from tests.azure.conftest import StaticCredential, arm_cloud, tenants_via
from tests.azure.lab import ApprovalServer, both_cas, lab_config
from tests.support.arm_server import DEFAULT_TENANTS, ArmServer
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)
from tests.support.device_auth_server import TENANT, _oauth_error, b64url, unsigned_jwt
from tests.ui.helpers import screen_text, wait_for

OTHER = DEFAULT_TENANTS[1]["tenantId"]  # Fabrikam
FABRIKAM_SUB = {
    "id": "/subscriptions/0c6a1c4e-3b7e-4f7d-9a55-6a8e1f0b2c3d", "subscriptionId": "0c6a1c4e-3b7e-4f7d-9a55-6a8e1f0b2c3d",
    "tenantId": OTHER, "displayName": "Fabrikam Analytics", "state": "Enabled",
    "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "Pay-As-You-Go_2014-09-01", "spendingLimit": "Off"},
    "authorizationSource": "RoleBased",
}


async def test_list_tenants_with_the_real_sdk_client(arm_tls) -> None:
    arm_tls.page_size = 1  # one tenant a page: the SDK follows nextLink
    arm_tls.tenants.append({"tenantId": "e3b0c442-98fc-4c14-9afb-f4c8996fb924", "displayName": "\x1b[31mEvil",
                            "defaultDomain": "evil.example"})
    tenants = await tenants_via(StaticCredential(), arm_cloud(arm_tls))
    assert [(t.tenant_id, t.display_name, t.default_domain) for t in tenants[:2]] == [
        (TENANT, "Contoso", "contoso.example"), (OTHER, "Fabrikam", "fabrikam.example")]
    assert tenants[2].display_name == "\x1b[31mEvil"  # data as ARM sent it: the screens escape it
    assert len(arm_tls.calls_to("tenants.list")) == 3
    assert all(c.authorization == "Bearer static-test-token" for c in arm_tls.calls_to("tenants.list"))


@dataclass
class MultiTenantAuth(ApprovalServer):
    """The approval server answering for more tenants than its home one, as Entra does for a user
    who is a member or guest of several directories: tokens, refreshes and ID tokens are issued by
    the tenant in the request's path (``tid``), ``client_info`` keeps the home tenant (the account's
    home_account_id).  ``interactive_only`` tenants refuse the refresh token (MFA required)."""

    other_tenants: set[str] = field(default_factory=set)
    interactive_only: set[str] = field(default_factory=set)
    token_tenants: dict[str, str] = field(default_factory=dict)  # access token -> tenant (for the ARM server)
    token_paths: list[str] = field(default_factory=list)  # the tenant of every token request
    _path_tenant: str = ""

    def _known(self, tenant: str) -> bool:
        return tenant in self.other_tenants or super()._known(tenant)

    def _tokens(self, client_id: str, scope: str) -> dict[str, object]:
        answer = super()._tokens(client_id, scope)
        tenant = self._path_tenant if self._path_tenant in self.other_tenants else self.tenant
        part = answer["id_token"].split(".")[1]  # type: ignore[union-attr]
        claims = json.loads(__import__("base64").urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        claims.update(tid=tenant, iss=f"{self.url}/{tenant}/v2.0")
        answer["id_token"] = unsigned_jwt(claims)
        self.id_tokens.append(str(answer["id_token"]))
        self.token_tenants[str(answer["access_token"])] = tenant
        answer["client_info"] = b64url(json.dumps({"uid": self.user["oid"], "utid": self.tenant}).encode())
        return answer

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()  # parsed once: the base handlers read the cached form without yielding
        tenant = request.match_info["tenant"]
        self.token_paths.append(tenant)
        if form.get("grant_type") == "refresh_token" and tenant in self.interactive_only:
            return _oauth_error("interaction_required", "AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.")
        self._path_tenant = tenant
        return await super()._token(request)


@pytest.fixture
async def lab(tmp_path, monkeypatch, cosmos_server):
    auth = MultiTenantAuth(tmp_path, other_tenants={OTHER})
    await auth.start()
    arm = ArmServer(tls=True, tmp=tmp_path)
    await arm.start()
    arm.login_endpoint = auth.url
    arm.token_tenant = auth.token_tenants.get
    arm.tenant_subscriptions = {OTHER: [FABRIKAM_SUB]}
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", both_cas(tmp_path, auth, arm))
    doc = await fetch_metadata(arm.url)
    register_cloud(cloud_from_metadata("Lab", doc, source=arm.url), replace=True)
    lab_config(cloud="Lab", tenant=TENANT, cosmos_endpoint=cosmos_server.endpoint, database=f"ten{uuid.uuid4().hex[:10]}",
               cosmos_key=cosmos_server.key)
    try:
        yield auth, arm
    finally:
        await arm.stop()
        await auth.stop()


async def _signed_in_picker(pilot, app, auth) -> SubscriptionPicker:
    await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen) and app.screen.code is not None)
    assert auth.approve(app.screen.code.user_code)
    await wait_for(pilot, lambda: isinstance(app.screen, SubscriptionPicker) and app.screen.state == "ready"
                   and app.screen.tenants is not None and _list_ready(app, SubscriptionPicker))
    return app.screen


def _list_ready(app, kind) -> bool:
    """The screen is ``kind``, mounted, and its option list has the focus and a highlighted row:
    keys pressed now reach the list (pressed earlier, while the screen was still being pushed,
    they went to the screen below or were lost: the flake this replaces)."""
    from textual.widgets import OptionList

    screen = app.screen
    focused = screen.focused if isinstance(screen, kind) and screen.is_mounted else None
    return isinstance(focused, OptionList) and focused.highlighted is not None


async def _open_tenants(pilot, app) -> str:
    await pilot.press("t")
    await wait_for(pilot, lambda: _list_ready(app, TenantPicker))
    return screen_text(app)


async def _finish(pilot, app) -> LoomHeader:
    # the header is filled after the context is ready: wait for what it shows, not for it to exist
    await wait_for(pilot, lambda: app.context_is_ready and app.screen.query(LoomHeader) and app.screen.query_one(LoomHeader).tenant)
    header = app.screen.query_one(LoomHeader)
    await app.ctx.store.drop_database()
    return header


@pytest.mark.cosmos
async def test_switching_to_another_tenant_signs_in_there_silently(lab) -> None:
    auth, arm = lab
    app = LoomApp()
    async with app.run_test(size=(110, 34)) as pilot:
        picker = await _signed_in_picker(pilot, app, auth)
        assert "t other tenant (1 more)" in screen_text(app)
        assert "Fabrikam Analytics" not in screen_text(app)  # ARM lists the home tenant's subscriptions only
        text = await _open_tenants(pilot, app)
        assert "Contoso" in text and "Fabrikam" in text and "fabrikam.example" in text and OTHER in text
        assert "(signed in)" in text.split("Fabrikam")[0]  # the signed-in tenant (Contoso, listed first) is marked
        device_codes = len(auth.device_requests)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SubscriptionPicker) and app.screen is not picker
                       and app.screen.state == "ready" and _list_ready(app, SubscriptionPicker))
        await wait_for(pilot, lambda: "Fabrikam Analytics" in screen_text(app))
        text = screen_text(app)
        assert f"tenant {OTHER}" in text and "(signed-in tenant)" in text and "Example Subscription" not in text
        assert len(auth.device_requests) == device_codes  # no new device code: the refresh token did it
        assert OTHER in auth.token_paths and auth.refreshes >= 1
        await pilot.press("enter")
        header = await _finish(pilot, app)
        assert header.tenant == OTHER and app.ctx.session.tenant_id == OTHER
        assert app.ctx.profile.tenant_id == OTHER and app.ctx.profile.subscriptions == [FABRIKAM_SUB["subscriptionId"]]
        last = arm.calls_to("subscriptions.list")[-1].authorization or ""
        assert auth.token_tenants[last.removeprefix("Bearer ")] == OTHER  # ARM saw a token issued by the other tenant


@pytest.mark.cosmos
async def test_a_tenant_that_wants_interaction_gets_the_login_screen_for_it(lab) -> None:
    auth, arm = lab
    auth.interactive_only = {OTHER}
    app = LoomApp()
    async with app.run_test(size=(110, 34)) as pilot:
        await _signed_in_picker(pilot, app, auth)
        device_codes = len(auth.device_requests)
        await _open_tenants(pilot, app)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen) and app.screen.code is not None)
        assert f"tenant {OTHER}" in screen_text(app)
        assert len(auth.device_requests) == device_codes + 1 and auth.token_paths.count(OTHER) >= 1  # refresh refused first
        assert auth.approve(app.screen.code.user_code)
        # the picker of the other tenant (the first one shows for a moment as the login screen closes)
        await wait_for(pilot, lambda: isinstance(app.screen, SubscriptionPicker) and app.screen.state == "ready"
                       and _list_ready(app, SubscriptionPicker) and "Fabrikam Analytics" in screen_text(app))
        await pilot.press("enter")
        header = await _finish(pilot, app)
        assert header.tenant == OTHER and app.ctx.session.upn == "ada@contoso.example"


@pytest.mark.cosmos
async def test_an_unknown_tenant_is_shown_with_its_cause_and_esc_keeps_the_current_one(lab) -> None:
    auth, arm = lab
    auth.other_tenants = set()  # ARM lists Fabrikam, but the authority does not know it
    app = LoomApp()
    async with app.run_test(size=(110, 34)) as pilot:
        await _signed_in_picker(pilot, app, auth)
        await _open_tenants(pilot, app)
        await pilot.press("escape")  # esc in the tenant list: back to the same picker
        await wait_for(pilot, lambda: _list_ready(app, SubscriptionPicker))
        await _open_tenants(pilot, app)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog) and "could not sign in" in screen_text(app))
        text = screen_text(app)
        assert "could not sign in to tenant" in text and OTHER in text
        assert "The tenant was not found" in text and "Unable to get authority" in text  # the cause, as MSAL said it
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SubscriptionPicker) and app.screen.state == "ready"
                       and _list_ready(app, SubscriptionPicker))
        assert "Example Subscription" in screen_text(app)
        await pilot.press("enter")
        header = await _finish(pilot, app)
        assert header.tenant == TENANT and app.ctx.profile.tenant_id == TENANT
