"""The error family: what loom raises for the UI and the CLI to show as it is (one clear sentence).

Importable from every layer (it imports nothing of loom).  Each class carries a short ``code``
(the ``{"error": {"code": ...}}`` of ``-o json``) and the process ``exit_code`` a headless command
ends with; :func:`exit_code_for` / :func:`error_code_for` are the one place that maps any
exception to them.

Exit codes (the README's table):  0 ok, 1 failure, 2 bad input or usage, 3 not found,
4 refused (read-only or role), 5 conflict; 130 interrupted (ctrl+c).
"""

from __future__ import annotations

OK = 0
FAILURE = 1
USAGE = 2
NOT_FOUND = 3
REFUSED = 4
CONFLICT = 5

EXIT_CODES = {
    OK: "ok",
    FAILURE: "failure (the store, Azure or the sign-in failed; the message says why)",
    USAGE: "bad input or usage (an unknown flag, an invalid value, a bad config file)",
    NOT_FOUND: "not found (no workspace, item, member, profile or cloud of that name)",
    REFUSED: "refused (read-only mode, or the role does not allow it)",
    CONFLICT: "conflict (the name is taken, or someone else changed it since it was read)",
    130: "interrupted (ctrl+c at a prompt or while a command runs)",
}


class LoomError(Exception):
    """Base of every error loom raises on purpose; the message is fit for an operator."""

    code = "error"
    exit_code = FAILURE


class ServiceError(LoomError):
    """A refused or failed operation, raised by the services."""


class UsageError(ServiceError):
    """Bad input on the command line (a flag's value, a missing argument)."""

    code = "usage"
    exit_code = USAGE


# The operator-facing name of a field, as the forms label it: a message reads "Name is required",
# never "displayName: is required" (the stored field names are the web console's, not the operator's).
FIELD_LABELS = {
    "name": "Name",
    "displayName": "Name",
    "description": "Description",
    "capacity": "Capacity",
    "domain": "Domain",
    "itemType": "Type",
    "folderId": "Folder",
    "upn": "User",
    "role": "Role",
    "comment": "Comment",
}


class ValidationError(ServiceError):
    """A bad value: ``field`` is the stored field (the form puts the message under it), the text
    names it as the form does (:data:`FIELD_LABELS`)."""

    code = "invalid"
    exit_code = USAGE

    def __init__(self, field: str, message: str) -> None:
        label = FIELD_LABELS.get(field)
        super().__init__(f"{label} {message}" if label else f"{field}: {message}")
        self.field = field
        self.message = message
        self.label = label

    @property
    def sentence(self) -> str:
        """The message as shown under its field: "Name is required"."""
        return str(self)


class NameTaken(ValidationError):
    """The name is taken (a field error on the form, a conflict for the exit code)."""

    code = "conflict"
    exit_code = CONFLICT


class ReadOnlyError(ServiceError):
    code = "read-only"
    exit_code = REFUSED

    def __init__(self, action: str = "this change") -> None:
        super().__init__(f"read-only mode: {action} is not allowed")


class Forbidden(ServiceError):
    code = "forbidden"
    exit_code = REFUSED


class NotFoundError(ServiceError):
    code = "not-found"
    exit_code = NOT_FOUND


class ConflictError(ServiceError):
    code = "conflict"
    exit_code = CONFLICT


class EditConflict(ServiceError):
    """Someone else changed the document since it was read: both versions travel with the error."""

    code = "edit-conflict"
    exit_code = CONFLICT

    def __init__(self, mine: dict, theirs: dict | None) -> None:
        super().__init__("someone else changed this since you opened it")
        self.mine = mine
        self.theirs = theirs


INTERRUPTED = 130  # ctrl+c, as a shell reports a process ended by SIGINT

CODE_NAMES = {FAILURE: "error", USAGE: "usage", NOT_FOUND: "not-found", REFUSED: "refused", CONFLICT: "conflict",
              INTERRUPTED: "interrupted"}


class CommandError(LoomError):
    """A headless command's own refusal, with the exit code it ends with."""

    def __init__(self, message: str, exit_code: int = USAGE, code: str | None = None) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.code = code or CODE_NAMES.get(exit_code, "error")


class Interrupted(LoomError):
    """The operator ended a prompt or a command: ctrl+c (exit 130) or ctrl+d (no answer, exit 1)."""

    code = "interrupted"
    exit_code = INTERRUPTED

    def __init__(self, message: str = "interrupted", exit_code: int = INTERRUPTED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def exit_code_for(exc: BaseException) -> int:
    """The process exit code for ``exc``: its family's ``exit_code``; anything else is a failure."""
    if isinstance(exc, LoomError):
        return int(exc.exit_code)
    return FAILURE


def error_code_for(exc: BaseException) -> str:
    """The short machine code of ``exc`` (``not-found``, ``read-only``, ...)."""
    if isinstance(exc, LoomError):
        return str(exc.code)
    return "error"
