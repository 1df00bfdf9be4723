"""A loopback Cosmos DB endpoint (an SSH tunnel to a real account) is verified unless the profile
says it is the local emulator; doctor says which."""

from __future__ import annotations

import uuid

import pytest

from loom_tui.config import Profile
from loom_tui.store.cosmos import CosmosStore, tls_mode
from loom_tui.store.errors import StoreUnavailable
from tests.support.cosmos_server import cosmos_server  # noqa: F401  (session fixture)

pytestmark = pytest.mark.cosmos


def _profile(server, **kw) -> Profile:
    return Profile(name="tunnel", store="cosmos", cosmos_endpoint=server.endpoint, cosmos_key=server.key,
                   cosmos_database=f"tls{uuid.uuid4().hex[:10]}", tenant_id="11111111-1111-1111-1111-111111111111", **kw)


async def test_a_loopback_endpoint_is_verified_unless_it_is_the_emulator(cosmos_server) -> None:  # noqa: F811
    # the local server's certificate is self-signed: verification must fail, although the host is loopback
    store = CosmosStore.from_profile(_profile(cosmos_server))
    with pytest.raises(StoreUnavailable, match="(?i)certificate|ssl"):
        await store.open()
    await store.close()
    emulator = CosmosStore.from_profile(_profile(cosmos_server, cosmos_emulator=True))
    await emulator.init_with_key()
    await emulator.open()
    try:
        assert await emulator.get("workspaces", "t", "nothing") is None
    finally:
        await emulator.drop_database()
        await emulator.close()


def test_tls_mode_in_words() -> None:
    assert tls_mode("https://127.0.0.1:8081/", True, False).startswith("verified (loopback")
    assert tls_mode("https://acct.documents.azure.com:443/", True, False) == "verified"
    assert tls_mode("https://localhost:8081/", True, True).startswith("the local emulator")
    assert tls_mode("https://acct.documents.azure.com:443/", False, False).startswith("not verified")


async def test_doctor_says_which(monkeypatch, tmp_path) -> None:
    import os
    from pathlib import Path

    from loom_tui.services.doctor import run_doctor

    cfg = Path(os.environ["LOOM_CONFIG"])
    cfg.write_text('[profiles.tunnel]\nstore = "cosmos"\ncosmos_endpoint = "https://127.0.0.1:1/"\n'
                   'tenant_id = "11111111-1111-1111-1111-111111111111"\n'
                   '[profiles.emu]\nstore = "cosmos"\ncosmos_endpoint = "https://localhost:1/"\ncosmos_emulator = true\n'
                   'tenant_id = "11111111-1111-1111-1111-111111111111"\n')
    os.chmod(cfg, 0o600)
    for name, want in (("tunnel", "certificate verified"), ("emu", "certificate the local emulator")):
        report = await run_doctor(profile=name, timeout=0.3)
        check = next(c for c in report.checks if c.name == "Cosmos DB TLS")
        assert check.detail.startswith(want), check.detail
