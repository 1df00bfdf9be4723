"""Sign-in failures, sorted into the kinds an operator can act on."""

from __future__ import annotations

from loom_tui.errors import ServiceError

KINDS = ("declined", "expired", "network", "tenant", "cancelled", "not-signed-in", "config", "other")

_ADVICE = {
    "declined": "The sign-in was declined in the browser. Start again and approve it.",
    "expired": "The code expired before the sign-in was completed. Start again for a new code.",
    "network": "The sign-in service could not be reached. Check the network, HTTPS_PROXY/NO_PROXY and the CA bundle (REQUESTS_CA_BUNDLE).",
    "tenant": "The tenant was not found or does not allow this sign-in. Check tenant_id in the profile (or AZURE_TENANT_ID) and the cloud.",
    "cancelled": "Sign-in cancelled.",
    "not-signed-in": "Not signed in. Run `loom login` (or sign in from the console).",
    "config": "The profile cannot be used for sign-in.",
    "other": "Sign-in failed.",
}


class SignInError(ServiceError):
    """``kind`` is one of ``KINDS``; ``detail`` is the server's own text (untrusted: render as plain text)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        self.kind = kind if kind in KINDS else "other"
        self.detail = detail
        self.advice = _ADVICE[self.kind]
        super().__init__(self.advice + (f" ({detail})" if detail else ""))


def classify(error: str | None, description: str | None) -> SignInError:
    """Map an OAuth/Entra error answer to a ``SignInError``."""
    e = (error or "").lower()
    d = description or ""
    first = d.strip().splitlines()[0] if d.strip() else e
    if e in ("authorization_declined", "access_denied"):
        return SignInError("declined", first)
    if e in ("expired_token", "code_expired"):
        return SignInError("expired", first)
    if e in ("invalid_tenant",) or any(code in d for code in ("AADSTS90002", "AADSTS50020", "AADSTS90072", "AADSTS700016", "AADSTS50059")):
        return SignInError("tenant", first)
    return SignInError("other", f"{error}: {first}" if error else first)
