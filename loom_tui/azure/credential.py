"""Credentials for the async SDK clients, chosen per profile.

There is no async ``DeviceCodeCredential`` in ``azure.identity.aio`` (the maintainers advise
wrapping a sync credential), so ``MsalCredential`` is an ``AsyncTokenCredential`` over the MSAL
cache that ``loom login`` filled: every acquisition (cache hit, or refresh with the refresh token)
runs in a worker thread, never on the event loop, for any scope — ARM, Cosmos DB, Storage, Log
Analytics.  Scripted runs use azure-identity's own async credentials instead: the Azure CLI's
login, a service principal from the environment, or a managed identity.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from loom_tui.config import Profile

from .auth import acquire_silent, build_app, cached_accounts
from .clouds import get_cloud
from .errors import SignInError
from .token_cache import CacheHandle, open_token_cache


class MsalCredential:
    """``AsyncTokenCredential`` (``get_token``) and ``AsyncSupportsTokenInfo`` (``get_token_info``)
    backed by an MSAL ``PublicClientApplication`` and its cache."""

    def __init__(self, app: Any, account: dict[str, Any] | None = None) -> None:
        self.app = app
        self.account = account
        self._lock = threading.Lock()  # one MSAL call at a time: the cache is shared
        self.acquisitions = 0

    def _acquire(self, scopes: list[str], force_refresh: bool) -> dict[str, Any]:
        with self._lock:
            self.acquisitions += 1
            return acquire_silent(self.app, scopes, self.account, force_refresh=force_refresh)

    async def _token(self, scopes: tuple[str, ...], force_refresh: bool = False) -> tuple[str, int, int | None]:
        if not scopes:
            raise ValueError("get_token needs at least one scope")
        result = await asyncio.to_thread(self._acquire, list(scopes), force_refresh)
        now = int(time.time())
        expires_on = now + int(result.get("expires_in", 0))
        refresh_on = result.get("refresh_on")
        return result["access_token"], expires_on, int(refresh_on) if refresh_on else None

    async def get_token(self, *scopes: str, claims: str | None = None, tenant_id: str | None = None, enable_cae: bool = False, **kwargs: Any):
        from azure.core.credentials import AccessToken

        token, expires_on, _ = await self._token(scopes, force_refresh=bool(claims))
        return AccessToken(token, expires_on)

    async def get_token_info(self, *scopes: str, options: dict | None = None):
        from azure.core.credentials import AccessTokenInfo

        token, expires_on, refresh_on = await self._token(scopes, force_refresh=bool((options or {}).get("claims")))
        return AccessTokenInfo(token, expires_on, refresh_on=refresh_on)

    async def close(self) -> None:
        return None

    async def __aenter__(self) -> "MsalCredential":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()


def open_cache_for(profile: Profile, *, allow_unencrypted: bool = False) -> CacheHandle:
    return open_token_cache(allow_unencrypted=allow_unencrypted or profile.allow_unencrypted_token_cache)


async def msal_app_for(profile: Profile, cache: CacheHandle, *, http_client: Any = None) -> Any:
    return await asyncio.to_thread(build_app, profile, cache, http_client=http_client)


def pick_account(app: Any, tenant: str | None) -> dict[str, Any]:
    """The cached account for the profile's tenant (any, when the profile names none)."""
    accounts = cached_accounts(app)
    if tenant:
        matching = [a for a in accounts if a.get("realm") == tenant or str(a.get("home_account_id", "")).endswith("." + tenant)]
        accounts = matching or ([] if _is_guid(tenant) else accounts)
    if not accounts:
        raise SignInError("not-signed-in", f"no signed-in account{' for tenant ' + tenant if tenant else ''}")
    return accounts[0]


def _is_guid(value: str) -> bool:
    return len(value) == 36 and value.count("-") == 4


async def credential_for_profile(profile: Profile, *, cache: CacheHandle | None = None, http_client: Any = None) -> Any:
    """The profile's ``AsyncTokenCredential`` (close it when done)."""
    cloud = get_cloud(profile.cloud)
    kind = profile.credential
    if kind == "device-code":
        cache = cache or open_cache_for(profile)
        app = await msal_app_for(profile, cache, http_client=http_client)
        return MsalCredential(app, pick_account(app, profile.tenant_id))
    from .network import sdk_client_kwargs

    common: dict[str, Any] = dict(sdk_client_kwargs())
    if kind == "azure-cli":
        from azure.identity.aio import AzureCliCredential

        return AzureCliCredential(tenant_id=profile.tenant_id) if profile.tenant_id else AzureCliCredential()
    if kind == "environment":
        from azure.identity.aio import EnvironmentCredential

        return EnvironmentCredential(authority=cloud.authority_host, disable_instance_discovery=not cloud.instance_discovery, **common)
    if kind == "managed-identity":
        from azure.identity.aio import ManagedIdentityCredential

        return ManagedIdentityCredential(client_id=profile.client_id, **common) if profile.client_id else ManagedIdentityCredential(**common)
    raise SignInError("config", f"unknown credential kind {kind!r}")
