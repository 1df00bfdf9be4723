"""Who is signed in, from the token claims: the ``Session`` every tenant-scoped read and write is
bound to.

For a device-code profile the claims come from the ID token MSAL cached at sign-in; for the
azure-identity credentials (Azure CLI, service principal, managed identity), which give no ID
token, from the ARM access token, which carries the same tid/oid/upn/name claims.

Tenant admin = member of the profile's ``admin_group_id`` (the web console never checks this).
When Entra sends a groups *overage* (too many groups to list in the token) membership cannot be
read from the token; the session is then not admin and the log says why.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from loom_tui.config import Profile
from loom_tui.domain.session import Session

from .errors import SignInError

log = logging.getLogger("loom.azure.session")


def session_from_claims(claims: dict[str, Any], profile: Profile, *, source: str) -> Session:
    tid = claims.get("tid")
    oid = claims.get("oid")
    if not tid or not oid:
        raise SignInError("other", "the token has no tenant id (tid) or object id (oid) claim")
    upn = claims.get("upn") or claims.get("preferred_username") or claims.get("unique_name") or claims.get("appid") or oid
    groups = claims.get("groups") or []
    if not isinstance(groups, list):
        groups = []
    overage = "groups" in (claims.get("_claim_names") or {}) or claims.get("hasgroups") in (True, "true")
    admin_group = profile.admin_group_id
    admin = bool(admin_group) and str(admin_group).lower() in {str(g).lower() for g in groups}
    if profile.admin_group_id and not admin and overage:
        log.warning("groups overage in the token: membership of the admin group cannot be read from it; not treating the user as tenant admin")
    return Session(
        tenant_id=str(tid),
        user_oid=str(oid),
        upn=str(upn),
        display_name=str(claims.get("name") or upn),
        groups=tuple(str(g) for g in groups),
        is_tenant_admin=admin,
        source=source,
    )


async def session_for_profile(profile: Profile) -> Session:
    """The signed-in session for a non-local profile, or ``SignInError('not-signed-in')``."""
    from .auth import decode_jwt_claims, id_token_claims
    from .clouds import get_cloud
    from .credential import credential_for_profile
    from .profiles import effective_profile

    profile, _ = effective_profile(profile)
    if profile.credential == "device-code":
        cred = await credential_for_profile(profile)
        claims = await asyncio.to_thread(id_token_claims, cred.app, cred.account)
        if not claims:
            raise SignInError("not-signed-in", "the cache holds no ID token for the account")
        return session_from_claims(claims, profile, source="device-code")
    cred = await credential_for_profile(profile)
    try:
        token = await cred.get_token(get_cloud(profile.cloud).arm_scope)
    except Exception as exc:  # azure-identity raises ClientAuthenticationError and friends
        raise SignInError("not-signed-in", f"{profile.credential}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None
    finally:
        await cred.close()
    return session_from_claims(decode_jwt_claims(token.token), profile, source=profile.credential)
