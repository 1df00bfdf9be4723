"""The one optimistic-concurrency loop: read a document, change it, write it back ``if_match`` the
ETag read; when another writer got there first (412), read again and re-apply.

Every read-modify-write of a shared document goes through :func:`edit_with_etag`, so the number
of attempts, what counts as "someone else wrote first" and the words when it gives up are decided
once.  (The operation record's writes keep their own loop: a conflict there also decides whether
this process still owns the operation — see ``services/operations.py``.)
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, TypeVar, overload

from loom_tui.errors import ConflictError
from loom_tui.store.errors import PreconditionFailed

T = TypeVar("T")
R = TypeVar("R")
ATTEMPTS = 8


@overload
async def edit_with_etag(
    read: Callable[[], Awaitable[T | None]],
    write: Callable[[T], Awaitable[R]],
    *,
    gave_up: str,
    missing: Callable[[], R],
    retry_on: tuple[type[BaseException], ...] = ...,
    attempts: int = ...,
) -> R: ...


@overload
async def edit_with_etag(  # without missing, a document that is gone is written from None
    read: Callable[[], Awaitable[T | None]],
    write: Callable[[T | None], Awaitable[R]],
    *,
    gave_up: str,
    missing: None = None,
    retry_on: tuple[type[BaseException], ...] = ...,
    attempts: int = ...,
) -> R: ...


async def edit_with_etag(
    read: Callable[[], Awaitable[Any]],
    write: Callable[[Any], Awaitable[R]],  # the overloads above say what it is given
    *,
    gave_up: str,
    missing: Callable[[], R] | None = None,
    retry_on: tuple[type[BaseException], ...] = (PreconditionFailed,),
    attempts: int = ATTEMPTS,
) -> R:
    """``write(current)`` changes and stores the document ``read()`` returned (conditional on its
    ETag); on one of ``retry_on`` it starts over from a fresh read.  A document that is gone is
    ``missing()`` (which may raise); without ``missing`` the write is given ``None`` to create it.
    After ``attempts`` conflicts, :class:`ConflictError` with ``gave_up``."""
    for _ in range(attempts):
        current = await read()
        if current is None and missing is not None:
            return missing()
        try:
            return await write(current)
        except retry_on:
            continue
    raise ConflictError(gave_up)
