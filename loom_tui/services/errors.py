"""Errors services raise for the UI and the CLI to show as they are (one clear sentence)."""

from __future__ import annotations


class ServiceError(Exception):
    """Base: a refused or failed operation, with a message fit for an operator."""

    code = "error"


class ValidationError(ServiceError):
    code = "invalid"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ReadOnlyError(ServiceError):
    code = "read-only"

    def __init__(self, action: str = "this change") -> None:
        super().__init__(f"read-only mode: {action} is not allowed")


class Forbidden(ServiceError):
    code = "forbidden"


class NotFoundError(ServiceError):
    code = "not-found"


class ConflictError(ServiceError):
    code = "conflict"


class EditConflict(ServiceError):
    """Someone else changed the document since it was read: both versions travel with the error."""

    code = "edit-conflict"

    def __init__(self, mine: dict, theirs: dict | None) -> None:
        super().__init__("someone else changed this since you opened it")
        self.mine = mine
        self.theirs = theirs
