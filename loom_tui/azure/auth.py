"""Interactive sign-in with MSAL's device-code flow, and what the token cache knows afterwards.

Why device code: operators work over SSH on jump boxes with no browser; the code is typed on any
device that has one.  MSAL's own ``acquire_token_by_device_flow`` blocks a thread in a sleep loop,
so here each poll is one non-blocking MSAL call (``exit_condition=lambda f: True``) run in a worker
thread, and the waiting between polls is an ``asyncio`` sleep: cancelling the task stops at once,
and the UI never blocks.  The interval (and its growth on ``slow_down``, done by MSAL) is honoured.

Instance discovery is turned off for every authority MSAL does not know (air-gapped clouds), or
MSAL would ask login.microsoftonline.com first.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
import warnings
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from loom_tui.config import Profile

from .clouds import Cloud, get_cloud
from .errors import SignInError, classify
from .profiles import client_id as profile_client_id
from .token_cache import CacheHandle

log = logging.getLogger("loom.azure.auth")

# our loop paces the polls itself; MSAL's "Attempted too soon" warning assumes its own loop
warnings.filterwarnings("ignore", message="Attempted too soon")


@dataclass(frozen=True)
class DeviceCode:
    """What the operator needs to see: never the device code itself."""

    user_code: str
    verification_uri: str
    expires_at: float  # epoch seconds
    interval: int
    message: str

    def seconds_left(self, now: float | None = None) -> int:
        return max(0, int(self.expires_at - (now if now is not None else time.time())))


def build_app(profile: Profile, cache: CacheHandle | Any, *, cloud: Cloud | None = None, http_client: Any = None) -> Any:
    """A ``msal.PublicClientApplication`` for the profile's cloud and tenant.  Blocking (tenant
    discovery happens here): call it in a thread.  Raises ``SignInError`` (network/tenant)."""
    import msal
    import requests

    from .network import requests_session

    cloud = cloud or get_cloud(profile.cloud)
    token_cache = cache.cache if isinstance(cache, CacheHandle) else cache
    try:
        return msal.PublicClientApplication(
            profile_client_id(profile),
            authority=cloud.authority(profile.tenant_id),
            token_cache=token_cache,
            http_client=http_client or requests_session(),
            instance_discovery=None if cloud.instance_discovery else False,
        )
    except requests.exceptions.RequestException as exc:
        raise SignInError("network", f"{cloud.authority_host}: {type(exc).__name__}") from None
    except ValueError as exc:
        text = str(exc)
        if "invalid_tenant" in text or "AADSTS90002" in text or "OIDC Discovery failed" in text or "Unable to get authority" in text:
            raise SignInError("tenant", f"tenant {profile.tenant_id or 'organizations'!r} at {cloud.authority_host}") from None
        raise SignInError("other", text.splitlines()[0]) from None


Sleep = Callable[[float], Awaitable[None]]


class DeviceCodeLogin:
    """One device-code sign-in: ``code = await start()``, then ``result = await wait()``.

    ``wait`` returns MSAL's result (``access_token``, ``id_token_claims``, ...) or raises
    ``SignInError`` (declined, expired, network, tenant, other); cancel the awaiting task to stop.
    ``sleep`` and ``clock`` are seams for tests that must not wait real seconds."""

    def __init__(self, app: Any, scopes: list[str], *, sleep: Sleep = asyncio.sleep, clock: Callable[[], float] = time.time) -> None:
        self.app = app
        self.scopes = scopes
        self._sleep = sleep
        self._clock = clock
        self._flow: dict[str, Any] | None = None
        self.code: DeviceCode | None = None
        self.polls = 0

    async def start(self) -> DeviceCode:
        import requests

        try:
            flow = await asyncio.to_thread(self.app.initiate_device_flow, scopes=self.scopes)
        except requests.exceptions.RequestException as exc:
            raise SignInError("network", type(exc).__name__) from None
        if "user_code" not in flow:
            raise classify(flow.get("error"), flow.get("error_description"))
        self._flow = flow
        self.code = DeviceCode(
            user_code=flow["user_code"],
            verification_uri=flow.get("verification_uri") or flow.get("verification_url") or "",
            expires_at=float(flow["expires_at"]),
            interval=int(flow.get("interval", 5)),
            message=flow.get("message") or "",
        )
        return self.code

    async def wait(self) -> dict[str, Any]:
        import requests

        if self._flow is None:
            raise RuntimeError("start() first")
        flow = self._flow
        while True:
            if self._clock() >= flow["expires_at"]:
                raise SignInError("expired", "no approval before the code expired")
            try:
                result = await asyncio.to_thread(self.app.acquire_token_by_device_flow, flow, exit_condition=lambda f: True)
            except requests.exceptions.RequestException as exc:
                raise SignInError("network", type(exc).__name__) from None
            self.polls += 1
            if "access_token" in result:
                return result
            error = result.get("error")
            if error not in ("authorization_pending", "slow_down"):
                raise classify(error, result.get("error_description"))
            await self._sleep(float(flow.get("interval", 5)))  # MSAL adds 5 s on slow_down

    def cancel(self) -> None:
        """Make any MSAL loop on this flow stop (the awaiting task should be cancelled too)."""
        if self._flow is not None:
            self._flow["expires_at"] = 0


# ---------------------------------------------------------------- what the cache knows


def decode_jwt_claims(token: str) -> dict[str, Any]:
    """The claims of a JWT, unverified: they only label the session; Azure verifies every token."""
    try:
        part = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (IndexError, ValueError):
        return {}


def cached_accounts(app: Any) -> list[dict[str, Any]]:
    return list(app.get_accounts())


def id_token_claims(app: Any, account: dict[str, Any]) -> dict[str, Any]:
    """The ID-token claims MSAL kept for ``account`` (silent answers do not carry them)."""
    from msal.token_cache import TokenCache

    entries = list(app.token_cache.search(TokenCache.CredentialType.ID_TOKEN, query={"home_account_id": account.get("home_account_id")}))
    best: dict[str, Any] = {}
    for entry in entries:
        claims = decode_jwt_claims(entry.get("secret", ""))
        if claims.get("iat", 0) >= best.get("iat", -1):
            best = claims
    return best


def acquire_silent(app: Any, scopes: list[str], account: dict[str, Any] | None = None, *, force_refresh: bool = False) -> dict[str, Any]:
    """Blocking: a token from the cache, refreshed with the refresh token when needed."""
    accounts = [account] if account else cached_accounts(app)
    if not accounts:
        raise SignInError("not-signed-in")
    result = app.acquire_token_silent_with_error(scopes, account=accounts[0], force_refresh=force_refresh)
    if not result:
        raise SignInError("not-signed-in", "no usable token in the cache")
    if "access_token" not in result:
        err = classify(result.get("error"), result.get("error_description"))
        if err.kind == "other":
            raise SignInError("not-signed-in", err.detail)
        raise err
    return result


def sign_out(app: Any) -> list[str]:
    """Remove every cached account of this app (its tokens go with it); returns the usernames."""
    removed = []
    for acc in cached_accounts(app):
        app.remove_account(acc)
        removed.append(acc.get("username") or acc.get("home_account_id", "?"))
    return removed
