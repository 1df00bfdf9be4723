"""One interactive sign-in as the login screen needs it: ``start()`` gives the code to show,
``wait()`` gives the ``Session``.  No Textual here: the screen drives this object from a worker,
and a headless caller (or a test) can drive it the same way."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from loom_tui.config import Profile
from loom_tui.domain.session import Session

from .auth import DeviceCode, DeviceCodeLogin
from .clouds import get_cloud
from .credential import CacheHandle, msal_app_for, open_cache_for
from .errors import SignInError
from .profiles import effective_profile


class SignInFlow:
    def __init__(self, profile: Profile, *, allow_unencrypted: bool = False, sleep: Any = asyncio.sleep) -> None:
        self.profile, _ = effective_profile(profile)
        if allow_unencrypted:
            self.profile = dataclasses.replace(self.profile, allow_unencrypted_token_cache=True)
        self._sleep = sleep
        self._login: DeviceCodeLogin | None = None
        self._app: Any = None
        self.cache: CacheHandle | None = None
        self.note: str | None = None  # tell the operator once (token cache kind)

    @property
    def where(self) -> str:
        cloud = get_cloud(self.profile.cloud)
        return f"{cloud.name} · tenant {self.profile.tenant_id or 'organizations'}"

    async def start(self) -> DeviceCode:
        """A fresh code (call again to restart after expiry or an error)."""
        if self.profile.credential != "device-code":
            raise SignInError("config", f"profile {self.profile.name} signs in with {self.profile.credential!r}, not a device code")
        if self._app is None:
            cache = self.cache = open_cache_for(self.profile)
            self.note = cache.note
            self._app = await msal_app_for(self.profile, cache)
        cloud = get_cloud(self.profile.cloud)
        self._login = DeviceCodeLogin(self._app, [cloud.arm_scope], sleep=self._sleep)
        return await self._login.start()

    async def wait(self) -> Session:
        from .session import session_from_claims

        if self._login is None:
            raise RuntimeError("start() first")
        result = await self._login.wait()
        return session_from_claims(result.get("id_token_claims") or {}, self.profile, source="device-code")

    def cancel(self) -> None:
        if self._login is not None:
            self._login.cancel()
