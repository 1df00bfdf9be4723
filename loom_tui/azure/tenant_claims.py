"""The ID-token claims MSAL cached for one account *in one tenant*.

An account that signed in to several tenants has one ID token per tenant (``realm``) in the
cache; ``auth.id_token_claims`` takes the newest of them, which after a tenant change can be the
home tenant's (same second).  The session of a tenant must come from that tenant's own ID token.
"""

from __future__ import annotations

from typing import Any

from .auth import decode_jwt_claims


def id_token_claims_in(app: Any, account: dict[str, Any], tenant_id: str) -> dict[str, Any]:
    """Blocking (cache lock): the newest claims of ``account``'s ID token issued by ``tenant_id``,
    ``{}`` when there is none."""
    from msal.token_cache import TokenCache

    query = {"home_account_id": account.get("home_account_id"), "realm": tenant_id}
    best: dict[str, Any] = {}
    for entry in app.token_cache.search(TokenCache.CredentialType.ID_TOKEN, query=query):
        claims = decode_jwt_claims(entry.get("secret", ""))
        if claims.get("tid") == tenant_id and claims.get("iat", 0) >= best.get("iat", -1):
            best = claims
    return best
