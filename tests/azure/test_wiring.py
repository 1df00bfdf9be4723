"""Wiring: ``await ctx.azure()`` gives the run's one ``AzureClients`` — for a real profile from the
signed-in credential and the profile's (custom) cloud, for the local profile the demo Azure on this
machine, started only when first asked for — and the context closes what it made."""

from __future__ import annotations

import pytest

from loom_tui.azure.arm import list_subscriptions
from loom_tui.azure.clouds import register_cloud
from loom_tui.config import ConfigError, Profile, load_config
from loom_tui.local.demo import DEMO_SESSION
from loom_tui.wiring import context as make_context
from loom_tui.wiring import open_context
from loom_tui.store.sqlite import SqliteStore
from tests.azure.conftest import StaticCredential, arm_cloud


class ClosingCredential(StaticCredential):
    closed = False

    async def close(self) -> None:
        self.closed = True


async def test_a_real_profile_gets_its_cloud_and_credential(arm_tls, tmp_path) -> None:
    register_cloud(arm_cloud(arm_tls), replace=True)
    profile = Profile(name="lab", store="cosmos", cosmos_endpoint="https://127.0.0.1:1/", cloud="ArmTest", azure_concurrency=3)
    store = SqliteStore(tmp_path / "db")
    await store.open()
    cred = ClosingCredential()
    ctx = make_context(profile=profile, store=store, session=DEMO_SESSION, credential=cred)
    assert not ctx.azure_started
    clients = await ctx.azure()
    assert await ctx.azure() is clients  # one per run
    assert clients.concurrency == 3 and clients.cloud.arm_endpoint == arm_tls.url + "/"
    assert len(await list_subscriptions(clients)) == 2
    assert cred.scopes[0] == (arm_tls.url + "/.default",)
    heard = []
    ctx.throttle_listeners.append(heard.append)  # the console's flash line listens here
    from tests.support.arm_server import Fault

    arm_tls.inject("subscriptions.list", Fault("429", variant="costmanagement-qpu", seconds=0))
    await list_subscriptions(clients)
    assert [e.service for e in heard] == ["Cost Management"]
    session = clients.session
    await ctx.close()
    assert session.closed and clients.closed
    assert cred.closed  # the context closes the credential last


def test_azure_concurrency_is_validated(tmp_path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[profiles.p]\nstore = "local"\nazure_concurrency = 16\n')
    assert load_config(cfg).profiles["p"].azure_concurrency == 16
    assert load_config(cfg).profiles["local"].azure_concurrency == 8
    for bad in ("0", "65", '"8"', "true", "2.5"):
        cfg.write_text(f'[profiles.p]\nstore = "local"\nazure_concurrency = {bad}\n')
        with pytest.raises(ConfigError) as info:
            load_config(cfg)
        assert info.value.key == "profiles.p.azure_concurrency" and "1 to 64" in info.value.problem


async def test_the_local_profile_starts_no_azure_until_asked(tmp_path) -> None:
    ctx = await open_context(Profile(), data_dir=str(tmp_path / "data"))
    try:
        assert not ctx.azure_started
    finally:
        await ctx.close()


async def test_the_local_profile_reaches_the_demo_azure(tmp_path) -> None:
    pytest.importorskip("loom_tui.demo_azure.launcher")
    ctx = await open_context(Profile(), data_dir=str(tmp_path / "data"))
    try:
        clients = await ctx.azure()
        assert clients.cloud.arm_endpoint.startswith("https://127.0.0.1:")
        subs = await list_subscriptions(clients)
        assert len(subs) == 4 and ctx.profile.subscriptions == [s.subscription_id for s in subs]  # incl. the empty DLZ subscription (Setup)
        assert ctx.profile.admin_plane_rg == "rg-csa-loom-admin-eastus2"
        assert ctx.profile.dlz_rgs and all(rg.startswith("rg-csa-loom-dlz-") for rg in ctx.profile.dlz_rgs)
        session = clients.session
    finally:
        await ctx.close()
    assert session.closed
