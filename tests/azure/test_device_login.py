"""Device-code sign-in end to end: real MSAL against the local RFC 8628 server over TLS."""

from __future__ import annotations

import asyncio
import os
import stat
import time
from pathlib import Path

import pytest

from loom_tui.azure.auth import DeviceCodeLogin, build_app, id_token_claims, sign_out
from loom_tui.azure.credential import open_cache_for, pick_account
from loom_tui.azure.errors import SignInError
from loom_tui.azure.session import session_from_claims
from loom_tui.azure.token_cache import open_token_cache
from tests.azure.conftest import lab_profile
from tests.support.device_auth_server import USER_OID

SCOPE = ["https://management.lab.invalid/.default"]


class Sleeps:
    """Records the waits the login asks for and waits a tick instead (no real seconds in tests)."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        await asyncio.sleep(0.01)


async def _login(server, script, **kw):
    server.script = script
    prof = lab_profile(server)
    cache = open_cache_for(prof)
    app = await asyncio.to_thread(build_app, prof, cache)
    sleeps = Sleeps()
    login = DeviceCodeLogin(app, SCOPE, sleep=sleeps, **kw)
    code = await login.start()
    return app, cache, login, code, sleeps


async def test_success_gives_claims_and_session(device_auth) -> None:
    app, cache, login, code, sleeps = await _login(device_auth, ["success"])
    assert len(code.user_code) == 8 and code.verification_uri.startswith(device_auth.url)
    assert 800 < code.seconds_left() <= 900
    result = await login.wait()
    assert login.polls == 1 and sleeps.asked == []
    claims = result["id_token_claims"]
    assert claims["oid"] == USER_OID and claims["tid"] == device_auth.tenant
    # MSAL asked for the ARM scope plus the OpenID scopes that bring the ID token
    assert set(device_auth.device_requests[0]["scope"].split()) >= {"https://management.lab.invalid/.default", "openid", "profile", "offline_access"}
    admin = session_from_claims(claims, lab_profile(device_auth, admin_group_id="0b5fe924-9a61-425c-96af-cfe6e287ca2d"), source="device-code")
    assert admin.is_tenant_admin and admin.upn == "ada@contoso.example" and admin.display_name == "Ada Lovelace"
    plain = session_from_claims(claims, lab_profile(device_auth, admin_group_id="11111111-1111-1111-1111-111111111111"), source="device-code")
    assert not plain.is_tenant_admin
    # the cache now knows the account and its ID token
    acc = pick_account(app, device_auth.tenant)
    assert id_token_claims(app, acc)["name"] == "Ada Lovelace"


async def test_pending_then_success_honours_the_interval(device_auth) -> None:
    _, _, login, _, sleeps = await _login(device_auth, ["pending", "pending", "success"])
    await login.wait()
    assert login.polls == 3 and sleeps.asked == [1.0, 1.0]


async def test_slow_down_adds_five_seconds(device_auth) -> None:
    _, _, login, _, sleeps = await _login(device_auth, ["pending", "slow_down", "success"])
    await login.wait()
    assert sleeps.asked == [1.0, 6.0]


@pytest.mark.parametrize("step,kind", [("declined", "declined"), ("expired", "expired")])
async def test_declined_and_expired_answers(device_auth, step: str, kind: str) -> None:
    _, _, login, _, _ = await _login(device_auth, ["pending", step])
    with pytest.raises(SignInError) as info:
        await login.wait()
    assert info.value.kind == kind
    assert "Start again" in str(info.value)


async def test_code_expiring_on_the_client_side(device_auth) -> None:
    fake_now = [time.time()]
    _, _, login, code, _ = await _login(device_auth, ["pending"], clock=lambda: fake_now[0])
    polls = []

    async def advance(seconds: float) -> None:
        polls.append(seconds)
        fake_now[0] = code.expires_at + 1  # the operator walked away

    login._sleep = advance
    with pytest.raises(SignInError) as info:
        await login.wait()
    assert info.value.kind == "expired" and login.polls == 1


@pytest.mark.serial  # asserts a time limit the operator is promised: measured alone
async def test_cancel_stops_at_once(device_auth) -> None:
    device_auth.script = ["pending"]
    prof = lab_profile(device_auth)
    app = await asyncio.to_thread(build_app, prof, open_cache_for(prof))
    login = DeviceCodeLogin(app, SCOPE)  # real asyncio.sleep, interval 1 s
    await login.start()
    task = asyncio.create_task(login.wait())
    while login.polls < 1:
        await asyncio.sleep(0.01)
    t0 = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - t0 < 0.5
    polls = device_auth.polls
    await asyncio.sleep(1.2)
    assert device_auth.polls == polls  # nothing polls after cancel


async def test_unknown_tenant_and_unreachable_authority(device_auth) -> None:
    prof = lab_profile(device_auth, tenant_id="00000000-0000-0000-0000-00000000dead")
    with pytest.raises(SignInError) as info:
        await asyncio.to_thread(build_app, prof, open_cache_for(prof))
    assert info.value.kind == "tenant"
    from loom_tui.azure.clouds import Cloud

    dead = Cloud("Dead", "https://127.0.0.1:9", "https://management.lab.invalid/", "", "core.lab.invalid", None)
    with pytest.raises(SignInError) as info:
        await asyncio.to_thread(build_app, lab_profile(device_auth), open_cache_for(prof), cloud=dead)
    assert info.value.kind == "network" and "REQUESTS_CA_BUNDLE" in str(info.value)


async def test_untrusted_certificate_is_refused(device_auth, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    prof = lab_profile(device_auth)
    with pytest.raises(SignInError) as info:
        await asyncio.to_thread(build_app, prof, open_cache_for(prof))
    assert info.value.kind == "network"


async def test_cache_file_is_0600_persists_and_logout_removes(device_auth) -> None:
    app, cache, login, _, _ = await _login(device_auth, ["success"])
    await login.wait()
    assert cache.kind == "file"
    assert stat.S_IMODE(cache.path.stat().st_mode) == 0o600
    text = cache.path.read_text()
    assert "ada@contoso.example" in text
    # a new process (new app, new cache object) finds the account
    prof = lab_profile(device_auth)
    app2 = await asyncio.to_thread(build_app, prof, open_cache_for(prof))
    assert pick_account(app2, device_auth.tenant)["username"] == "ada@contoso.example"
    assert await asyncio.to_thread(sign_out, app2) == ["ada@contoso.example"]
    app3 = await asyncio.to_thread(build_app, prof, open_cache_for(prof))
    with pytest.raises(SignInError) as info:
        pick_account(app3, device_auth.tenant)
    assert info.value.kind == "not-signed-in"
    for token in device_auth.issued_tokens:
        assert token not in cache.path.read_text()


def test_cache_kinds_and_one_announcement(tmp_path: Path) -> None:
    mem = open_token_cache(allow_unencrypted=False, directory=tmp_path, try_encrypted=False)
    assert mem.kind == "memory" and mem.path is None and "allow_unencrypted_token_cache" in mem.note
    first = open_token_cache(allow_unencrypted=True, directory=tmp_path, try_encrypted=False)
    assert first.kind == "file" and first.note and "0600" in first.note
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    os.chmod(first.path, 0o644)
    second = open_token_cache(allow_unencrypted=True, directory=tmp_path, try_encrypted=False)
    assert second.note is None  # announced once
    assert stat.S_IMODE(second.path.stat().st_mode) == 0o600  # loosened mode is tightened again


def test_encrypted_is_tried_first() -> None:
    """On this headless machine libsecret is missing: the handle says so instead of failing."""
    h = open_token_cache(allow_unencrypted=False)
    if h.kind == "encrypted":
        pytest.skip("this machine has a keyring: encrypted cache in use")
    assert h.kind == "memory" and "keyring is not available" in h.note
