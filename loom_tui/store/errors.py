"""Errors every store adapter raises, so callers never see SQLite or Cosmos exceptions."""

from __future__ import annotations

from loom_tui.errors import CONFLICT, NOT_FOUND, LoomError


class StoreError(LoomError):
    """Base class: something went wrong talking to the document store."""

    code = "store"


class NotFound(StoreError):
    code = "not-found"
    exit_code = NOT_FOUND

    def __init__(self, container: str, id: str) -> None:
        super().__init__(f"{container}: no document with id {id!r}")
        self.container = container
        self.id = id


class Conflict(StoreError):
    """A document with that id already exists in that partition."""

    code = "conflict"
    exit_code = CONFLICT

    def __init__(self, container: str, id: str) -> None:
        super().__init__(f"{container}: a document with id {id!r} already exists")
        self.container = container
        self.id = id


class PreconditionFailed(StoreError):
    """The document changed since it was read (its ETag no longer matches)."""

    code = "edit-conflict"
    exit_code = CONFLICT

    def __init__(self, container: str, id: str) -> None:
        super().__init__(f"{container}: {id!r} was changed by someone else since it was read")
        self.container = container
        self.id = id


class Throttled(StoreError):
    """The store kept answering 429 after the bounded retries."""

    code = "throttled"


class StoreUnavailable(StoreError):
    """The store could not be reached (network, credentials, missing database)."""

    code = "store-unavailable"


class StoreFull(StoreError):
    """The disk (or the database's size limit) is full: nothing of the failed write was kept."""


class StoreLocked(StoreError):
    """Another program holds the store's lock for longer than loom waits."""


class StoreCorrupt(StoreError):
    """The store's file is damaged or is not a loom store."""


class StoreReadOnlyFs(StoreError):
    """The store's file or folder cannot be written (read-only file system or permissions)."""


class InvalidQuery(StoreError):
    """A query named a field or operator the store cannot express."""


class ReadOnlyStore(StoreError):
    """A write reached a store opened read-only (the services refuse first; this is the floor)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"read-only: {what} was refused; nothing is written in read-only mode")


class ContainersMissing(StoreUnavailable):
    """A writable open found containers (or the database) missing.  loom never creates them on
    open: an account with local auth disabled (Entra data-plane roles) cannot create containers
    through the data plane.  ``loom store init`` creates them through Azure Resource Manager."""

    code = "containers-missing"

    def __init__(self, where: str, missing: list[str], command: str, *, database_missing: bool = False) -> None:
        what = "the database and every container" if database_missing else ", ".join(missing)
        super().__init__(
            f"{where}: missing {what}; loom creates no container when it opens. Create "
            f"{'them' if database_missing or len(missing) > 1 else 'it'} with `{command}` (through Azure Resource Manager: "
            "needs DocumentDB Account Contributor on the account), or open with --read-only to read without "
            f"{'them' if database_missing or len(missing) > 1 else 'it'}")
        self.missing = list(missing)
        self.command = command
        self.database_missing = database_missing
