"""The error family now lives in :mod:`loom_tui.errors` (importable from every layer); this module
re-exports it for code that still imports it from here."""

from loom_tui.errors import (  # noqa: F401
    ConflictError,
    EditConflict,
    Forbidden,
    LoomError,
    NameTaken,
    NotFoundError,
    ReadOnlyError,
    ServiceError,
    UsageError,
    ValidationError,
)
