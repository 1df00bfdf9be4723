"""Rules for operator-typed text (names, descriptions): what is accepted, how it is normalised."""

from __future__ import annotations

import unicodedata

from loom_tui.errors import ValidationError


# shown as escapes wherever text reaches a terminal or a machine format: control characters (C0,
# C1, DEL), format characters (bidi overrides and isolates, zero-width space/joiners, BOM, soft
# hyphen, invisible tags), line/paragraph separators, surrogates and unassigned code points
_HOSTILE_CATEGORIES = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs", "Cn"))


def is_hostile(ch: str) -> bool:
    """True for a character that could drive a terminal, reorder text or hide in it."""
    return unicodedata.category(ch) in _HOSTILE_CATEGORIES


def visible(value: object) -> str:
    """``value`` as text whose hostile characters are visible escapes (``\\x1b``, ``\\u202e``,
    ``\\u200b``); everything else (markup-looking brackets included) is kept as it is."""
    text = "" if value is None else str(value)
    if not any(is_hostile(ch) for ch in text):
        return text
    return "".join(ch.encode("unicode_escape").decode("ascii") if is_hostile(ch) else ch for ch in text)


def has_control(text: str) -> bool:
    """True if ``text`` holds control characters (C0/C1, DEL, escape sequences)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def clean_name(field: str, value: object, *, max_len: int = 256, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field, "must be text")
    text = value.strip()
    if required and not text:
        raise ValidationError(field, "is required")
    if len(text) > max_len:
        raise ValidationError(field, f"is {len(text)} characters long; at most {max_len} are allowed")
    if has_control(text):
        raise ValidationError(field, "must not contain control characters (tabs, newlines, escape sequences)")
    return text


def clean_text(field: str, value: object, *, max_len: int = 2000) -> str:
    """Free text such as a description: optional, control characters other than newline refused."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(field, "must be text")
    text = value.strip()
    if len(text) > max_len:
        raise ValidationError(field, f"is {len(text)} characters long; at most {max_len} are allowed")
    if any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in text):
        raise ValidationError(field, "must not contain control characters (escape sequences, tabs)")
    return text
