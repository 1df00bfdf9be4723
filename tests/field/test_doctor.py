"""``loom doctor``: offline it fails fast instead of hanging; against live local endpoints it says OK;
config, permission and proxy/CA problems come with their fix."""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from aiohttp import web

from loom_tui.azure.clouds import Cloud, register_cloud
from loom_tui.services.doctor import FAIL, OK, WARN, run_doctor
from tests.support.arm_server import ArmServer
from tests.support.threaded import serve_in_thread

from .conftest import child_env, loom_bin


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _write_config(text: str) -> Path:
    cfg = Path(os.environ["LOOM_CONFIG"])
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(text)
    cfg.chmod(0o600)
    return cfg


def _by_name(report: dict) -> dict[str, dict]:
    return {c["name"]: c for c in report["checks"]}


def test_local_profile_needs_no_network() -> None:
    r = subprocess.run([loom_bin(), "doctor", "--json"], env=child_env(), capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads(r.stdout)
    checks = _by_name(report)
    assert checks["cloud endpoints"]["status"] == OK and "offline" in checks["cloud endpoints"]["detail"]
    assert checks["profile"]["detail"].startswith("local")
    assert all(c["area"] != "endpoints" or c["name"] == "cloud endpoints" for c in report["checks"])


@pytest.mark.serial  # asserts a time limit the operator is promised: measured alone
def test_unreachable_cloud_fails_fast_with_fixes() -> None:
    silent = socket.socket()  # accepts TCP (the kernel does) but never speaks TLS: a black hole
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        register_cloud(Cloud("LoomOffline", f"http://127.0.0.1:{_closed_port()}", "https://management.loom.invalid/", "",
                             "core.loom.invalid", None))
        _write_config(
            'default_profile = "offline"\n[profiles.offline]\nstore = "cosmos"\ncloud = "LoomOffline"\n'
            'tenant_id = "00000000-0000-0000-0000-000000000001"\n'
            f'cosmos_endpoint = "https://127.0.0.1:{silent.getsockname()[1]}/"\n'
        )
        t0 = time.perf_counter()
        r = subprocess.run([loom_bin(), "doctor", "--json", "--timeout", "1"], env=child_env(), capture_output=True, text=True, timeout=30)
        took = time.perf_counter() - t0
    finally:
        silent.close()
    assert r.returncode == 1, r.stdout + r.stderr
    checks = _by_name(json.loads(r.stdout))
    assert checks["authority TCP"]["status"] == FAIL  # connection refused
    assert checks["ARM DNS"]["status"] == FAIL  # name does not resolve
    assert checks["Cosmos DB TLS"]["status"] == FAIL and "within 1 s" in checks["Cosmos DB TLS"]["detail"]  # black hole
    for name in ("authority TCP", "ARM DNS", "Cosmos DB TLS"):
        assert checks[name]["fix"], name
    assert "authority HTTP" not in checks  # later stages are not tried after a failed one
    assert took < 8, f"doctor took {took:.1f} s offline"


@pytest.fixture
def tls_authority(tmp_path: Path):
    """An HTTPS OpenID discovery endpoint on localhost with a throwaway CA (trustme)."""
    import trustme

    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))

    class Server:
        url = ""
        runner: web.AppRunner | None = None

        async def start(self) -> None:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ca.issue_cert("localhost").configure_cert(ctx)

            async def discovery(request: web.Request) -> web.Response:
                return web.json_response({"issuer": "x", "token_endpoint": "y"})

            app = web.Application()
            app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", discovery)
            self.runner = web.AppRunner(app, access_log=None)
            await self.runner.setup()
            site = web.TCPSite(self.runner, "127.0.0.1", 0, ssl_context=ctx)
            await site.start()
            self.url = f"https://localhost:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]

        async def stop(self) -> None:
            if self.runner:
                await self.runner.cleanup()

    with serve_in_thread(Server()) as server:
        yield server, ca_file


async def test_reachable_cloud_is_ok(tls_authority, monkeypatch: pytest.MonkeyPatch) -> None:
    authority, ca_file = tls_authority
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_file))
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    with serve_in_thread(ArmServer()) as arm:
        register_cloud(Cloud("LoomLocal", authority.url, arm.url + "/", "", "core.loom.invalid", None))
        _write_config('[profiles.lab]\nstore = "cosmos"\ncloud = "LoomLocal"\ntenant_id = "contoso"\ncosmos_endpoint = "%s/"\n' % arm.url)
        report = await run_doctor(profile="lab", timeout=3)
    checks = {c.name: c for c in report.checks}
    for name in ("authority DNS", "authority TLS", "authority HTTP", "ARM DNS", "ARM TCP", "ARM HTTP"):
        assert checks[name].status == OK, (name, checks[name])
    assert "localhost ->" in checks["authority DNS"].detail
    assert "certificate trusted" in checks["authority TLS"].detail
    # the Cosmos endpoint here is the ARM test server: reachable, answering 401 without a key
    assert checks["Cosmos DB HTTP"].status in (OK, WARN)

    # the same authority without the private CA: the fix names the CA bundle variable
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    from loom_tui.azure import network

    network._context.cache_clear()
    with serve_in_thread(ArmServer()) as arm:
        register_cloud(Cloud("LoomLocal", authority.url, arm.url + "/", "", "core.loom.invalid", None), replace=True)
        report = await run_doctor(profile="lab", timeout=3)
    tls = {c.name: c for c in report.checks}["authority TLS"]
    assert tls.status == FAIL and "not trusted" in tls.detail and "REQUESTS_CA_BUNDLE" in tls.fix


async def test_config_files_proxy_and_ca_problems_come_with_fixes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = _write_config('[profiles.x]\nstore = "cosmos"\ncosmos_endpoint = "https://a/"\ncosmos_key = "abcdefgh"\n')
    cfg.chmod(0o644)
    env = {"TERM": "dumb", "HTTPS_PROXY": "http://alice:hunter2@proxy.corp:3128", "REQUESTS_CA_BUNDLE": str(tmp_path / "missing.pem"),
           "SSL_CERT_FILE": str(cfg), "LANG": "C"}
    report = await run_doctor(profile="x", env=env, timeout=0.5)
    checks = {c.name: c for c in report.checks}
    assert checks["config file permissions"].status == FAIL and checks["config file permissions"].fix == f"chmod 600 {cfg}"
    assert checks["TERM"].status == FAIL
    assert checks["HTTPS_PROXY"].status == OK and "hunter2" not in checks["HTTPS_PROXY"].detail
    assert checks["REQUESTS_CA_BUNDLE"].status == FAIL
    assert checks["SSL_CERT_FILE"].status == FAIL  # a TOML file is not a PEM bundle
    assert checks["authority DNS"].detail.endswith("resolved by the proxy http://***@proxy.corp:3128")
    assert checks["authority HTTP"].status == FAIL  # the proxy host does not exist

    cfg.write_text("not = [valid toml")
    report = await run_doctor(env=env, timeout=0.5)
    bad = {c.name: c for c in report.checks}["config file"]
    assert bad.status == FAIL and "not valid TOML" in bad.detail and bad.fix
    assert {c.name: c for c in report.checks}["cloud endpoints"].status == WARN


async def test_state_dir_readable_by_others_is_flagged() -> None:
    state = Path(os.environ["LOOM_STATE_DIR"])
    state.mkdir(parents=True)
    state.chmod(0o777)
    report = await run_doctor(env={"TERM": "xterm"})
    check = {c.name: c for c in report.checks}["state dir"]
    assert check.status == WARN and check.fix == f"chmod 700 {state}"
