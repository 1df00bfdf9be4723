"""ARM's error for a template it cannot take (``InvalidTemplate``), shared by the evaluator's parts."""

from __future__ import annotations

from typing import Any


class TemplateError(Exception):
    """An ARM error body: code, message, optional details."""

    def __init__(self, code: str, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or []

    def body(self) -> dict[str, Any]:
        err: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            err["details"] = self.details
        return {"error": err}


def invalid(message: str) -> TemplateError:
    return TemplateError("InvalidTemplate", f"Deployment template validation failed: '{message}'.")
