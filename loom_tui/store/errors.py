"""Errors every store adapter raises, so callers never see SQLite or Cosmos exceptions."""

from __future__ import annotations


class StoreError(Exception):
    """Base class: something went wrong talking to the document store."""


class NotFound(StoreError):
    def __init__(self, container: str, id: str) -> None:
        super().__init__(f"{container}: no document with id {id!r}")
        self.container = container
        self.id = id


class Conflict(StoreError):
    """A document with that id already exists in that partition."""

    def __init__(self, container: str, id: str) -> None:
        super().__init__(f"{container}: a document with id {id!r} already exists")
        self.container = container
        self.id = id


class PreconditionFailed(StoreError):
    """The document changed since it was read (its ETag no longer matches)."""

    def __init__(self, container: str, id: str) -> None:
        super().__init__(f"{container}: {id!r} was changed by someone else since it was read")
        self.container = container
        self.id = id


class Throttled(StoreError):
    """The store kept answering 429 after the bounded retries."""


class StoreUnavailable(StoreError):
    """The store could not be reached (network, credentials, missing database)."""


class InvalidQuery(StoreError):
    """A query named a field or operator the store cannot express."""
