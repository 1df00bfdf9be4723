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
        f'cosmos_endpoint = "{cosmos_endpoint}"', f'cosmos_database = "{database}"', "cosmos_verify_tls = false",
        "allow_unencrypted_token_cache = true",
    ]
    if cosmos_key:
        lines.append(f'cosmos_key = "{cosmos_key}"')
    if subscriptions:
        lines.append("subscriptions = [" + ", ".join(f'"{s}"' for s in subscriptions) + "]")
    if admin_group_id:
        lines.append(f'admin_group_id = "{admin_group_id}"')
    path = Path(os.environ["LOOM_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
