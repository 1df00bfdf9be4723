"""A local "lab" Azure for console tests: the device-authorization server where a person approves
a user code, the ARM server announcing it as the cloud's sign-in endpoint, one CA bundle trusting
both (as a site bundle holds its private roots), and a config profile pointing at them."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.support.device_auth_server import DeviceAuthServer, _oauth_error

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


@dataclass
class ApprovalServer(DeviceAuthServer):
    """The device-authorization server with a person in the loop: a device-code poll stays
    ``authorization_pending`` until ``approve(user_code)`` is called with the code the operator was
    shown — what typing the code at the verification page does.  The scripted answers of the base
    server apply once the code is approved (``["success"]`` by default; ``["declined"]`` to
    decline instead)."""

    approved: set[str] = field(default_factory=set)
    user_codes: dict[str, str] = field(default_factory=dict)  # device code -> user code
    id_tokens: list[str] = field(default_factory=list)  # every ID token handed out (for leak scans)

    def secrets(self) -> list[str]:
        """Everything that must never reach a log or a screen: access, refresh and ID tokens and
        device codes (user codes are meant to be shown, so they are listed apart)."""
        return [*self.issued_tokens, *self.id_tokens]

    def _tokens(self, client_id: str, scope: str) -> dict[str, Any]:
        answer = super()._tokens(client_id, scope)
        self.id_tokens.append(answer["id_token"])
        return answer

    def approve(self, user_code: str) -> bool:
        """True when ``user_code`` is one this server handed out (and is now approved)."""
        if user_code not in self.user_codes.values():
            return False
        self.approved.add(user_code)
        return True

    async def _devicecode(self, request: web.Request) -> web.Response:
        resp = await super()._devicecode(request)
        body = json.loads(resp.body)  # type: ignore[arg-type]
        self.user_codes[body["device_code"]] = body["user_code"]
        return resp

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()  # aiohttp keeps the parsed form: the base handler reads it again
        if form.get("grant_type") == DEVICE_GRANT:
            user_code = self.user_codes.get(str(form.get("device_code", "")))
            if user_code is not None and user_code not in self.approved:
                self.polls += 1
                return _oauth_error("authorization_pending", "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.")
        return await super()._token(request)


def both_cas(tmp: Path, *servers: Any) -> str:
    bundle = tmp / "lab-ca-bundle.pem"
    bundle.write_text("".join(Path(s.ca_file).read_text() for s in servers), encoding="utf-8")
    return str(bundle)


def lab_config(*, cloud: str, tenant: str, cosmos_endpoint: str, database: str, cosmos_key: str | None = None,
               subscriptions: list[str] | None = None, admin_group_id: str | None = None) -> Path:
    """Write ``[profiles.lab]`` (the default profile) to ``$LOOM_CONFIG``."""
    lines = [
        'default_profile = "lab"', "", "[profiles.lab]", 'store = "cosmos"', f'cloud = "{cloud}"', f'tenant_id = "{tenant}"',
        f'cosmos_endpoint = "{cosmos_endpoint}"', f'cosmos_database = "{database}"', "cosmos_emulator = true",
        "allow_unencrypted_token_cache = true",
    ]
    if cosmos_key:
        lines.append(f'cosmos_key = "{cosmos_key}"')
    if subscriptions:
        lines.append("subscriptions = [" + ", ".join(f'"{s}"' for s in subscriptions) + "]")
    if admin_group_id:
        lines.append(f'admin_group_id = "{admin_group_id}"')
    from tests.support.cosmos_server import provision

    if cosmos_endpoint.startswith("https://127.0.0.1:"):
        provision(cosmos_endpoint, database)  # a writable open creates nothing: `loom store init` did
    path = Path(os.environ["LOOM_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------ the lab for subprocesses


@dataclass
class ThreadedLab:
    """The servers on their own loops (threads), for tests that run the real ``loom`` command in a
    subprocess or in tmux; ``env`` is what such a process needs besides the LOOM_* directories."""

    auth: ApprovalServer
    arm: Any
    bundle: str
    env: dict[str, str]


def loom_exe() -> str:
    import sys

    return str(Path(sys.executable).parent / "loom")


def run_loom(*args: str, env: dict[str, str], timeout: float = 60) -> Any:
    import subprocess

    full = {**os.environ, **env}
    return subprocess.run([loom_exe(), *args], env=full, capture_output=True, text=True, timeout=timeout)


def threaded_lab(tmp: Path):
    """Context manager: the approval server and the ARM server (TLS) in threads, and the cloud
    ``Lab`` registered by the real ``loom cloud register --metadata-url`` from the ARM server."""
    from contextlib import contextmanager

    from tests.support.arm_server import ArmServer
    from tests.support.threaded import serve_in_thread

    @contextmanager
    def lab():
        with serve_in_thread(ApprovalServer(tmp)) as auth, serve_in_thread(ArmServer(tls=True, tmp=tmp)) as arm:
            arm.login_endpoint = auth.url
            bundle = both_cas(tmp, auth, arm)
            env = {"REQUESTS_CA_BUNDLE": bundle}
            reg = run_loom("cloud", "register", "Lab", "--metadata-url",
                           f"{arm.url}/metadata/endpoints?api-version=2022-09-01", "--replace", env=env)
            assert reg.returncode == 0, reg.stderr
            yield ThreadedLab(auth, arm, bundle, env)

    return lab()


def scan_for_secrets(texts: dict[str, str], secrets: list[str]) -> list[str]:
    """``where: secret-prefix`` for every secret found in any text (empty = clean)."""
    found = []
    for where, text in texts.items():
        for secret in secrets:
            if secret and secret in text:
                found.append(f"{where}: {secret[:12]}…")
    return found


def state_files(state_dir: Path, *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file under the state directory (logs, rotated logs, resume state, markers) as text."""
    out = {}
    for path in sorted(state_dir.rglob("*")):
        if path.is_file() and path.name not in skip:
            out[str(path.relative_to(state_dir))] = path.read_text(encoding="utf-8", errors="replace")
    return out
