"""ARM's ``uniqueString()``: Microsoft's 64-bit MurmurHash variant, base-32 encoded to 13 characters.

The template computes its globally unique names (storage account, Key Vault) with
``uniqueString(...)``; the plan shows the same names as the operator types, and the demo Azure
evaluates the template with this same function, so the three agree.  Arguments are joined with
``-`` before hashing, as ARM does.
"""

from __future__ import annotations

_M32 = 0xFFFFFFFF
_C1, _C2 = 0x239B961B, 0xAB0E9789
_C3, _C4 = 0x85EBCA6B, 0xC2B2AE35
_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & _M32


def _fmix(h: int) -> int:
    h ^= h >> 16
    h = (h * _C3) & _M32
    h ^= h >> 13
    h = (h * _C4) & _M32
    return h ^ (h >> 16)


def murmur64(data: bytes) -> int:
    h1 = h2 = 0
    n = len(data)
    i = 0
    while i + 8 <= n:
        k1 = int.from_bytes(data[i:i + 4], "little")
        k2 = int.from_bytes(data[i + 4:i + 8], "little")
        k1 = (_rotl((k1 * _C1) & _M32, 15) * _C2) & _M32
        h1 = ((_rotl(h1 ^ k1, 19) + h2) * 5 + 0x561CCD1B) & _M32
        k2 = (_rotl((k2 * _C2) & _M32, 17) * _C1) & _M32
        h2 = ((_rotl(h2 ^ k2, 13) + h1) * 5 + 0x0BCAA747) & _M32
        i += 8
    tail = data[i:]
    if tail:
        k1 = int.from_bytes(tail[:4], "little")
        h1 ^= (_rotl((k1 * _C1) & _M32, 15) * _C2) & _M32
        if len(tail) > 4:
            k2 = int.from_bytes(tail[4:], "little")
            h2 ^= (_rotl((k2 * _C2) & _M32, 17) * _C1) & _M32
    h1 ^= n
    h2 ^= n
    h1 = (h1 + h2) & _M32
    h2 = (h2 + h1) & _M32
    h1 = _fmix(h1)
    h2 = _fmix(h2)
    h1 = (h1 + h2) & _M32
    h2 = (h2 + h1) & _M32
    return (h2 << 32) | h1


def unique_string(*values: str) -> str:
    if not values:
        raise ValueError("uniqueString needs at least one argument")
    h = murmur64("-".join(values).encode("utf-8"))
    out = []
    for _ in range(13):
        out.append(_ALPHABET[h >> 59])
        h = (h << 5) & 0xFFFFFFFFFFFFFFFF
    return "".join(out)
