"""Counting words: ``count(1, "document")`` is ``1 document``, ``count(3, "document")`` ``3 documents``."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun in the number it takes (thousands grouped: ``3,040 workspaces``)."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
