"""Continuation tokens of the embedded store's pages: an offset (a query without a keyset order)
or the last row's key (keyset paging), base64 JSON; anything else is refused as not this store's."""

from __future__ import annotations

import base64
import json

from .errors import InvalidQuery


def encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode()


def decode_token(token: str) -> int:
    try:
        offset = json.loads(base64.urlsafe_b64decode(token.encode()))["o"]
    except Exception:
        raise InvalidQuery("not a continuation token of this store") from None
    if not isinstance(offset, int) or offset < 0:
        raise InvalidQuery("not a continuation token of this store")
    return offset


def encode_key_token(pk: str, id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"k": [pk, id]}).encode()).decode()


def decode_key_token(token: str) -> tuple[str, str]:
    try:
        pk, id = json.loads(base64.urlsafe_b64decode(token.encode()))["k"]
    except Exception:
        raise InvalidQuery("not a continuation token of this store") from None
    if not isinstance(pk, str) or not isinstance(id, str):
        raise InvalidQuery("not a continuation token of this store")
    return pk, id
