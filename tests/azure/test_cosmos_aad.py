"""A Cosmos profile without ``cosmos_key`` reaches Cosmos DB with the signed-in AsyncTokenCredential.

What is proved against which local server: the real device-code sign-in runs against the local
device-authorization server; the real ``azure-cosmos`` client then asks *our* credential for the
account scope ``https://127.0.0.1/.default`` (seen as a refresh-token grant at the authorization
server) and the Workspaces service works through it against the local Cosmos DB protocol server.
That server does not validate signatures or AAD tokens at all, so whether real Cosmos DB accepts
the token (data-plane RBAC role assignments) can only be checked against real Azure.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest

from loom_tui.azure.auth import DeviceCodeLogin, build_app
from loom_tui.azure.credential import MsalCredential, open_cache_for
from loom_tui.azure.errors import SignInError
from loom_tui.wiring import open_context
from loom_tui.services.workspaces.service import WorkspaceInput
from tests.azure.conftest import lab_profile
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

pytestmark = pytest.mark.cosmos


def _profile(device_auth, cosmos_server, **kw):
    from tests.support.cosmos_server import provision

    database = f"aad{uuid.uuid4().hex[:10]}"
    provision(cosmos_server.endpoint, database)  # a writable open creates nothing: `loom store init` did
    return lab_profile(device_auth, cosmos_endpoint=cosmos_server.endpoint, cosmos_verify_tls=False,
                       cosmos_database=database, **kw)


async def _sign_in(device_auth) -> None:
    prof = lab_profile(device_auth)
    app = await asyncio.to_thread(build_app, prof, open_cache_for(prof))
    login = DeviceCodeLogin(app, ["https://management.lab.invalid/.default"])
    await login.start()
    await login.wait()


def _cosmos_grants(device_auth) -> list[dict]:
    return [r for r in device_auth.token_requests if "https://127.0.0.1/.default" in r.get("scope", "")]


async def test_store_gets_the_signed_in_credential(device_auth, cosmos_server) -> None:
    await _sign_in(device_auth)
    ctx = await open_context(_profile(device_auth, cosmos_server))
    try:
        assert isinstance(ctx.credential, MsalCredential)
        assert ctx.store._credential is ctx.credential  # the store signs with the credential, not a key
        assert ctx.session.upn == "ada@contoso.example"
        grants = _cosmos_grants(device_auth)
        assert grants and all(g["grant_type"] == "refresh_token" for g in grants)
        created = await ctx.workspaces.create(WorkspaceInput(name="Sales analytics"))
        assert (await ctx.workspaces.get(created.id)).name == "Sales analytics"
    finally:
        drop = getattr(ctx.store, "drop_database", None)
        if drop:
            await drop()
        await ctx.close()


async def test_an_account_key_wins_and_no_token_is_asked(device_auth, cosmos_server) -> None:
    await _sign_in(device_auth)
    ctx = await open_context(_profile(device_auth, cosmos_server, cosmos_key=cosmos_server.key))
    try:
        assert ctx.credential is None and ctx.store._credential == cosmos_server.key
        assert _cosmos_grants(device_auth) == []
    finally:
        await ctx.store.drop_database()
        await ctx.close()


async def test_not_signed_in_is_a_sign_in_error_before_any_store_call(device_auth, cosmos_server) -> None:
    with pytest.raises(SignInError) as info:
        await open_context(_profile(device_auth, cosmos_server))
    assert info.value.kind == "not-signed-in"


async def test_a_credential_handed_in_is_used_and_closed(device_auth, cosmos_server) -> None:
    """The console passes the credential its interactive sign-in filled (a memory-only cache lives
    only in that MSAL app); the context must use that one and close it."""
    from loom_tui.azure.credential import credential_for_profile

    await _sign_in(device_auth)
    prof = _profile(device_auth, cosmos_server)
    cred = await credential_for_profile(prof)
    closed = []
    original = cred.close

    async def spy_close() -> None:
        closed.append(True)
        await original()

    cred.close = spy_close  # observe the call; closing itself is real
    ctx = await open_context(prof, credential=cred)
    assert ctx.store._credential is cred and ctx.credential is cred
    await ctx.store.drop_database()
    await ctx.close()
    assert closed == [True]
