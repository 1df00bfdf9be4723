"""Fixtures for the Azure layer: the local ARM server (on the test loop or in a thread) and a
``loom`` runner limited to the command modules this package owns."""

from __future__ import annotations

from typing import AsyncIterator, Iterator

import pytest

from tests.support.arm_server import ArmServer
from tests.support.threaded import serve_in_thread


@pytest.fixture
async def arm() -> AsyncIterator[ArmServer]:
    server = ArmServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def arm_thread() -> Iterator[ArmServer]:
    with serve_in_thread(ArmServer()) as server:
        yield server


@pytest.fixture
def loom(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run ``loom ARGS`` in-process; returns (exit code, stdout, stderr)."""
    from loom_tui import cli

    # only the sign-in/cloud/profile commands: other areas' modules are not needed here
    monkeypatch.setattr(cli, "COMMAND_MODULES", tuple(m for m in ("cloud", "profile", "login") if _exists(m)))

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _exists(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(f"loom_tui.commands.{module}") is not None


# ------------------------------------------------------------------ sign-in


@pytest.fixture
async def device_auth(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """The local device-authorization server on the test loop, trusted through REQUESTS_CA_BUNDLE
    (the way an air-gapped site trusts its private CA), and a registered cloud ``Lab`` whose
    authority it is."""
    from tests.support.device_auth_server import DeviceAuthServer

    server = DeviceAuthServer(tmp_path)
    await server.start()
    _trust_and_register(server, monkeypatch)
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def device_auth_thread(tmp_path, monkeypatch: pytest.MonkeyPatch):
    from tests.support.device_auth_server import DeviceAuthServer

    with serve_in_thread(DeviceAuthServer(tmp_path)) as server:
        _trust_and_register(server, monkeypatch)
        yield server


def _trust_and_register(server, monkeypatch: pytest.MonkeyPatch) -> None:
    from loom_tui.azure.clouds import cloud_from_metadata, register_cloud

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_file)
    doc = {"authentication": {"loginEndpoint": server.url}, "resourceManager": "https://management.lab.invalid/",
           "suffixes": {"storage": "core.lab.invalid"}}
    register_cloud(cloud_from_metadata("Lab", doc, source="test"), replace=True)


def lab_profile(server, **kw):
    from loom_tui.config import Profile

    base = dict(name="lab", store="cosmos", cosmos_endpoint="https://127.0.0.1:1/", cloud="Lab", tenant_id=server.tenant,
                allow_unencrypted_token_cache=True)
    base.update(kw)
    return Profile(**base)


@pytest.fixture
async def arm_tls(tmp_path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[ArmServer]:
    """The ARM server over https, trusted through REQUESTS_CA_BUNDLE (read by loom's client kwargs)."""
    server = ArmServer(tls=True, tmp=tmp_path)
    await server.start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_file)
    try:
        yield server
    finally:
        await server.stop()


class StaticCredential:
    """A fixed bearer token: for tests of the ARM server and SDK behaviour where sign-in is not the
    subject (the sign-in credential itself is tested against the device-authorization server)."""

    def __init__(self) -> None:
        self.scopes: list[tuple[str, ...]] = []

    async def get_token(self, *scopes, **kw):
        import time

        from azure.core.credentials import AccessToken

        self.scopes.append(scopes)
        return AccessToken("static-test-token", int(time.time()) + 3600)

    async def close(self) -> None:
        pass

    async def __aenter__(self):
        return self

    async def __aexit__(self, *a) -> None:
        pass


def arm_cloud(server):
    from loom_tui.azure.clouds import Cloud

    return Cloud("ArmTest", "https://login.lab.invalid", server.url + "/", "", "core.lab.invalid", None)


async def subscriptions_via(credential, cloud, **kw):
    """``list_subscriptions`` through a run's ``AzureClients`` made for this call (``kw``: its options)."""
    from loom_tui.azure.arm import list_subscriptions
    from loom_tui.azure.clients import AzureClients

    async with AzureClients(credential, cloud, **kw) as clients:
        return await list_subscriptions(clients)


async def tenants_via(credential, cloud, **kw):
    from loom_tui.azure.arm import list_tenants
    from loom_tui.azure.clients import AzureClients

    async with AzureClients(credential, cloud, **kw) as clients:
        return await list_tenants(clients)


async def lab_context(data_dir, server=None, **kw):
    """An ``AppContext`` whose Azure is the ARM server ``server`` (registered as the custom cloud
    ``ArmTest``; a fixed bearer token) over an embedded store in ``data_dir`` that several
    processes can share — the set-up of the operations tests (also run in a subprocess)."""
    from loom_tui.azure.clouds import register_cloud
    from loom_tui.config import Profile
    from loom_tui.local.demo import DEMO_SESSION
    from loom_tui.services.context import AppContext
    from loom_tui.wiring import context as make_context
    from loom_tui.store.sqlite import SqliteStore

    if server is not None:  # else registered already (by the process that started the server)
        register_cloud(arm_cloud(server), replace=True)
    store = SqliteStore(data_dir)
    await store.open()
    from loom_tui.domain.pace import Pace, demo_speed

    profile = Profile(name="lab", store="cosmos", cosmos_endpoint="https://127.0.0.1:1/", cloud="ArmTest")
    kw.setdefault("pace", Pace(demo_speed()))  # the ARM test server is a simulated Azure: its waits run at the tests' speed
    return make_context(profile=profile, store=store, session=DEMO_SESSION, credential=StaticCredential(), **kw)
