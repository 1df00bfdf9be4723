"""Sign-in failures, sorted into the kinds an operator can act on; Resource Manager's refusals
(``ArmError``) and ARM's error text in full (:func:`arm_error_text`: the one description of an ARM
error — an answer's body, an SDK error model or exception — used wherever one is shown)."""

from __future__ import annotations

from typing import Any

from loom_tui.errors import ConflictError, Forbidden, NotFoundError, ServiceError

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


# ---------------------------------------------------------------- Resource Manager answers


class ArmError(ServiceError):
    """Resource Manager refused or failed a call: ARM's own ``code`` and ``message``, in full (the
    403 message names the action and scope a role is missing for), and the HTTP status.  The text
    comes from Azure: render it as plain text."""

    def __init__(self, status: int, arm_code: str, message: str, *, method: str = "", url: str = "",
                 request_id: str | None = None, details: list[dict[str, Any]] | None = None) -> None:
        self.status = status
        self.arm_code = arm_code
        self.message = message
        self.method = method
        self.url = url
        self.request_id = request_id
        self.details = details or []
        super().__init__(f"{arm_code}: {message}" if arm_code else message)

    @classmethod
    def from_body(cls, status: int, body: Any, *, method: str = "", url: str = "", request_id: str | None = None) -> "ArmError":
        """From an ARM error body (``{"error": {"code", "message", "details"}}``, or the bare
        ``{"code", "message"}`` some providers send); a body that is neither keeps its text."""
        err = body.get("error") if isinstance(body, dict) else None
        if not isinstance(err, dict) and isinstance(body, dict) and ("code" in body or "message" in body):
            err = body
        if isinstance(err, dict):
            code = str(err.get("code") or f"HTTP{status}")
            message = str(err.get("message") or "")
            details = [d for d in err.get("details") or [] if isinstance(d, dict)]
            extra = []
            for d in details:  # every detail, nested ones (a preflight's problems) indented under theirs
                if d.get("message") and d.get("message") != message:
                    extra.append(f"{d.get('code')}: {d.get('message')}")
                extra += detail_lines(d.get("details"), 1)
            if extra:
                message = "\n".join([message, *extra]) if message else "\n".join(extra)
        else:
            code = f"HTTP{status}"
            message = body if isinstance(body, str) and body else f"{method} returned HTTP {status}".strip()
            details = []
        kind = _BY_STATUS.get(status, cls)
        return kind(status, code, message, method=method, url=url, request_id=request_id, details=details)

    @classmethod
    def from_sdk(cls, exc: Any) -> "ArmError":
        """From an azure-core ``HttpResponseError`` raised by an SDK method."""
        status = int(getattr(exc, "status_code", None) or 0)
        response = getattr(exc, "response", None)
        body: Any = None
        if response is not None:
            try:
                body = response.json()
            except Exception:
                try:
                    body = response.text()
                except Exception:
                    body = None
        if body is None:
            err = getattr(exc, "error", None)
            body = {"error": {"code": getattr(err, "code", None), "message": getattr(err, "message", None) or str(exc)}}
        request = getattr(response, "request", None)
        return cls.from_body(status, body, method=getattr(request, "method", "") or "", url=getattr(request, "url", "") or "")


class ArmForbidden(ArmError, Forbidden):
    """403: the signed-in identity lacks a role (ARM's message names the action and the scope)."""


class ArmNotFound(ArmError, NotFoundError):
    pass


class ArmConflict(ArmError, ConflictError):
    pass


_BY_STATUS: dict[int, type[ArmError]] = {403: ArmForbidden, 404: ArmNotFound, 409: ArmConflict}


def _field(d: Any, name: str) -> Any:
    return d.get(name) if isinstance(d, dict) else getattr(d, name, None)


def detail_lines(details: Any, depth: int = 0) -> list[str]:
    """Every detail of an ARM error (dicts or SDK models) as ``code: message``, nested ones
    indented under their parent."""
    out: list[str] = []
    for d in details or []:
        out.append("  " * depth + f"{_field(d, 'code')}: {_field(d, 'message')}")
        out += detail_lines(_field(d, "details"), depth + 1)
    return out


def arm_error_text(err: Any) -> str:
    """ARM's error in full: ``code: message`` and every detail.  ``err``: an :class:`ArmError`, an
    azure-core ``HttpResponseError`` from an SDK method, an ARM error body (``{"error": {...}}`` or
    its inner object) or an SDK error model (``ErrorResponse``/``ErrorDetail``, e.g. a deployment's
    ``properties.error``); "" for None."""
    if err is None:
        return ""
    if isinstance(err, ArmError):
        return str(err)
    if isinstance(err, BaseException):
        from azure.core.exceptions import HttpResponseError

        if isinstance(err, HttpResponseError):
            return str(ArmError.from_sdk(err))
        return str(getattr(err, "message", None) or err)
    inner = _field(err, "error") or err
    return str(ArmError.from_body(0, {"error": _plain(inner)}))


def _plain(e: Any) -> dict[str, Any]:
    """An SDK error model (or a dict) as ARM's error object: code, message, details."""
    return {"code": _field(e, "code"), "message": _field(e, "message"), "details": [_plain(d) for d in _field(e, "details") or []]}
