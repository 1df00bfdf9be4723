"""A local OAuth 2.0 device-authorization server (RFC 8628) shaped like Microsoft Entra ID.

MSAL reaches it exactly as it reaches an air-gapped cloud's authority: an Entra-style authority
``https://127.0.0.1:PORT/<tenant>`` with instance discovery off, tenant discovery at
``/<tenant>/v2.0/.well-known/openid-configuration``, and TLS verified against a throwaway CA made
with ``trustme`` (``ca_file``), handed to MSAL through its ``http_client``.  Nothing in MSAL is
patched.

Each test scripts what the token endpoint answers to successive device-code polls
(``script``): ``"pending"``, ``"slow_down"``, ``"declined"``, ``"expired"``, ``"success"``; the last
entry repeats.  Successful answers carry an unsigned ID token with the claims Entra sends
(tid, oid, upn, preferred_username, name, groups) and ``client_info``, plus a refresh token that
the ``refresh_token`` grant honours (silent acquisition and refresh).
"""

from __future__ import annotations

import base64
import json
import secrets
import ssl
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

TENANT = "8f70baf1-1f6e-46a2-a1ff-238dac1ebfb7"
USER_OID = "ce2ce14e-85d7-4629-bdbc-454d0519d987"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unsigned_jwt(claims: dict[str, Any]) -> str:
    return ".".join([b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode()), b64url(json.dumps(claims).encode()), ""])


@dataclass
class DeviceAuthServer:
    tmp: Path  # where the CA file is written
    tenant: str = TENANT
    script: list[str] = field(default_factory=lambda: ["success"])
    interval: int = 1
    expires_in: int = 900
    user: dict[str, Any] = field(default_factory=lambda: {
        "oid": USER_OID, "upn": "ada@contoso.example", "preferred_username": "ada@contoso.example",
        "name": "Ada Lovelace", "groups": ["0b5fe924-9a61-425c-96af-cfe6e287ca2d"],
    })
    access_token_lifetime: int = 3600
    # observations
    polls: int = 0
    refreshes: int = 0
    device_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    issued_tokens: list[str] = field(default_factory=list)  # every access/refresh token and device code handed out
    url: str = ""
    ca_file: str = ""
    _runner: web.AppRunner | None = None
    _codes: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def authority_host(self) -> str:
        return self.url

    async def start(self) -> str:
        import trustme

        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(ctx)
        self.ca_file = str(self.tmp / "device-auth-ca.pem")
        ca.cert_pem.write_to_path(self.ca_file)
        app = web.Application()
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._discovery)
        app.router.add_post("/{tenant}/oauth2/v2.0/devicecode", self._devicecode)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=ctx)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"https://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    def _known(self, tenant: str) -> bool:
        return tenant in (self.tenant, "organizations", "common")

    async def _discovery(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"]
        if not self._known(tenant):
            # what Entra answers for a tenant that does not exist
            return web.json_response({"error": "invalid_tenant", "error_description": f"AADSTS90002: Tenant '{tenant}' not found."}, status=400)
        base = f"{self.url}/{tenant}"
        return web.json_response({
            "issuer": f"{self.url}/{self.tenant}/v2.0",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
        })

    async def _devicecode(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.device_requests.append(form)  # type: ignore[arg-type]
        device_code = secrets.token_urlsafe(24)
        user_code = "".join(secrets.choice("BCDFGHJKLMNPQRSTVWXZ") for _ in range(8))
        self._codes[device_code] = {"client_id": form.get("client_id"), "scope": form.get("scope", ""), "step": 0}
        self.issued_tokens.append(device_code)
        verification = f"{self.url}/devicelogin"
        return web.json_response({
            "device_code": device_code, "user_code": user_code, "verification_uri": verification,
            "expires_in": self.expires_in, "interval": self.interval,
            "message": f"To sign in, use a web browser to open the page {verification} and enter the code {user_code} to authenticate.",
        })

    def _tokens(self, client_id: str, scope: str) -> dict[str, Any]:
        now = int(time.time())
        claims = {"aud": client_id, "iss": f"{self.url}/{self.tenant}/v2.0", "iat": now, "nbf": now, "exp": now + 3600,
                  "tid": self.tenant, "sub": uuid.uuid4().hex, "ver": "2.0", **self.user}
        access = "at-" + secrets.token_urlsafe(24)
        refresh = "rt-" + secrets.token_urlsafe(24)
        self.issued_tokens += [access, refresh]
        return {
            "token_type": "Bearer", "scope": " ".join(s for s in scope.split() if s not in ("openid", "profile", "offline_access")),
            "expires_in": self.access_token_lifetime, "ext_expires_in": self.access_token_lifetime,
            "access_token": access, "refresh_token": refresh, "id_token": unsigned_jwt(claims),
            "client_info": b64url(json.dumps({"uid": self.user["oid"], "utid": self.tenant}).encode()),
        }

    async def _token(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.token_requests.append(form)
        grant = form.get("grant_type")
        if grant == "refresh_token":
            if form.get("refresh_token") not in self.issued_tokens:
                return _oauth_error("invalid_grant", "AADSTS70000: The refresh token is not valid.")
            self.refreshes += 1
            return web.json_response(self._tokens(form.get("client_id", ""), form.get("scope", "")))
        if grant != "urn:ietf:params:oauth:grant-type:device_code":
            return _oauth_error("unsupported_grant_type", f"grant {grant!r} is not supported here")
        code = self._codes.get(form.get("device_code", ""))
        if code is None:
            return _oauth_error("invalid_grant", "AADSTS70000: unknown device code")
        self.polls += 1
        step = self.script[min(code["step"], len(self.script) - 1)]
        code["step"] += 1
        if step == "pending":
            return _oauth_error("authorization_pending", "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.")
        if step == "slow_down":
            return _oauth_error("slow_down", "AADSTS70000: slow down")
        if step == "declined":
            return _oauth_error("authorization_declined", "AADSTS70000: The user declined the sign-in request.")
        if step == "expired":
            return _oauth_error("expired_token", "AADSTS70020: The provided value for the input parameter 'device_code' is not valid. This device code has expired.")
        return web.json_response(self._tokens(code["client_id"] or "", code["scope"]))


def _oauth_error(error: str, description: str) -> web.Response:
    return web.json_response({"error": error, "error_description": description, "error_codes": [70016]}, status=400)
