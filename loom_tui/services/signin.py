"""Signing in before an Azure profile's context opens: the cached sign-in if it still works, else
an interactive device-code sign-in; then the subscriptions the user can pick from.

The console (``LoomApp``) drives this object; it holds no Textual import, so a test can drive it
the same way.  The credential that comes out is the one the context must use: after an
interactive sign-in it is built over the very MSAL application that signed in, because with a
memory-only token cache (no OS keyring, no plain-file cache allowed) those tokens live nowhere
else.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from loom_tui.config import Profile
from loom_tui.domain.session import Session


class AzureStart:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.note: str | None = None  # the token cache announcement (once), for the operator
        self._carry: Any = None  # the MSAL credential of the tenant being left (its cache holds the refresh token)
        self._left: tuple[Profile, Any] = (profile, None)

    def validate(self) -> None:
        """The checks that need the cloud registry (cloud name, GUIDs): ``ConfigError`` naming the key."""
        from loom_tui.azure.profiles import validate_azure
        from loom_tui.config import load_config

        validate_azure(self.profile, load_config().file)

    @property
    def interactive(self) -> bool:
        """Only a device-code profile signs in from the console; the others use the Azure CLI's
        login, the environment or a managed identity."""
        return self.profile.credential == "device-code"

    async def silent(self) -> tuple[Session, Any] | None:
        """``(session, credential)`` from the cached sign-in, or ``None`` when the operator has to
        sign in (no account, or its refresh token no longer works).  Other failures (network,
        tenant, configuration) raise ``SignInError`` with the cause."""
        from loom_tui.azure.auth import id_token_claims
        from loom_tui.azure.clouds import get_cloud
        from loom_tui.azure.credential import MsalCredential, credential_for_profile, open_cache_for
        from loom_tui.azure.errors import SignInError
        from loom_tui.azure.session import session_for_profile, session_from_claims

        if not self.interactive:
            credential = await credential_for_profile(self.profile)
            try:
                return await session_for_profile(self.profile), credential
            except BaseException:
                await credential.close()
                raise
        if self._carry is not None:
            return await self._silent_in_other_tenant(self._carry)
        cache = open_cache_for(self.profile)
        self.note = self.note or cache.note
        try:
            credential = await credential_for_profile(self.profile, cache=cache)
            assert isinstance(credential, MsalCredential)
            if credential.account is None:  # pick_account raises before this; an account-less credential has no claims
                return None
            claims = await asyncio.to_thread(id_token_claims, credential.app, credential.account)
            if not claims:
                return None
            # a cache hit normally; a refresh when the access token expired; interaction needed when
            # the refresh token was revoked or expired — then the login screen, not a store error
            await credential.get_token(get_cloud(self.profile.cloud).arm_scope)
        except SignInError as exc:
            if exc.kind == "not-signed-in":
                return None
            raise
        return session_from_claims(claims, self.profile, source="device-code"), credential

    async def _silent_in_other_tenant(self, previous: Any) -> tuple[Session, Any] | None:
        """The same account in the profile's (new) tenant, silently: MSAL redeems the account's
        refresh token at that tenant's authority when nothing is cached for it.  ``None`` when the
        tenant wants an interactive sign-in (MFA, consent, guest invitation not redeemed)."""
        from loom_tui.azure.auth import build_app
        from loom_tui.azure.clouds import get_cloud
        from loom_tui.azure.credential import MsalCredential
        from loom_tui.azure.errors import SignInError
        from loom_tui.azure.session import session_from_claims
        from loom_tui.azure.tenant_claims import id_token_claims_in

        app = await asyncio.to_thread(build_app, self.profile, previous.app.token_cache)  # SignInError for an unknown tenant
        credential = MsalCredential(app, previous.account)
        try:
            await credential.get_token(get_cloud(self.profile.cloud).arm_scope)
        except SignInError as exc:
            if exc.kind == "not-signed-in":
                return None
            raise
        claims = await asyncio.to_thread(id_token_claims_in, app, previous.account, self.profile.tenant_id or "")
        if not claims:
            return None
        return session_from_claims(claims, self.profile, source="device-code"), credential

    @property
    def can_change_tenant(self) -> bool:
        """Device-code sign-ins (same account, other authority) and the Azure CLI's login (its
        ``tenant_id``) can reach another tenant; a service principal or managed identity lives
        in one tenant only."""
        return self.profile.credential in ("device-code", "azure-cli")

    async def tenants(self, credential: Any) -> list[Any]:
        """Every tenant the signed-in account belongs to (``TenantInfo``), sorted by name."""
        from loom_tui.azure.arm import list_tenants

        async with self._clients(credential) as clients:
            found = await list_tenants(clients)
        return sorted(found, key=lambda t: ((t.display_name or t.default_domain).lower(), t.tenant_id))

    def change_tenant(self, tenant_id: str, credential: Any) -> Profile:
        """Sign in to ``tenant_id`` for this run (the file is not changed): the next ``silent()``
        tries the same account there; the subscription is picked again.  ``undo`` returns the
        profile to the tenant being left."""
        from loom_tui.azure.credential import MsalCredential

        self._left = (self.profile, self._carry)
        self._carry = credential if isinstance(credential, MsalCredential) else None
        self.profile = dataclasses.replace(self.profile, tenant_id=tenant_id, subscriptions=[])
        return self.profile

    def undo_change_tenant(self) -> None:
        """Back to the tenant being left (its sign-in is still valid), after the change failed or was cancelled."""
        self.profile, self._carry = self._left

    def new_flow(self) -> Any:
        """A fresh interactive sign-in (``loom_tui.azure.signin_flow.SignInFlow``) for the login screen."""
        from loom_tui.azure.signin_flow import SignInFlow

        flow = SignInFlow(self.profile)
        return flow

    async def credential_after(self, flow: Any, session: Session) -> Any:
        """The ``AsyncTokenCredential`` over the MSAL application ``flow`` signed in with."""
        from loom_tui.azure.credential import MsalCredential, pick_account

        app = flow._app  # the flow's own MSAL application: its cache holds the new tokens
        home = f"{session.user_oid}.{session.tenant_id}"
        accounts = await asyncio.to_thread(app.get_accounts)
        account = next((a for a in accounts if a.get("home_account_id") == home), None)
        if account is None:
            account = await asyncio.to_thread(pick_account, app, self.profile.tenant_id)
        self.note = self.note or flow.note
        return MsalCredential(app, account)

    def reusable(self, credential: Any) -> bool:
        """Whether ``credential`` still works after a context that failed to open closed it (the
        MSAL one holds no connection; azure-identity's close their transport)."""
        from loom_tui.azure.credential import MsalCredential

        return isinstance(credential, MsalCredential)

    async def subscriptions(self, credential: Any) -> list[Any]:
        """Every subscription the signed-in user can see (``SubscriptionInfo``), sorted by tenant
        and name, for the picker."""
        from loom_tui.azure.arm import list_subscriptions

        async with self._clients(credential) as clients:
            subs = await list_subscriptions(clients)
        return sorted(subs, key=lambda s: (s.tenant_id, s.display_name.lower(), s.subscription_id))

    def _clients(self, credential: Any) -> Any:
        """Azure clients for the sign-in's own calls (before any context exists); the context
        makes the run's own once it opens."""
        from loom_tui.azure.clients import AzureClients
        from loom_tui.azure.clouds import get_cloud

        return AzureClients(credential, get_cloud(self.profile.cloud), concurrency=self.profile.azure_concurrency)

    def choose(self, subscription_id: str) -> Profile:
        """The profile with the picked subscription, for this run (the file is not changed)."""
        self.profile = dataclasses.replace(self.profile, subscriptions=[subscription_id])
        return self.profile
