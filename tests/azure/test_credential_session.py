"""The MSAL-backed AsyncTokenCredential and session_for_profile, after a real device-code sign-in,
driving a real SDK client against the local ARM server."""

from __future__ import annotations

import asyncio
import threading

import pytest

from loom_tui.azure.auth import DeviceCodeLogin, build_app
from loom_tui.azure.credential import MsalCredential, credential_for_profile, open_cache_for
from loom_tui.azure.errors import SignInError
from loom_tui.azure.session import session_for_profile
from tests.azure.conftest import arm_cloud, lab_profile, subscriptions_via
from tests.support.device_auth_server import USER_OID

ADMINS = "0b5fe924-9a61-425c-96af-cfe6e287ca2d"


async def _sign_in(server) -> None:
    prof = lab_profile(server)
    app = await asyncio.to_thread(build_app, prof, open_cache_for(prof))
    login = DeviceCodeLogin(app, ["https://management.lab.invalid/.default"])
    await login.start()
    await login.wait()


async def test_not_signed_in(device_auth) -> None:
    with pytest.raises(SignInError) as info:
        await session_for_profile(lab_profile(device_auth))
    assert info.value.kind == "not-signed-in" and "loom login" in str(info.value)


async def test_session_from_the_cached_id_token(device_auth) -> None:
    await _sign_in(device_auth)
    s = await session_for_profile(lab_profile(device_auth, admin_group_id=ADMINS))
    assert (s.tenant_id, s.user_oid, s.upn, s.display_name) == (device_auth.tenant, USER_OID, "ada@contoso.example", "Ada Lovelace")
    assert s.groups == (ADMINS,) and s.is_tenant_admin and s.source == "device-code"
    s2 = await session_for_profile(lab_profile(device_auth))  # no admin group configured: nobody is admin
    assert not s2.is_tenant_admin


async def test_any_scope_silently_and_off_the_loop(device_auth) -> None:
    await _sign_in(device_auth)
    cred = await credential_for_profile(lab_profile(device_auth))
    assert isinstance(cred, MsalCredential)
    threads: list[str] = []
    original = cred._acquire

    def spy(scopes, force):
        threads.append(threading.current_thread().name)
        return original(scopes, force)

    cred._acquire = spy  # observe where MSAL runs; the acquisition itself is real
    arm = await cred.get_token("https://management.lab.invalid/.default")
    assert arm.token in device_auth.issued_tokens and device_auth.refreshes == 0  # from the cache
    cosmos = await cred.get_token("https://acct.documents.lab.invalid/.default")  # new scope: refresh token grant
    assert device_auth.refreshes == 1 and cosmos.token != arm.token
    again = await cred.get_token_info("https://acct.documents.lab.invalid/.default")
    assert again.token == cosmos.token and device_auth.refreshes == 1
    forced = await cred.get_token("https://management.lab.invalid/.default", claims='{"access_token":{}}')
    assert device_auth.refreshes == 2 and forced.token != arm.token
    assert threading.main_thread().name not in threads and len(threads) == 4


async def test_expired_access_token_is_refreshed(device_auth) -> None:
    device_auth.access_token_lifetime = 1  # MSAL treats tokens this close to expiry as stale
    await _sign_in(device_auth)
    cred = await credential_for_profile(lab_profile(device_auth))
    await cred.get_token("https://management.lab.invalid/.default")
    assert device_auth.refreshes == 1


async def test_sdk_client_with_the_signed_in_credential(device_auth, arm_tls, monkeypatch) -> None:
    # one bundle with both local CAs, as a site bundle holds its private roots: read by MSAL
    # (requests) for the authority and by the SDK client (aiohttp) for ARM
    bundle = arm_tls.tmp / "both.pem"
    bundle.write_text(open(device_auth.ca_file).read() + open(arm_tls.ca_file).read())
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    await _sign_in(device_auth)
    cred = await credential_for_profile(lab_profile(device_auth))
    subs = await subscriptions_via(cred, arm_cloud(arm_tls))
    assert len(subs) == 2
    sent = {c.authorization for c in arm_tls.calls}
    assert len(sent) == 1 and sent.pop().removeprefix("Bearer ") in device_auth.issued_tokens


async def test_other_credential_kinds_are_azure_identity(device_auth, monkeypatch) -> None:
    from azure.identity.aio import AzureCliCredential, EnvironmentCredential, ManagedIdentityCredential

    for kind, cls in [("azure-cli", AzureCliCredential), ("environment", EnvironmentCredential), ("managed-identity", ManagedIdentityCredential)]:
        cred = await credential_for_profile(lab_profile(device_auth, credential=kind))
        assert isinstance(cred, cls)
        await cred.close()
    # nothing configured in the environment: a plain "not signed in", not a traceback
    with pytest.raises(SignInError) as info:
        await session_for_profile(lab_profile(device_auth, credential="environment"))
    assert info.value.kind == "not-signed-in" and "environment" in str(info.value)
